/**
 * Summarizes a sampled allocation profile (`.heapprofile`, as a bench server
 * writes it with `BENCH_ALLOCATION_PROFILE_DIR`): the megabytes allocated in
 * all, the functions that allocated most themselves, and the call paths
 * (four frames, innermost first) that did. With `--per N` each line also says
 * bytes per unit of work (N requests, or N stream events).
 *
 * Usage: node allocation-summary.js <file.heapprofile> [--top 25] [--per 8120]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

interface AllocationNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: AllocationNode[];
}

export interface AllocationEntry {
  name: string;
  bytes: number;
}

export interface AllocationSummary {
  totalBytes: number;
  functions: AllocationEntry[];
  paths: AllocationEntry[];
}

/** `name file:line`, with the path cut to its last two parts (and `node_modules/` to `nm:`). */
function frameName(node: AllocationNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    .replace(/.*node_modules\//, 'nm:')
    .split('/')
    .slice(-2)
    .join('/');
  return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
}

function top(totals: Map<string, number>, count: number): AllocationEntry[] {
  return [...totals]
    .sort((left, right) => right[1] - left[1])
    .slice(0, count)
    .map(([name, bytes]) => ({ name, bytes }));
}

/** The totals of a profile's tree. */
export function summarizeAllocations(head: AllocationNode, count = 25): AllocationSummary {
  const byFunction = new Map<string, number>();
  const byPath = new Map<string, number>();
  let totalBytes = 0;
  const walk = (node: AllocationNode, stack: string[]) => {
    const here = [...stack, frameName(node)];
    if (node.selfSize > 0) {
      totalBytes += node.selfSize;
      const name = here[here.length - 1] as string;
      byFunction.set(name, (byFunction.get(name) ?? 0) + node.selfSize);
      const path = here.slice(-4).reverse().join(' < ');
      byPath.set(path, (byPath.get(path) ?? 0) + node.selfSize);
    }
    for (const child of node.children ?? []) walk(child, here);
  };
  walk(head, []);
  return { totalBytes, functions: top(byFunction, count), paths: top(byPath, count) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string', default: '25' }, per: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) {
    console.error('usage: node allocation-summary.js <file.heapprofile> [--top 25] [--per N]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { head: AllocationNode };
  const summary = summarizeAllocations(profile.head, Number(values.top));
  const per = values.per ? Number(values.per) : undefined;
  const perUnit = (bytes: number) => (per ? `${Math.round(bytes / per)} B/unit`.padStart(13) : '');
  const line = (entry: AllocationEntry) =>
    `${(entry.bytes / 1e6).toFixed(2).padStart(9)} MB${perUnit(entry.bytes)}  ${entry.name}`;
  const perTotal = per ? `, ${Math.round(summary.totalBytes / per)} bytes per unit (${per} units)` : '';
  console.log(`${(summary.totalBytes / 1e6).toFixed(1)} MB allocated${perTotal}`);
  console.log('\nby function (self):');
  for (const entry of summary.functions) console.log(line(entry));
  console.log('\nby call path (innermost first):');
  for (const entry of summary.paths) console.log(line(entry));
}
