/**
 * Lines of a plain-text table: columns padded to their widest cell, two
 * spaces apart, no trailing spaces.
 *
 * @example
 * formatTable(['MODEL', 'CONTEXT'], [['claude-haiku-4-5', '200K']]);
 * // ['MODEL             CONTEXT', 'claude-haiku-4-5  200K']
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    headers
      .map((_, column) => (cells[column] ?? '').padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}
