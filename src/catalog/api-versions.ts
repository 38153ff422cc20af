/*
 * The Claude API's versions, as data: which dated version each platform's own
 * version name stands for, and what each version removed. The version a
 * platform takes is in its descriptor (`apiVersions`), narrowed per model by
 * the catalog row's `apiVersions`.
 */

/** What a version removed: requests that still carry it are refused with 400. */
export interface VersionRemovals {
  /** Top-level body fields (`temperature`). */
  fields: readonly string[];
  /** Content blocks refused in messages of a role (`document` in an assistant message). */
  blocks: readonly { role: string; type: string }[];
  /** Roles whose `text` blocks may not carry non-empty `citations` (also inside `search_result`). */
  citationsOn: readonly string[];
}

export interface ApiVersionFacts {
  /** The dated first-party version it is (a platform's own name maps to one). */
  dated: string;
  /** What it removed from the version before it. */
  removes?: VersionRemovals;
}

/**
 * Every version name the gateway knows. `2026-10-21` removes the sampling
 * parameters and refuses documents in assistant turns and citations on user
 * text (https://platform.claude.com/docs/en/api/versioning,
 * https://platform.claude.com/docs/en/api/migration-2026-10-21).
 */
export const API_VERSIONS: Readonly<Record<string, ApiVersionFacts>> = {
  '2023-06-01': { dated: '2023-06-01' },
  'bedrock-2023-05-31': { dated: '2023-06-01' },
  'vertex-2023-10-16': { dated: '2023-06-01' },
  '2026-10-21': {
    dated: '2026-10-21',
    removes: {
      fields: ['temperature', 'top_p', 'top_k'],
      blocks: [{ role: 'assistant', type: 'document' }],
      citationsOn: ['user'],
    },
  },
};

/** The dated versions in order, oldest first. */
const ORDER = ['2023-06-01', '2026-10-21'];

/** The dated version a name stands for; an unknown name stands for itself. */
export function datedVersion(version: string): string {
  return API_VERSIONS[version]?.dated ?? version;
}

/**
 * What a request loses going from one version to a later one: the removals
 * of every version after `from` up to `to`, or none when `to` is not later.
 */
export function removalsBetween(from: string, to: string): VersionRemovals[] {
  const start = ORDER.indexOf(datedVersion(from));
  const end = ORDER.indexOf(datedVersion(to));
  if (start < 0 || end <= start) return [];
  return ORDER.slice(start + 1, end + 1).flatMap((dated) => {
    const removes = API_VERSIONS[dated]?.removes;
    return removes ? [removes] : [];
  });
}
