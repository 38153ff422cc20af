import { CLIENT_BETAS, FIRST_PARTY_ONLY_BETAS, SHARED_BETAS } from '../beta-support.js';
import type { PlatformDescriptor } from '../descriptor.js';

/**
 * What every platform serving the Claude API in its own shape shares (the
 * Anthropic API, Claude Platform on AWS, Foundry): SSE, Anthropic-shaped
 * errors, betas passed through as on the first party, both API versions, the
 * first party's 32 MB body limit, and no regional premium.
 */
export const FIRST_PARTY_SHAPE = {
  streamFraming: 'sse',
  errorDialect: 'anthropic',
  betas: {
    accepted: [...SHARED_BETAS, ...CLIENT_BETAS, ...FIRST_PARTY_ONLY_BETAS],
    rejected: [],
    unknown: 'accept',
  },
  apiVersions: { accepted: ['2023-06-01', '2026-10-21'] },
  maxBodyBytes: 32 * 1024 * 1024,
  regionalPremium: () => false,
} as const satisfies Partial<PlatformDescriptor>;
