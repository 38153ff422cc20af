/** The widest a cell is shown; longer values (a model name a client made up) end in `…`. */
export const MAX_CELL_WIDTH = 100;

/** A cell on one line: control characters (a client's CR/LF) shown escaped, long values cut. */
function fit(cell: string): string {
  const visible = cell.replace(/[\u0000-\u001f\u007f]/g, (character) =>
    JSON.stringify(character).slice(1, -1),
  );
  return visible.length > MAX_CELL_WIDTH ? `${visible.slice(0, MAX_CELL_WIDTH - 1)}…` : visible;
}

/**
 * Lines of a plain-text table: columns padded to their widest cell (at most
 * MAX_CELL_WIDTH characters), two spaces apart, no trailing spaces.
 *
 * @example
 * formatTable(['MODEL', 'CONTEXT'], [['claude-haiku-4-5', '200K']]);
 * // ['MODEL             CONTEXT', 'claude-haiku-4-5  200K']
 */
export function formatTable(headers: readonly string[], cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((row) => row.map(fit));
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
