/**
 * Summarizes a V8 CPU profile (`node --cpu-prof`): the functions with the
 * most self time, and self time per file or package, as shares of the time
 * the process was busy (not idle). Samples before the first one inside
 * `startAt` (by default the gateway's `handleRequest`, i.e. the first
 * request) are left out, so start-up (module loading) does not count.
 *
 * Usage: node profile-summary.js <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  /** Milliseconds of start-up left out (before the first sample inside `startAt`). */
  skippedMs: number;
  totalMs: number;
  busyMs: number;
  functions: ProfileEntry[];
  files: ProfileEntry[];
}

/** A short place for a script URL: `src/gateway/exchange.js`, `undici`, `node:internal/…`. */
function shortPlace(url: string): string {
  if (!url) return '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1] as string;
  const source = /\/(src|bench)\/(.*)$/.exec(url.replace('/bench/.out/', '/'));
  if (source) return `${source[1]}/${source[2]}`;
  return url.replace(/^file:\/\//, '');
}

/** The ids of the nodes whose stack holds a frame of `functionName`. */
function nodesUnder(profile: CpuProfile, functionName: string): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inside = new Set<number>();
  const mark = (id: number) => {
    inside.add(id);
    for (const child of byId.get(id)?.children ?? []) mark(child);
  };
  for (const node of profile.nodes) if (node.callFrame.functionName === functionName) mark(node.id);
  return inside;
}

export function summarizeProfile(path: string, top = 25, startAt = 'handleRequest'): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const inside = nodesUnder(profile, startAt);
  const first = profile.samples.findIndex((id) => inside.has(id));
  const from = first === -1 ? 0 : first;
  let skippedMs = 0;
  for (let index = 0; index < from; index++) skippedMs += (profile.timeDeltas[index] ?? 0) / 1000;
  const selfByNode = new Map<number, number>();
  let totalMs = 0;
  for (let index = from; index < profile.samples.length; index++) {
    const deltaMs = (profile.timeDeltas[index] ?? 0) / 1000;
    totalMs += deltaMs;
    const id = profile.samples[index] as number;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + deltaMs);
  }
  const functions = new Map<string, { name: string; where: string; selfMs: number }>();
  const files = new Map<string, number>();
  let idleMs = 0;
  for (const [id, selfMs] of selfByNode) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idleMs += selfMs;
      continue;
    }
    const place = shortPlace(frame.url);
    const where = frame.url ? `${place}:${frame.lineNumber + 1}` : place;
    const key = `${name}@${where}`;
    const entry = functions.get(key) ?? { name, where, selfMs: 0 };
    entry.selfMs += selfMs;
    functions.set(key, entry);
    const file = frame.url ? place : name;
    files.set(file, (files.get(file) ?? 0) + selfMs);
  }
  const busyMs = totalMs - idleMs;
  const share = (value: number) => (busyMs > 0 ? value / busyMs : 0);
  return {
    skippedMs,
    totalMs,
    busyMs,
    functions: [...functions.values()]
      .sort((left, right) => right.selfMs - left.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, share: share(entry.selfMs) })),
    files: [...files]
      .sort((left, right) => right[1] - left[1])
      .slice(0, 15)
      .map(([name, selfMs]) => ({ name, where: '', selfMs, share: share(selfMs) })),
  };
}

/** The summary as text: two ranked lists. */
export function formatProfile(title: string, summary: ProfileSummary): string {
  const percent = (value: number) => `${(value * 100).toFixed(1).padStart(5)}%`;
  const lines = [
    `${title}: ${(summary.busyMs / 1000).toFixed(1)} s busy of ${(summary.totalMs / 1000).toFixed(1)} s ` +
      `from the first request on (the first ${(summary.skippedMs / 1000).toFixed(1)} s left out: start-up)`,
    'top self time (share of busy time):',
    ...summary.functions.map(
      (entry) =>
        `  ${percent(entry.share)}  ${entry.selfMs.toFixed(0).padStart(6)} ms  ${entry.name}  ${entry.where}`,
    ),
    'self time by file or package:',
    ...summary.files.map(
      (entry) => `  ${percent(entry.share)}  ${entry.selfMs.toFixed(0).padStart(6)} ms  ${entry.name}`,
    ),
  ];
  return lines.join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node profile-summary.js <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatProfile(file, summarizeProfile(file, Number(process.argv[3] ?? 25))));
}
