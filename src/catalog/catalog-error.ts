/** A catalog lookup that cannot be answered, e.g. a scope the model lacks. */
export class CatalogError extends Error {
  override name = 'CatalogError';
  constructor(
    message: string,
    readonly code: 'SCOPE_NOT_AVAILABLE' | 'PLATFORM_NOT_AVAILABLE',
    readonly available: readonly string[] = [],
  ) {
    super(message);
  }
}
