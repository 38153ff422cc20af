import { z } from 'zod';
import { configuredModelSchema } from '../catalog/configured-models.js';
import { authSchema } from '../identity/oidc-settings.js';
import { trustedProxyProblem } from '../net/client-address.js';
import { TRACE_SAMPLERS } from '../telemetry/samplers.js';

/*
 * The configuration file (`claude-gateway.yaml`), validated at start. Every
 * key is documented in the README's configuration reference; keep the two in
 * step. Values may use `${VAR}` or `${VAR:-default}` from the environment.
 */

const port = z.number().int().min(0).max(65_535);
const milliseconds = z.number().int().min(0);
const url = z.string().url();

const anthropicSchema = z
  .object({
    apiKey: z.string().min(1).optional(),
    authToken: z.string().min(1).optional(),
    baseUrl: url.optional(),
  })
  .strict();

const bedrockSchema = z
  .object({
    region: z.string().min(1).optional(),
    profile: z.string().min(1).optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
    /** A Bedrock API key (what AWS_BEARER_TOKEN_BEDROCK holds). */
    apiKey: z.string().min(1).optional(),
    /** Runtime endpoint; may contain `{region}`. */
    endpoint: z.string().min(1).optional(),
    /** Control-plane endpoint (ListFoundationModels); may contain `{region}`. */
    controlEndpoint: z.string().min(1).optional(),
    /** STS endpoint for `doctor`; may contain `{region}`. */
    stsEndpoint: z.string().min(1).optional(),
    /**
     * Which host serves `bedrock-messages/…` targets (Bedrock's Messages API, Claude 4.7 and later):
     * `runtime` (`https://bedrock-runtime.{region}.amazonaws.com/anthropic`, the default) or
     * `mantle` (`https://bedrock-mantle.{region}.api.aws/anthropic`).
     */
    messagesHost: z.enum(['runtime', 'mantle']).optional(),
    /** Replaces the Messages API base URL (`/v1/messages` is appended); may contain `{region}`. */
    messagesEndpoint: z.string().min(1).optional(),
  })
  .strict()
  .refine((value) => !value.accessKeyId === !value.secretAccessKey, {
    message: 'accessKeyId and secretAccessKey go together: set both or neither',
  });

const vertexSchema = z
  .object({
    projectId: z.string().min(1).optional(),
    region: z.string().min(1).optional(),
    /** Path of a Google credentials JSON file (service account, gcloud user, external account). */
    keyFile: z.string().min(1).optional(),
    credentials: z.record(z.string(), z.unknown()).optional(),
    accessToken: z.string().min(1).optional(),
    quotaProjectId: z.string().min(1).optional(),
    /** Replaces the Vertex host (Private Service Connect, the emulator); may contain `{location}`. */
    endpoint: z.string().min(1).optional(),
    /** Replaces Google's token endpoint. */
    tokenUrl: url.optional(),
  })
  .strict();

const foundrySchema = z
  .object({
    resource: z.string().min(1).optional(),
    baseUrl: url.optional(),
    apiKey: z.string().min(1).optional(),
    /** A Microsoft Entra ID token for https://ai.azure.com/.default. */
    entraToken: z.string().min(1).optional(),
  })
  .strict();

/** Claude Platform on AWS: the Anthropic-operated Claude API with AWS auth and billing. */
const claudePlatformAwsSchema = z
  .object({
    /** The AWS region of the workspace (a workspace is bound to one region). Default: AWS_REGION. */
    region: z.string().min(1).optional(),
    /** `wrkspc_…`, sent as `anthropic-workspace-id` on every request. Default: ANTHROPIC_AWS_WORKSPACE_ID. */
    workspaceId: z.string().min(1).optional(),
    /** A workspace API key (`Authorization: Bearer`); without one, SigV4 with the AWS default chain. */
    apiKey: z.string().min(1).optional(),
    /** The AWS profile for SigV4 credentials. */
    profile: z.string().min(1).optional(),
    accessKeyId: z.string().min(1).optional(),
    secretAccessKey: z.string().min(1).optional(),
    sessionToken: z.string().min(1).optional(),
    /** Replaces `https://aws-external-anthropic.{region}.api.aws`; may contain `{region}`. */
    endpoint: z.string().min(1).optional(),
  })
  .strict()
  .refine((value) => !value.accessKeyId === !value.secretAccessKey, {
    message: 'accessKeyId and secretAccessKey go together: set both or neither',
  });

export const platformsSchema = z
  .object({
    anthropic: anthropicSchema.optional(),
    bedrock: bedrockSchema.optional(),
    claudePlatformAws: claudePlatformAwsSchema.optional(),
    vertex: vertexSchema.optional(),
    foundry: foundrySchema.optional(),
  })
  .strict();

const targetSpec = z
  .string()
  .regex(
    /^(anthropic|foundry|claude-platform-aws|vertex(\/[a-z0-9-]+)?|bedrock(-messages)?(\/[a-z0-9-]+(@[a-z0-9-]+)?)?)$/,
    'a target is "anthropic", "foundry", "claude-platform-aws", "vertex/<location>", ' +
      '"bedrock/<scope>[@region]", "bedrock/<region>", "bedrock-messages/<scope>[@region]" or "bedrock-messages/<region>"',
  );

export const routeSchema = z
  .object({
    models: z.array(z.string().min(1)).min(1),
    targets: z.array(targetSpec).min(1),
    strategy: z.enum(['priority', 'weighted']).optional(),
    weights: z.array(z.number().min(0)).optional(),
    /** Serve the request with this model instead of the one asked for. */
    model: z.string().min(1).optional(),
    /** Non-streaming answers whose tool input is not valid JSON: pass the raw text (default) or wrap it. */
    invalidToolInput: z.enum(['raw', 'wrap']).optional(),
  })
  .strict()
  .refine((route) => !route.weights || route.weights.length === route.targets.length, {
    message: 'weights must have one number per target',
  });

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: port.default(4000),
        /** Key for the admin API (`/admin/…`); without it the admin API is off. */
        adminKey: z.string().min(16, 'adminKey must be at least 16 characters').optional(),
        maxBodyBytes: z
          .number()
          .int()
          .min(1024)
          .default(32 * 1024 * 1024),
        shutdownGraceMs: milliseconds.default(30_000),
        /**
         * Model listings (`/v1/models`, `/inference-profiles`, `/foundation-models`) answer without a
         * gateway key by default: they show only what the platforms publish, and Claude Code in Bedrock
         * mode cannot send a key with its profile listing.
         */
        listingsRequireKey: z.boolean().default(false),
        /** One JSON line per finished request on stderr (pino). */
        accessLog: z.boolean().default(true),
        /** When set, `GET /metrics` needs `Authorization: Bearer <metricsToken>`. */
        metricsToken: z.string().min(16, 'metricsToken must be at least 16 characters').optional(),
        /**
         * How long a client connection may take over each part of a request (never over the
         * answer: a long stream is not cut). 0 turns one off.
         */
        clientTimeouts: z
          .object({
            /** From connecting until the request headers are in (a keep-alive request: from its first bytes). */
            headersMs: milliseconds.default(30_000),
            /** The longest pause while a request body arrives. */
            bodyMs: milliseconds.default(60_000),
            /** A keep-alive connection or HTTP/2 session with no request in progress. */
            idleMs: milliseconds.default(65_000),
          })
          .strict()
          .prefault({}),
        /** Connections one client address may hold open at once; more are closed at once. 0: no cap. */
        maxConnectionsPerClient: z.number().int().min(0).default(256),
        /**
         * Proxies in front of the gateway (addresses or CIDR subnets) whose `X-Forwarded-For` is
         * believed: the client is the first address from the right that is not one of them. Empty
         * (the default): the connection's peer is the client and the header is never read.
         */
        trustedProxies: z
          .array(
            z.string().superRefine((entry, issues) => {
              const problem = trustedProxyProblem(entry);
              if (problem) issues.addIssue({ code: 'custom', message: problem });
            }),
          )
          .default([]),
        /** Streams one HTTP/2 connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). 0: no cap. */
        maxStreamsPerConnection: z.number().int().min(0).default(256),
        /**
         * Serve HTTPS on the port (ALPN h2 and http/1.1) with this certificate and key: PEM file
         * paths, read at start. `ca`: the issuing CA certificates, sent with the certificate chain.
         * Left out or `~` (null): cleartext HTTP/1.1 and HTTP/2.
         */
        tls: z
          .object({
            cert: z.string().min(1),
            key: z.string().min(1),
            ca: z.string().min(1).optional(),
          })
          .strict()
          .nullish(),
      })
      .strict()
      .prefault({}),
    store: z
      .object({
        url: z.string().min(1).default('sqlite://./.claude-gateway/gateway.db'),
        retentionDays: z.number().int().min(1).default(30),
        /** What of each request and answer to keep: everything, sizes only, or nothing. */
        bodies: z.enum(['full', 'metadata', 'none']).default('full'),
        /**
         * SQLite: keep bodies of 2 KiB or more zstd-compressed (3.5–6 times less disk for
         * Claude Code's traffic); plain text, readable by SQL, when off. Postgres compresses large
         * text itself and ignores this.
         */
        compressBodies: z.boolean().default(false),
        /**
         * Each finished request's row is appended to a local journal file before the answer's last
         * byte goes out, and replayed at the next start after a crash.
         */
        journal: z
          .object({
            enabled: z.boolean().default(true),
            /** Default: the SQLite database's folder. A Postgres store journals only when this is set. */
            dir: z.string().min(1).optional(),
            /** fdatasync each row: also survives a machine crash (slower). Default: a process crash only. */
            fsync: z.boolean().default(false),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    platforms: platformsSchema.prefault({}),
    /** Models to add or correct without a release; they win over the built-in and discovered data. */
    models: z.array(configuredModelSchema).default([]),
    /** Reading the configured platforms' own model listings, at start and then periodically. */
    discovery: z
      .object({
        enabled: z.boolean().default(true),
        intervalMinutes: z.number().min(1).default(60),
      })
      .strict()
      .prefault({}),
    routes: z.array(routeSchema).default([]),
    /** Targets for model names no route matches, in order. Default: every configured platform. */
    defaultTargets: z.array(targetSpec).optional(),
    /**
     * The geography a Bedrock or Vertex client names (`eu.anthropic…`, `locations/europe-west1`):
     * `prefer` tries it first when no route matches the model; `require` also makes it a residency
     * rule, so only targets in that geography serve the request (`global.` and `global` name none).
     */
    clientGeography: z.enum(['prefer', 'require']).default('prefer'),
    retry: z
      .object({
        attemptsPerTarget: z.number().int().min(1).max(10).optional(),
        baseDelayMs: milliseconds.optional(),
        maxDelayMs: milliseconds.optional(),
        maxRetryAfterMs: milliseconds.optional(),
      })
      .strict()
      .prefault({}),
    timeouts: z
      .object({
        connectMs: milliseconds.optional(),
        firstByteMs: milliseconds.optional(),
        idleMs: milliseconds.optional(),
        /** The longest silence in an SSE answer translated from Bedrock's event-stream (which has no pings) before a ping; 0 = never. */
        pingMs: milliseconds.default(15_000),
      })
      .strict()
      .prefault({}),
    sessions: z
      .object({
        /** Share session stickiness between replicas through Redis. */
        redisUrl: z.string().min(1).optional(),
        /**
         * The longest a Redis command may take before the request goes on without it (each replica
         * then keeps its own sessions until Redis answers again).
         */
        commandTimeoutMs: z.number().int().min(1).default(100),
        /** The longest a connection to Redis may take, at start and when reconnecting. */
        connectTimeoutMs: z.number().int().min(1).default(1000),
      })
      .strict()
      .prefault({}),
    /**
     * Where gateway keys' limits (requests and tokens per minute, monthly budgets) are counted. With
     * Redis every replica counts in one place, so N replicas enforce one limit; without it (or while
     * it is unreachable) each process counts its own.
     */
    limits: z
      .object({
        /** Redis for the limits; default `sessions.redisUrl`; `false` keeps them per process. */
        redisUrl: z.union([z.string().min(1), z.literal(false)]).optional(),
        /** Prefix of the limits' Redis keys (several gateways' limits apart on one Redis). */
        keyPrefix: z.string().min(1).default('claude-gateway:limits:'),
        /** The longest a Redis command may take before the request is decided by this process alone. */
        commandTimeoutMs: z.number().int().min(1).default(100),
        /** The longest a connection to Redis may take, at start and when reconnecting. */
        connectTimeoutMs: z.number().int().min(1).default(1000),
        /** How often the month's spend in Redis is raised to the activity log's when the log shows more. */
        reconcileSeconds: z.number().int().min(1).default(60),
        /** How long a request's reservation counts at most when it never settles (a replica that died). */
        reservationTtlSeconds: z.number().int().min(1).default(900),
      })
      .strict()
      .prefault({}),
    /** Sign-in: `auth.oidc` lets developers sign in through the organisation's identity provider. */
    auth: authSchema.prefault({}),
    /**
     * Budget alerts: a webhook POSTed once per threshold of any budget crossed in a budget period
     * (across replicas: claimed in Redis when the limits use it, else in the store). Off without a URL.
     */
    alerts: z
      .object({
        /** Where each alert is POSTed as JSON (with a `text` line, so chat webhooks show it). */
        webhookUrl: url
          .refine((value) => /^https?:\/\//i.test(value), { message: 'must be an http:// or https:// URL' })
          .optional(),
        /** Fractions of a budget that send an alert, each once per period. */
        thresholds: z
          .array(z.number().gt(0).max(1))
          .min(1)
          .refine((values) => new Set(values).size === values.length, {
            message: 'a threshold is given twice',
          })
          .default([0.8, 1]),
        /** Headers sent with each POST (a receiver's token). */
        headers: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .prefault({}),
    /**
     * OpenTelemetry traces and GenAI metrics over OTLP (HTTP or gRPC). Off unless an endpoint is set here or in
     * OTEL_EXPORTER_OTLP_ENDPOINT (or its _TRACES_ / _METRICS_ variants); these keys win over the variables.
     */
    telemetry: z
      .object({
        /**
         * Base URL of the OTLP/HTTP receiver (a collector's port 4318; `/v1/traces` and `/v1/metrics` are appended),
         * or with `protocol: grpc` the OTLP/gRPC receiver's address (port 4317; `http://` plaintext, `https://` TLS).
         */
        otlpEndpoint: url.optional(),
        /** Headers sent with each export (a backend's API key); merged over OTEL_EXPORTER_OTLP_HEADERS. */
        headers: z.record(z.string(), z.string()).optional(),
        /** `service.name` of the exported data. Default: OTEL_SERVICE_NAME, else `claude-gateway`. */
        serviceName: z.string().min(1).optional(),
        /** How often metrics are exported. Default: OTEL_METRIC_EXPORT_INTERVAL, else 60 000. */
        metricsIntervalMs: z.number().int().min(100).optional(),
        /** The OTLP transport. Default: OTEL_EXPORTER_OTLP_PROTOCOL (or its _TRACES_/_METRICS_ variant), else http/json. */
        protocol: z.enum(['http/json', 'http/protobuf', 'grpc']).optional(),
        /**
         * Which traces are kept, as OTEL_TRACES_SAMPLER/OTEL_TRACES_SAMPLER_ARG name them. When set, the
         * environment's sampler variables are not read (OpenTelemetry's declarative configuration: the file wins).
         */
        sampler: z
          .object({
            type: z.enum(TRACE_SAMPLERS),
            /** The share of new traces kept (0–1), for the traceidratio samplers only. Default 1. */
            ratio: z.number().min(0).max(1).optional(),
          })
          .strict()
          .refine((value) => value.ratio === undefined || value.type.endsWith('traceidratio'), {
            message: 'only traceidratio and parentbased_traceidratio take a ratio',
            path: ['ratio'],
          })
          .optional(),
        /**
         * Receive Claude Code's own telemetry (metrics, logs/events, traces) at /v1/metrics, /v1/logs and /v1/traces,
         * authenticated with the gateway key, stamped with the caller's key, user and group, and forwarded to the receiver above.
         */
        forwardClaudeCode: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type GatewayConfig = z.infer<typeof configSchema>;
export type PlatformsConfig = z.infer<typeof platformsSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
