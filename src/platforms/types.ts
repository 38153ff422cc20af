import type { ResolvedModel } from '../catalog/resolve.js';
import type { Platform, Target } from '../catalog/types.js';
import type { StreamEvent } from '../wire/anthropic-events.js';
import type { GatewayError } from '../wire/errors/gateway-error.js';

/**
 * One Messages call as the engine hands it to a platform adapter: the
 * Anthropic Messages body (the common language of every platform) plus what
 * travels beside it in headers.
 */
export interface MessagesCall {
  /**
   * The Messages body. Adapters never mutate it: they edit a shallow copy in
   * place (drop `model`/`stream`, add `anthropic_version`, move betas) and keep
   * every field, role and block they do not know.
   */
  body: Record<string, unknown>;
  stream: boolean;
  /** Betas from the `anthropic-beta` header and any `anthropic_beta` body field, in order, without duplicates. */
  betas: readonly string[];
  /** The client's API version (header or body): a dated first-party version or a platform's own. */
  anthropicVersion?: string;
  /** Headers to pass upstream unchanged (already allowlisted by the caller). */
  forwardHeaders?: Readonly<Record<string, string>>;
  /**
   * The body's bytes exactly as the client sent them, when `body` is their
   * parse: an adapter that would change nothing forwards these instead of
   * serializing `body` again (a 100 KB Claude Code body costs ~0.3 ms to re-serialize).
   */
  rawBody?: Uint8Array;
}

/** A target with its upstream model id resolved. */
export interface ResolvedTarget extends Target {
  /** The id the platform knows the model by: `us.anthropic.claude-…-v1:0`, `claude-…@2025…`. */
  modelId: string;
  resolved: ResolvedModel;
}

/** An HTTP request to an upstream, before or after credentials are added. */
export interface UpstreamRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/** A prepared upstream request and what the adapter changed to make it. */
export interface PreparedRequest {
  request: UpstreamRequest;
  /** Changes worth telling the client and the log, e.g. `dropped-beta:web-search-2025-03-05`. */
  changes: string[];
}

/** How a platform frames a streaming answer (its descriptor's `streamFraming`). */
export type { StreamFraming } from './descriptor.js';

/**
 * One decoded item of an upstream stream. An event the decoder was told not to
 * parse carries only its `type` (`parsed: false`) beside its JSON text.
 */
export type UpstreamStreamItem =
  | { kind: 'event'; event: StreamEvent; json: string; parsed?: false }
  | { kind: 'error'; error: GatewayError };

/** How much of a stream to decode. */
export interface StreamDecoderOptions {
  /**
   * Which event types to parse; the others come with only their type and JSON
   * text, for a caller that forwards them as they are and reads only a few
   * (usage, stop reason). Default: every event. Error events are always parsed.
   */
  parse?: (type: string) => boolean;
}

/** Invocation numbers a platform reports beside the events (Bedrock's metrics). */
export interface UpstreamMetrics {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  invocationLatencyMs?: number;
  firstByteLatencyMs?: number;
}

/**
 * Decodes one upstream stream, fed one network chunk at a time, so the same
 * decoder serves a re-encoding path and a byte-for-byte passthrough with a tap.
 */
export interface StreamDecoder {
  /** Decodes a chunk; returns the items completed by it (possibly none). */
  push(chunk: Uint8Array): UpstreamStreamItem[];
  /** The stream ended: returns the last items, or an error item for a truncated frame. */
  end(): UpstreamStreamItem[];
}

/**
 * One upstream platform: how a Messages call becomes its HTTP request and how
 * its answers come back as Anthropic events and errors. Auth is separate
 * (`authorize`) so it can be cached, refreshed and tested on its own.
 */
export interface PlatformAdapter {
  readonly platform: Platform;

  /** Resolves what the adapter needs before preparing requests (a Vertex project id); optional. */
  ready?(): Promise<void>;

  /** The Messages request (streaming or not) for a target. Throws GatewayError for a call the platform cannot take. */
  prepareMessages(call: MessagesCall, target: ResolvedTarget): PreparedRequest;
  /** The count-tokens request for a target. */
  prepareCountTokens(call: MessagesCall, target: ResolvedTarget): PreparedRequest;
  /** Reads the input-token count from a count-tokens answer. */
  parseCountTokens(body: unknown): number;

  /** Adds credentials: SigV4, a Google OAuth token, an API key. */
  authorize(request: UpstreamRequest, target: ResolvedTarget): Promise<UpstreamRequest>;

  /** A fresh decoder for one streaming answer. */
  createStreamDecoder(options?: StreamDecoderOptions): StreamDecoder;
  /** Turns an error answer into a GatewayError, keeping the platform's message. */
  parseError(status: number, headers: Headers, bodyText: string): GatewayError;
}
