/** Writes a run's results into bench/README.md, between two marker comments, keeping the rest of the file. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const START_MARKER = '<!-- last-run:start (written by npm run bench) -->';
export const END_MARKER = '<!-- last-run:end -->';

/** Replaces the marked section of `path` with `section` (appends it when the markers are missing). */
export function writeLastRun(path: string, section: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const block = `${START_MARKER}\n${section.trim()}\n${END_MARKER}`;
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  const next =
    start !== -1 && end > start
      ? `${text.slice(0, start)}${block}${text.slice(end + END_MARKER.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
