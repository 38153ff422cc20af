/*
 * Beta lists the platforms share; each platform's descriptor says which it
 * accepts and rejects (`betas`).
 */

import { FINE_GRAINED_TOOL_STREAMING_BETA } from '../streaming/fine-grained-tool-streaming.js';

export { FINE_GRAINED_TOOL_STREAMING_BETA };

/** Betas the platforms share (what Bedrock's and Vertex's Claude pages list). */
export const SHARED_BETAS = [
  'computer-use-2024-10-22',
  'computer-use-2025-01-24',
  'computer-use-2025-11-24',
  'token-efficient-tools-2025-02-19',
  'interleaved-thinking-2025-05-14',
  'output-128k-2025-02-19',
  'dev-full-thinking-2025-05-14',
  'context-1m-2025-08-07',
  'context-management-2025-06-27',
  'effort-2025-11-24',
  'tool-search-tool-2025-10-19',
  'tool-examples-2025-10-29',
  FINE_GRAINED_TOOL_STREAMING_BETA,
  // Estimated thinking tokens in streamed thinking deltas (SDKs since 2026-05-21). Claude Code 2.1.332
  // sends it on every request in its Bedrock and Vertex modes, so both platforms take it.
  'thinking-token-count-2026-05-13',
];

/**
 * Betas that name a client rather than a feature. The cloud platforms accept
 * them although their Claude pages do not list them: Claude Code sends
 * `claude-code-20250219` on every request in its Bedrock mode (in the body's
 * `anthropic_beta`) and its Vertex mode (in the header), and works there.
 */
export const CLIENT_BETAS = ['claude-code-20250219'];

/**
 * Web search on Vertex AI: Google's Vertex pages require this beta for it on
 * `:rawPredict`/`:streamRawPredict`, and Claude Code sends it on every Vertex
 * request. (Vertex's count-tokens endpoint still refuses it; the gateway learns
 * that from the answer and retries without it.)
 */
export const VERTEX_ONLY_BETAS = ['web-search-2025-03-05'];

/** First-party features the cloud platforms do not serve: their betas are rejected there. */
export const FIRST_PARTY_ONLY_BETAS = [
  'files-api-2025-04-14',
  'mcp-client-2025-04-04',
  'mcp-client-2025-11-20',
  'code-execution-2025-05-22',
  'code-execution-2025-08-25',
  'web-fetch-2025-09-10',
  'web-search-2025-03-05',
  'skills-2025-10-02',
  // Tool search's first-party beta: Claude Code sends tool-search-tool-2025-10-19 on Bedrock and Vertex instead.
  'advanced-tool-use-2025-11-20',
  'oauth-2025-04-20',
  'message-batches-2024-09-24',
];

export interface BetaSupport {
  /** Betas the platform is known to accept. */
  accepted: readonly string[];
  /** Betas the platform is known to reject: the adapters drop them and say so. */
  rejected: readonly string[];
  /**
   * What the platform itself does with a beta in neither list. The adapters
   * forward unknown betas anyway (a new beta must work with no code change) and
   * learn from the rejection; the emulator uses this to answer as the platform does.
   */
  unknown: 'accept' | 'reject';
  /**
   * The platform takes no `anthropic-beta` at all (the header is refused with a
   * 400): the adapters drop every beta and report each one.
   */
  refusesAll?: boolean;
}
