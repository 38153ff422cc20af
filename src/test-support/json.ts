/**
 * Test-only: a response body read as loosely typed JSON, so assertions can
 * walk it without a cast at every step. Production code validates with zod.
 */
// biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON
export type LooseJson = any;

export async function readJson(response: Response): Promise<LooseJson> {
  return response.json();
}
