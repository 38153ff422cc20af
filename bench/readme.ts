/** Writes a run's results into bench/README.md and README.md, between marker comments, keeping the rest of each file. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const START_MARKER = '<!-- last-run:start (written by npm run bench) -->';
export const END_MARKER = '<!-- last-run:end -->';
export const SUMMARY_START_MARKER = '<!-- bench-summary:start (written by npm run bench) -->';
export const SUMMARY_END_MARKER = '<!-- bench-summary:end -->';

/** Replaces the marked section of `path` with `section` (appends it when the markers are missing). */
export function writeLastRun(path: string, section: string): void {
  replaceMarked(path, section, START_MARKER, END_MARKER);
}

/** Replaces the summary in the main README's Benchmarks section. */
export function writeReadmeSummary(path: string, section: string): void {
  replaceMarked(path, section, SUMMARY_START_MARKER, SUMMARY_END_MARKER);
}

function replaceMarked(path: string, section: string, startMarker: string, endMarker: string): void {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const block = `${startMarker}\n${section.trim()}\n${endMarker}`;
  const start = text.indexOf(startMarker);
  const end = text.indexOf(endMarker);
  const next =
    start !== -1 && end > start
      ? `${text.slice(0, start)}${block}${text.slice(end + endMarker.length)}`
      : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(path, next);
}
