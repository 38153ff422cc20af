import { z } from 'zod';
import { ENDPOINTS } from '../../catalog/platforms.js';
import { parseBedrockError } from '../../wire/errors/bedrock.js';
import { GatewayError } from '../../wire/errors/gateway-error.js';
import { type AwsAuthorizer, type AwsAuthorizerOptions, createAwsAuthorizer } from '../aws/aws-authorizer.js';
import { awsEndpoint } from '../aws/aws-endpoint.js';
import { type UpstreamSender, withTransport } from '../aws/aws-transport.js';

export interface ListBedrockModelsOptions extends AwsAuthorizerOptions {
  region: string;
  /** The control-plane endpoint, a URL that may contain `{region}`; default `https://bedrock.{region}.amazonaws.com`. */
  endpoint?: string;
  /** An authorizer to share with the runtime adapter; built from the other options when absent. */
  authorizer?: AwsAuthorizer;
  transport?: UpstreamSender;
  signal?: AbortSignal;
  /** A guard against an endpoint that never stops paginating. Default 100. */
  maxPages?: number;
  /** Which inference profiles to list: system-defined (default), and the account's application profiles. */
  profileTypes?: readonly ('SYSTEM_DEFINED' | 'APPLICATION')[];
}

export interface BedrockFoundationModel {
  modelId: string;
  modelArn?: string;
  modelName?: string;
  /** `ON_DEMAND`, `PROVISIONED`, `INFERENCE_PROFILE`… */
  inferenceTypes: string[];
  streaming?: boolean;
  /** `ACTIVE` or `LEGACY`. */
  lifecycleStatus?: string;
}

export interface BedrockInferenceProfile {
  /** `us.anthropic.claude-sonnet-4-5-20250929-v1:0`. */
  id: string;
  name?: string;
  arn?: string;
  status?: string;
  type?: string;
  /** The foundation models (in each region) the profile routes to. */
  modelArns: string[];
}

export interface BedrockModelList {
  region: string;
  foundationModels: BedrockFoundationModel[];
  inferenceProfiles: BedrockInferenceProfile[];
}

const foundationModelsSchema = z.object({
  modelSummaries: z
    .array(
      z.object({
        modelId: z.string(),
        modelArn: z.string().nullish(),
        modelName: z.string().nullish(),
        inferenceTypesSupported: z.array(z.string()).nullish(),
        responseStreamingSupported: z.boolean().nullish(),
        modelLifecycle: z.object({ status: z.string().nullish() }).nullish(),
      }),
    )
    .nullish(),
});

const inferenceProfilesSchema = z.object({
  inferenceProfileSummaries: z
    .array(
      z.object({
        inferenceProfileId: z.string(),
        inferenceProfileName: z.string().nullish(),
        inferenceProfileArn: z.string().nullish(),
        status: z.string().nullish(),
        type: z.string().nullish(),
        models: z.array(z.object({ modelArn: z.string().nullish() })).nullish(),
      }),
    )
    .nullish(),
  nextToken: z.string().nullish(),
});

/**
 * The Claude models of a Bedrock region, live: ListFoundationModels
 * (`GET /foundation-models?byProvider=anthropic`) and the system-defined
 * inference profiles (`GET /inference-profiles?type=SYSTEM_DEFINED`, following
 * `nextToken`), keeping Anthropic's. Signed with SigV4 (service `bedrock`) or
 * sent with a Bedrock API key.
 *
 * @example
 * const { foundationModels, inferenceProfiles } = await listBedrockModels({ region: 'us-west-2' });
 * inferenceProfiles.map((profile) => profile.id); // ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', …]
 */
export async function listBedrockModels(options: ListBedrockModelsOptions): Promise<BedrockModelList> {
  const authorizer = options.authorizer ?? createAwsAuthorizer(options);
  const base = awsEndpoint(options.endpoint, options.region, ENDPOINTS.bedrockControl);
  return withTransport(options.transport, async (transport) => {
    const sending = { ...options, transport };
    const models = foundationModelsSchema.safeParse(
      await getJson(`${base}/foundation-models?byProvider=anthropic`, authorizer, sending),
    );
    const foundationModels = (models.success ? (models.data.modelSummaries ?? []) : [])
      .filter((model) => model.modelId.startsWith('anthropic.'))
      .map((model) => ({
        modelId: model.modelId,
        ...optional('modelArn', model.modelArn),
        ...optional('modelName', model.modelName),
        inferenceTypes: model.inferenceTypesSupported ?? [],
        ...optional('streaming', model.responseStreamingSupported),
        ...optional('lifecycleStatus', model.modelLifecycle?.status),
      }));
    const inferenceProfiles: BedrockInferenceProfile[] = [];
    for (const type of options.profileTypes ?? ['SYSTEM_DEFINED']) {
      const seenTokens = new Set<string>();
      let nextToken: string | undefined;
      for (let page = 0; page < (options.maxPages ?? 100); page += 1) {
        const query = `type=${type}${nextToken === undefined ? '' : `&nextToken=${encodeURIComponent(nextToken)}`}`;
        const parsed = inferenceProfilesSchema.safeParse(
          await getJson(`${base}/inference-profiles?${query}`, authorizer, sending),
        );
        if (!parsed.success) break;
        for (const profile of parsed.data.inferenceProfileSummaries ?? []) {
          // Application profiles have ids of their own: they are Claude's when they route to an Anthropic model.
          const anthropic =
            profile.inferenceProfileId.includes('anthropic.') ||
            (profile.models ?? []).some((model) => model.modelArn?.includes('/anthropic.'));
          if (!anthropic) continue;
          inferenceProfiles.push({
            id: profile.inferenceProfileId,
            ...optional('name', profile.inferenceProfileName),
            ...optional('arn', profile.inferenceProfileArn),
            ...optional('status', profile.status),
            ...optional('type', profile.type),
            modelArns: (profile.models ?? []).flatMap((model) => (model.modelArn ? [model.modelArn] : [])),
          });
        }
        nextToken = parsed.data.nextToken ?? undefined;
        if (nextToken === undefined || seenTokens.has(nextToken)) break;
        seenTokens.add(nextToken);
      }
    }
    return { region: options.region, foundationModels, inferenceProfiles };
  });
}

async function getJson(
  url: string,
  authorizer: AwsAuthorizer,
  options: { region: string; transport?: UpstreamSender; signal?: AbortSignal },
): Promise<unknown> {
  const request = await authorizer.authorize(
    { method: 'GET', url, headers: { accept: 'application/json' } },
    { service: 'bedrock', region: options.region },
  );
  return withTransport(options.transport, async (transport) => {
    const response = await transport.send(request, 'bedrock', options.signal);
    const text = await response.text();
    if (response.status !== 200) throw parseBedrockError(response.status, response.headers, text);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new GatewayError({
        status: 502,
        type: 'api_error',
        platform: 'bedrock',
        message: `The Bedrock control plane answered ${url} with something that is not JSON: ${text.slice(0, 200)}`,
      });
    }
  });
}

function optional<Key extends string, Value>(
  key: Key,
  value: Value | null | undefined,
): { [K in Key]?: Value } {
  return (value === null || value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}
