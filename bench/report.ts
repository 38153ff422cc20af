/**
 * The one table of a run: every measurement's numbers per system, with
 * ratios against direct and against the bare proxy, Portkey's cost over
 * ours, and each target marked met or missed.
 */
import type { IdleMemoryResult } from './measure/idle-memory.js';
import type { LatencyResult } from './measure/latency.js';
import type { StreamingResult } from './measure/streaming.js';
import type { ThroughputResult } from './measure/throughput.js';
import type { Summary } from './statistics.js';
import type { System, SystemKey } from './systems.js';

export interface BenchResults {
  /** Measurement 1, and 4 (the rows of the gateways that keep full bodies). */
  latency: LatencyResult[];
  streaming: StreamingResult;
  throughput: ThroughputResult;
  idleMemory: IdleMemoryResult;
  systems: Map<SystemKey, Pick<System, 'label' | 'baseline' | 'ours'>>;
}

/** Targets on this 2-core machine (issue 6). */
export const TARGETS = {
  /** claude-gateway's added latency ÷ the bare proxy's, at most. */
  addedOverBare: 1.25,
  /** Portkey's added latency ÷ claude-gateway's, at least. */
  portkeyOverOurs: 4,
  /** Added p99 delay between stream events, under (ms). */
  eventGapP99Ms: 1,
  /** RSS with 1,000 idle streams, under (bytes). */
  idleRssBytes: 150 * 1024 * 1024,
};

type Row = [string, string, string, string, string, string, string, string];
const HEADER: Row = [
  'measurement',
  'system',
  'median / p99',
  '× direct',
  'added over direct',
  'added ÷ bare',
  'Portkey ÷ ours',
  'target',
];

export interface Report {
  table: string;
  /** Comparisons the table does not show at a glance (full bodies against metadata). */
  notes: string[];
  /** One line per target missed. */
  missed: string[];
}

interface Pair {
  median: number;
  p99: number;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toFixed(digits);
}

function signed(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 0 ? '+' : '−'}${ms(Math.abs(value))}`;
}

/** numerator ÷ denominator, or NaN when the denominator is too small to divide by (≤ `floor` ms). */
function ratio(numerator: number, denominator: number, floor = 0.005): number {
  return denominator > floor ? numerator / denominator : Number.NaN;
}

function times(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function pair(value: Pair, format: (number: number) => string = times): string {
  return `${format(value.median)} / ${format(value.p99)}`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function mark(met: boolean): string {
  return met ? 'met' : 'MISSED';
}

function kilobytes(bytes: number): string {
  return bytes >= 10 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024).toFixed(1)} KB`;
}

const isFull = (key: SystemKey) => key.endsWith('-full');
const isBaseline = (key: SystemKey) => key === 'direct' || key === 'direct-bedrock';

class Reporter {
  readonly rows: Row[] = [];
  readonly fullRows: Row[] = [];
  readonly notes: string[] = [];
  readonly missed: string[] = [];

  constructor(private readonly systems: BenchResults['systems']) {}

  label(key: SystemKey): string {
    return this.systems.get(key)?.label ?? key;
  }

  /** The system a row's "added" is measured over: its own direct baseline (direct Bedrock is over direct). */
  baselineOf(key: SystemKey): SystemKey {
    if (key === 'direct-bedrock') return 'direct';
    return this.systems.get(key)?.baseline ?? 'direct';
  }

  overBaselineNote(key: SystemKey): string {
    return this.baselineOf(key) === 'direct-bedrock' ? ' ᴮ' : '';
  }

  latency(result: LatencyResult): void {
    const added = (key: SystemKey): Pair | undefined => {
      const summary = result.bySystem.get(key);
      const base = result.bySystem.get(this.baselineOf(key));
      if (!summary || !base) return undefined;
      return { median: summary.median - base.median, p99: summary.p99 - base.p99 };
    };
    const bare = added('bare');
    const portkey = added('portkey');
    const scenario = `${result.scenario.name}, ${kilobytes(result.bodyBytes)}`;
    for (const [key, summary] of result.bySystem) {
      const full = isFull(key);
      const measurement = `${full ? '4' : '1'}. latency, ${scenario}${full ? ', log keeps full bodies' : ''}`;
      const failures = result.failures.get(key) ?? 0;
      const value = `${ms(summary.median)} / ${ms(summary.p99)} ms${failures ? ` (${failures} failed)` : ''}`;
      const target = full ? this.fullRows : this.rows;
      if (key === 'direct') {
        target.push([measurement, this.label(key), value, '1', '—', '—', '—', '—']);
        continue;
      }
      const base = result.bySystem.get(this.baselineOf(key)) as Summary;
      const mine = added(key) as Pair;
      const overBare = bare && !isBaseline(key) && key !== 'bare' ? divide(mine, bare) : undefined;
      const portkeyOverMine = portkey && this.systems.get(key)?.ours ? divide(portkey, mine) : undefined;
      let verdict = '—';
      if (this.systems.get(key)?.ours && overBare && portkeyOverMine) {
        // As inequalities, so a tiny or negative denominator still gives an answer.
        const checks = {
          bare: {
            median: mine.median <= TARGETS.addedOverBare * (bare as Pair).median,
            p99: mine.p99 <= TARGETS.addedOverBare * (bare as Pair).p99,
          },
          portkey: {
            median: (portkey as Pair).median >= TARGETS.portkeyOverOurs * mine.median,
            p99: (portkey as Pair).p99 >= TARGETS.portkeyOverOurs * mine.p99,
          },
        };
        verdict =
          `≤${TARGETS.addedOverBare}× bare ${mark(checks.bare.median)}/${mark(checks.bare.p99)}, ` +
          `≥${TARGETS.portkeyOverOurs}× Portkey ${mark(checks.portkey.median)}/${mark(checks.portkey.p99)}`;
        const where = `${this.label(key)}, ${measurement.slice(3)}`;
        if (!checks.bare.median || !checks.bare.p99) {
          this.missed.push(
            `${where}: added latency ${pair(overBare)}× the bare proxy's (median / p99; target ≤ ${TARGETS.addedOverBare}×)`,
          );
        }
        if (!checks.portkey.median || !checks.portkey.p99) {
          this.missed.push(
            `${where}: Portkey's added latency is ${pair(portkeyOverMine)}× ours (median / p99; target ≥ ${TARGETS.portkeyOverOurs}×)`,
          );
        }
      }
      target.push([
        measurement,
        this.label(key),
        value,
        times(summary.median / base.median) + this.overBaselineNote(key),
        `${pair(mine, signed)} ms${this.overBaselineNote(key)}`,
        overBare ? pair(overBare) : '—',
        portkeyOverMine ? pair(portkeyOverMine) : '—',
        verdict,
      ]);
      if (full) {
        const metadata = added(key.replace('-full', '') as SystemKey);
        if (metadata) {
          this.notes.push(
            `Log keeps full bodies, ${scenario}: ${this.label(key)} adds ${pair(mine, signed)} ms (median / p99), ` +
              `${pair(metadata, signed)} ms with metadata only.`,
          );
        }
      }
    }
  }

  streaming(result: StreamingResult): void {
    const streams = `${result.scenario.concurrency} streams in flight`;
    const firstAdded = (key: SystemKey): Pair | undefined => {
      const system = result.bySystem.get(key)?.firstEvent;
      const base = result.bySystem.get(this.baselineOf(key))?.firstEvent;
      return system && base ? { median: system.median - base.median, p99: system.p99 - base.p99 } : undefined;
    };
    const gapAdded = (key: SystemKey): Pair | undefined => {
      const system = result.bySystem.get(key)?.gapExcess;
      const base = result.bySystem.get(this.baselineOf(key))?.gapExcess;
      return system && base ? { median: system.median - base.median, p99: system.p99 - base.p99 } : undefined;
    };
    const bareFirst = firstAdded('bare');
    const portkeyFirst = firstAdded('portkey');
    for (const [key, system] of result.bySystem) {
      const base = result.bySystem.get(this.baselineOf(key)) ?? system;
      const mine = firstAdded(key) as Pair;
      const ours = this.systems.get(key)?.ours ?? false;
      this.rows.push([
        `2. time to first event, ${streams}`,
        this.label(key),
        `${ms(system.firstEvent.median)} / ${ms(system.firstEvent.p99)} ms${system.failures ? ` (${system.failures} failed)` : ''}`,
        key === 'direct'
          ? '1'
          : times(system.firstEvent.median / base.firstEvent.median) + this.overBaselineNote(key),
        key === 'direct' ? '—' : `${pair(mine, signed)} ms${this.overBaselineNote(key)}`,
        bareFirst && !isBaseline(key) && key !== 'bare' ? pair(divide(mine, bareFirst)) : '—',
        ours && portkeyFirst ? pair(divide(portkeyFirst, mine)) : '—',
        '—',
      ]);
    }
    const bareGaps = gapAdded('bare');
    const portkeyGaps = gapAdded('portkey');
    for (const [key, system] of result.bySystem) {
      const gaps = gapAdded(key) as Pair;
      const ours = this.systems.get(key)?.ours ?? false;
      let verdict = '—';
      if (ours) {
        const met = gaps.p99 < TARGETS.eventGapP99Ms && system.failures === 0;
        verdict = `p99 added < ${TARGETS.eventGapP99Ms} ms ${mark(met)}`;
        if (!met) {
          this.missed.push(
            `${this.label(key)}: p99 gap between stream events ${signed(gaps.p99)} ms over direct (target < ${TARGETS.eventGapP99Ms} ms)`,
          );
        }
      }
      this.rows.push([
        `2. gap between events − ${result.intervalMs} ms, ${streams}`,
        this.label(key),
        `${ms(system.gapExcess.median)} / ${ms(system.gapExcess.p99)} ms; ${system.events} events/stream, ${system.lateOver5ms} gaps > 5 ms late`,
        '—',
        key === 'direct' ? '—' : `${pair(gaps, signed)} ms${this.overBaselineNote(key)}`,
        bareGaps && !isBaseline(key) && key !== 'bare' ? pair(divide(gaps, bareGaps)) : '—',
        ours && portkeyGaps ? pair(divide(portkeyGaps, gaps)) : '—',
        verdict,
      ]);
    }
  }

  throughput(result: ThroughputResult): void {
    const rate = (key: SystemKey) => result.bySystem.get(key)?.streamsPerSecond ?? Number.NaN;
    for (const [key, system] of result.bySystem) {
      const ours = this.systems.get(key)?.ours ?? false;
      this.rows.push([
        `3. throughput, ${result.scenario.concurrency} short streams in flight`,
        this.label(key),
        `${Math.round(system.streamsPerSecond).toLocaleString('en-US')} streams/s${system.failures ? ` (${system.failures} failed)` : ''}`,
        key === 'direct'
          ? '1'
          : times(system.streamsPerSecond / rate(this.baselineOf(key))) + this.overBaselineNote(key),
        '—',
        ours ? `rate ${times(system.streamsPerSecond / rate('bare'))}` : '—',
        ours ? `rate ${times(rate('portkey') / system.streamsPerSecond)}` : '—',
        '—',
      ]);
    }
  }

  memory(result: IdleMemoryResult): void {
    const wanted = result.scenario.streams;
    const held = (key: SystemKey) => result.bySystem.get(key)?.heldBytes ?? Number.NaN;
    for (const [key, system] of result.bySystem) {
      const ours = this.systems.get(key)?.ours ?? false;
      let verdict = '—';
      if (ours) {
        const allStarted = system.started === wanted;
        const met = allStarted && system.heldBytes < TARGETS.idleRssBytes;
        verdict = `< ${mb(TARGETS.idleRssBytes)} ${mark(met)}${allStarted ? '' : ` (${system.started} of ${wanted} started)`}`;
        if (!met) {
          this.missed.push(
            `${this.label(key)}: RSS ${mb(system.heldBytes)} with ${system.started} of ${wanted} idle streams started (target < ${mb(TARGETS.idleRssBytes)} with ${wanted})`,
          );
        }
      }
      this.rows.push([
        `3. RSS after GC, ${wanted.toLocaleString('en-US')} idle streams`,
        this.label(key),
        `${mb(system.heldBytes)} (heap ${mb(system.heldHeapBytes)}), ${system.started}/${wanted} started; ${mb(system.baselineBytes)} before`,
        key === 'direct' ? '1' : times(system.heldBytes / held('direct')),
        `${signed((system.heldBytes - system.baselineBytes) / 1024 / 1024)} MB over before`,
        ours ? `RSS ${times(system.heldBytes / held('bare'))}` : '—',
        ours ? `RSS ${times(held('portkey') / system.heldBytes)}` : '—',
        verdict,
      ]);
    }
  }
}

function divide(numerator: Pair, denominator: Pair): Pair {
  return { median: ratio(numerator.median, denominator.median), p99: ratio(numerator.p99, denominator.p99) };
}

function layout(rows: Row[]): string {
  const widths = HEADER.map((_, column) =>
    Math.max(...[HEADER, ...rows].map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(HEADER), line(widths.map((width) => '-'.repeat(width)))];
  let previous = '';
  for (const row of rows) {
    if (previous && row[0] !== previous) out.push('');
    previous = row[0];
    out.push(line(row));
  }
  return out.join('\n');
}

/** Builds the table, the notes and the list of missed targets. */
export function buildReport(results: BenchResults): Report {
  const reporter = new Reporter(results.systems);
  for (const result of results.latency) reporter.latency(result);
  reporter.streaming(results.streaming);
  reporter.throughput(results.throughput);
  reporter.memory(results.idleMemory);
  return {
    table: layout([...reporter.rows, ...reporter.fullRows]),
    notes: reporter.notes,
    missed: reporter.missed,
  };
}
