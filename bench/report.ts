/**
 * The one table of a run: every measurement's numbers per system, with
 * ratios against direct and against the bare proxy, Portkey's cost over
 * ours, and each target of issue 16 marked met or missed. The targets apply
 * to claude-gateway in its default configuration (the log keeps full
 * bodies); the `bodies: metadata` and `none` rows come after, for comparison.
 */
import type { IdleMemoryResult } from './measure/idle-memory.js';
import type { LatencyResult } from './measure/latency.js';
import type { StreamingResult } from './measure/streaming.js';
import type { ThroughputResult } from './measure/throughput.js';
import type { Summary } from './statistics.js';
import type { System, SystemKey } from './systems.js';

export interface BenchResults {
  /** Measurement 1, and 4 (the rows of the gateways whose log keeps less than full bodies). */
  latency: LatencyResult[];
  streaming: StreamingResult;
  throughput: ThroughputResult;
  idleMemory: IdleMemoryResult;
  systems: Map<SystemKey, Pick<System, 'label' | 'baseline' | 'ours' | 'default'>>;
}

/** Targets on this 2-core machine (issue 16), for claude-gateway in its default configuration. */
export const TARGETS = {
  /** Anthropic → Anthropic: added latency ÷ the bare proxy's, at most. */
  addedOverBare: 1.25,
  /** Anthropic → Anthropic: Portkey's added latency ÷ ours, at least. */
  portkeyOverOurs: 4,
  /** Anthropic → Bedrock (over the direct Bedrock baseline): added latency ÷ the bare proxy's, at most. */
  bedrockAddedOverBare: 2,
  /** Anthropic → Bedrock: answers per second at 64 connections ÷ Portkey's, at least. */
  bedrockRateOverPortkey: 3,
  /** Added p99 delay between stream events, under (ms). */
  eventGapP99Ms: 1,
  /** Added time to the first event (median), under (ms). */
  firstEventAddedMs: 1,
  /** RSS with 1,000 idle streams, under (bytes). */
  idleRssBytes: 120 * 1024 * 1024,
};

/** The targets in one sentence, for the README. */
export function targetsSentence(): string {
  return (
    `Targets (claude-gateway in its default configuration: \`bodies: full\`, log and metrics on): ` +
    `Anthropic → Anthropic added latency ≤ ${TARGETS.addedOverBare}× the bare proxy's and ≥ ${TARGETS.portkeyOverOurs}× below Portkey's; ` +
    `Anthropic → Bedrock added latency ≤ ${TARGETS.bedrockAddedOverBare}× the bare proxy's (over the direct Bedrock baseline) ` +
    `and ≥ ${TARGETS.bedrockRateOverPortkey}× the answers per second of Portkey on the same Bedrock job at 64 connections; ` +
    `p99 added delay of each stream event (the emulator's send stamp to the client) < ${TARGETS.eventGapP99Ms} ms; added time to first event < ${TARGETS.firstEventAddedMs} ms (median); ` +
    `RSS < ${TARGETS.idleRssBytes / 1024 / 1024} MB with 1,000 idle streams.`
  );
}

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
  /** Comparisons the table does not show at a glance (full bodies against metadata and none). */
  notes: string[];
  /** One line per target missed. */
  missed: string[];
  /** How many target checks ran, and how many were met. */
  checks: { total: number; met: number };
  /** The short Markdown table of the README's Benchmarks section. */
  summary: string;
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

/** A claude-gateway whose log keeps less than full bodies (not the default configuration). */
const isVariant = (key: SystemKey) => key.endsWith('-metadata') || key.endsWith('-none');
const isBaseline = (key: SystemKey) => key === 'direct' || key === 'direct-bedrock';

class Reporter {
  readonly rows: Row[] = [];
  readonly variantRows: Row[] = [];
  readonly notes: string[] = [];
  readonly missed: string[] = [];
  readonly checks = { total: 0, met: 0 };

  constructor(private readonly systems: BenchResults['systems']) {}

  /** Counts one target check; a missed one is listed with `line`. */
  check(met: boolean, line: () => string): boolean {
    this.checks.total += 1;
    if (met) this.checks.met += 1;
    else this.missed.push(line());
    return met;
  }

  isDefault(key: SystemKey): boolean {
    return this.systems.get(key)?.default ?? false;
  }

  label(key: SystemKey): string {
    return this.systems.get(key)?.label ?? key;
  }

  /** The system a row's "added" is measured over: its own direct baseline (direct Bedrock is over direct). */
  baselineOf(key: SystemKey): SystemKey {
    if (key === 'direct-bedrock') return 'direct';
    return this.systems.get(key)?.baseline ?? 'direct';
  }

  /** The Portkey that does the same job: Portkey → bedrock for our Bedrock path (when measured), else Portkey → anthropic. */
  portkeyFor(key: SystemKey, measured: { has(key: SystemKey): boolean }): SystemKey {
    return this.baselineOf(key) === 'direct-bedrock' && measured.has('portkey-bedrock')
      ? 'portkey-bedrock'
      : 'portkey';
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
    const rate = (key: SystemKey) => result.requestsPerSecond.get(key) ?? Number.NaN;
    const concurrent = result.scenario.concurrency > 1;
    const scenario = `${result.scenario.name}, ${kilobytes(result.bodyBytes)}`;
    for (const [key, summary] of result.bySystem) {
      const variant = isVariant(key);
      const bodies = key.endsWith('-none') ? 'none' : 'metadata';
      const measurement = `${variant ? '4' : '1'}. latency, ${scenario}${variant ? `, log keeps ${bodies === 'none' ? 'no bodies' : 'metadata only'}` : ''}`;
      const failures = result.failures.get(key) ?? 0;
      const perSecond = concurrent ? `, ${Math.round(rate(key)).toLocaleString('en-US')}/s` : '';
      const value = `${ms(summary.median)} / ${ms(summary.p99)} ms${perSecond}${failures ? ` (${failures} failed)` : ''}`;
      const target = variant ? this.variantRows : this.rows;
      if (key === 'direct') {
        target.push([measurement, this.label(key), value, '1', '—', '—', '—', '—']);
        continue;
      }
      const base = result.bySystem.get(this.baselineOf(key)) as Summary;
      const mine = added(key) as Pair;
      const overBare = bare && !isBaseline(key) && key !== 'bare' ? divide(mine, bare) : undefined;
      const portkeyKey = this.portkeyFor(key, result.bySystem);
      const portkey = added(portkeyKey);
      const portkeyOverMine = portkey && this.systems.get(key)?.ours ? divide(portkey, mine) : undefined;
      // Our Bedrock path's rate, also over Portkey → anthropic (the comparison of the runs before Portkey → bedrock was measured).
      const otherRate =
        portkeyKey === 'portkey-bedrock'
          ? `, ÷ Portkey → anthropic ${times(rate(key) / rate('portkey'))}`
          : '';
      let verdict = '—';
      if (this.isDefault(key) && bare && portkey) {
        const where = `${this.label(key)}, ${measurement.slice(3)}`;
        const bedrock = this.baselineOf(key) === 'direct-bedrock';
        const limit = bedrock ? TARGETS.bedrockAddedOverBare : TARGETS.addedOverBare;
        // As inequalities, so a tiny or negative denominator still gives an answer.
        const bareMet = {
          median: mine.median <= limit * bare.median,
          p99: mine.p99 <= limit * bare.p99,
        };
        this.check(
          bareMet.median && bareMet.p99,
          () =>
            `${where}: added latency ${pair(overBare as Pair)}× the bare proxy's (median / p99; target ≤ ${limit}×)`,
        );
        const parts = [`≤${limit}× bare ${mark(bareMet.median)}/${mark(bareMet.p99)}`];
        if (!bedrock) {
          const portkeyMet = {
            median: portkey.median >= TARGETS.portkeyOverOurs * mine.median,
            p99: portkey.p99 >= TARGETS.portkeyOverOurs * mine.p99,
          };
          this.check(
            portkeyMet.median && portkeyMet.p99,
            () =>
              `${where}: Portkey's added latency is ${pair(portkeyOverMine as Pair)}× ours (median / p99; target ≥ ${TARGETS.portkeyOverOurs}×)`,
          );
          parts.push(
            `≥${TARGETS.portkeyOverOurs}× Portkey ${mark(portkeyMet.median)}/${mark(portkeyMet.p99)}`,
          );
        } else if (concurrent) {
          const over = rate(key) / rate(portkeyKey);
          const met = this.check(
            over >= TARGETS.bedrockRateOverPortkey,
            () =>
              `${where}: ${times(over)}× ${this.label(portkeyKey)}'s answers per second (target ≥ ${TARGETS.bedrockRateOverPortkey}×)`,
          );
          parts.push(`rate ≥${TARGETS.bedrockRateOverPortkey}× Portkey ${mark(met)}`);
        }
        verdict = parts.join(', ');
      }
      target.push([
        measurement,
        this.label(key),
        value,
        times(summary.median / base.median) + this.overBaselineNote(key),
        `${pair(mine, signed)} ms${this.overBaselineNote(key)}`,
        overBare ? pair(overBare) : '—',
        portkeyOverMine
          ? `${pair(portkeyOverMine)}${concurrent ? `; rate ${times(rate(key) / rate(portkeyKey))}${otherRate}` : ''}`
          : '—',
        verdict,
      ]);
    }
    // One note per path: what the default (full bodies) adds, and what each lighter log adds.
    for (const defaultKey of ['gateway-anthropic', 'gateway-bedrock'] as const) {
      const full = added(defaultKey);
      const lighter = (['metadata', 'none'] as const)
        .map((bodies) => ({ bodies, mine: added(`${defaultKey}-${bodies}` as SystemKey) }))
        .filter((entry): entry is { bodies: 'metadata' | 'none'; mine: Pair } => entry.mine !== undefined);
      if (!full || lighter.length === 0) continue;
      this.notes.push(
        `${scenario}, ${this.label(defaultKey)} adds ${pair(full, signed)} ms (median / p99) with the log keeping full bodies (default); ` +
          lighter
            .map((entry) => `${pair(entry.mine, signed)} ms with \`bodies: ${entry.bodies}\``)
            .join(', ') +
          '.',
      );
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
    for (const [key, system] of result.bySystem) {
      const base = result.bySystem.get(this.baselineOf(key)) ?? system;
      const mine = firstAdded(key) as Pair;
      const portkeyFirst = firstAdded(this.portkeyFor(key, result.bySystem));
      const ours = this.systems.get(key)?.ours ?? false;
      let verdict = '—';
      if (this.isDefault(key)) {
        const met = this.check(
          mine.median < TARGETS.firstEventAddedMs && system.failures === 0,
          () =>
            `${this.label(key)}: time to first event ${signed(mine.median)} ms over direct (median; target < ${TARGETS.firstEventAddedMs} ms)`,
        );
        verdict = `median added < ${TARGETS.firstEventAddedMs} ms ${mark(met)}`;
      }
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
        verdict,
      ]);
    }
    const delayAdded = (key: SystemKey): Pair | undefined => {
      const system = result.bySystem.get(key)?.eventDelay;
      const base = result.bySystem.get(this.baselineOf(key))?.eventDelay;
      return system && base ? { median: system.median - base.median, p99: system.p99 - base.p99 } : undefined;
    };
    const bareDelays = delayAdded('bare');
    for (const [key, system] of result.bySystem) {
      const delays = delayAdded(key) as Pair;
      const portkeyDelays = delayAdded(this.portkeyFor(key, result.bySystem));
      // No stamps: an upstream the emulator answers in another shape (Portkey → bedrock calls Converse).
      if (system.eventDelay.count === 0) {
        this.rows.push([
          `2. each event, emulator's send stamp → client, ${streams}`,
          this.label(key),
          'n/a (its upstream, Converse, is not stamped)',
          '—',
          '—',
          '—',
          '—',
          '—',
        ]);
        continue;
      }
      const ours = this.systems.get(key)?.ours ?? false;
      let verdict = '—';
      if (this.isDefault(key)) {
        const met = this.check(
          delays.p99 < TARGETS.eventGapP99Ms && system.failures === 0,
          () =>
            `${this.label(key)}: p99 delay of each stream event ${signed(delays.p99)} ms over direct (target < ${TARGETS.eventGapP99Ms} ms)`,
        );
        verdict = `p99 added < ${TARGETS.eventGapP99Ms} ms ${mark(met)}`;
      }
      this.rows.push([
        `2. each event, emulator's send stamp → client, ${streams}`,
        this.label(key),
        `${ms(system.eventDelay.median)} / ${ms(system.eventDelay.p99)} ms; ${system.eventDelay.count} events`,
        '—',
        key === 'direct' ? '—' : `${pair(delays, signed)} ms${this.overBaselineNote(key)}`,
        bareDelays && !isBaseline(key) && key !== 'bare' ? pair(divide(delays, bareDelays)) : '—',
        ours && portkeyDelays && Number.isFinite(portkeyDelays.p99)
          ? pair(divide(portkeyDelays, delays))
          : '—',
        verdict,
      ]);
    }
    // The gaps as the client saw them, for comparison with earlier runs: they carry the emulator's
    // timer jitter (no target is judged on them).
    for (const [key, system] of result.bySystem) {
      const gaps = gapAdded(key) as Pair;
      this.rows.push([
        `2. gap between events − ${result.intervalMs} ms, ${streams}`,
        this.label(key),
        `${ms(system.gapExcess.median)} / ${ms(system.gapExcess.p99)} ms; ${system.events} events/stream, ${system.lateOver5ms} gaps > 5 ms late`,
        '—',
        key === 'direct' ? '—' : `${pair(gaps, signed)} ms${this.overBaselineNote(key)}`,
        '—',
        '—',
        '—',
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
        ours ? `rate ${times(rate(this.portkeyFor(key, result.bySystem)) / system.streamsPerSecond)}` : '—',
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
      if (this.isDefault(key)) {
        const allStarted = system.started === wanted;
        const met = this.check(
          allStarted && system.heldBytes < TARGETS.idleRssBytes,
          () =>
            `${this.label(key)}: RSS ${mb(system.heldBytes)} with ${system.started} of ${wanted} idle streams started (target < ${mb(TARGETS.idleRssBytes)} with ${wanted})`,
        );
        verdict = `< ${mb(TARGETS.idleRssBytes)} ${mark(met)}${allStarted ? '' : ` (${system.started} of ${wanted} started)`}`;
      }
      this.rows.push([
        `3. RSS after GC, ${wanted.toLocaleString('en-US')} idle streams`,
        this.label(key),
        `${mb(system.heldBytes)} (heap ${mb(system.heldHeapBytes)}${system.heldMemory ? ` of ${mb(system.heldMemory.heapTotal)}, external ${mb(system.heldMemory.external)}` : ''}), ${system.started}/${wanted} started; ${mb(system.baselineBytes)} before`,
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

/** One cell of the README summary: what a system adds over its baseline, `median` by default. */
function addedCell(
  bySystem: ReadonlyMap<SystemKey, Summary> | undefined,
  key: SystemKey,
  baseline: SystemKey,
  statistic: 'median' | 'p99' = 'median',
): string {
  const mine = bySystem?.get(key)?.[statistic];
  const base = bySystem?.get(baseline)?.[statistic];
  return mine === undefined || base === undefined ? '—' : `${signed(mine - base)} ms`;
}

/**
 * The README's short table: what the bare proxy, claude-gateway (default
 * configuration, both paths) and Portkey add, per measurement.
 */
function summaryTable(results: BenchResults): string {
  const lines = [
    '| measurement | bare proxy adds | claude-gateway → anthropic adds | → bedrock adds (over direct Bedrock) | Portkey adds | Portkey → bedrock adds (over direct Bedrock) |',
    '|---|---|---|---|---|---|',
  ];
  const row = (name: string, cells: string[]) => lines.push(`| ${name} | ${cells.join(' | ')} |`);
  for (const result of results.latency) {
    const by = result.bySystem;
    const name = `latency, ${result.scenario.name}, ${kilobytes(result.bodyBytes)} (median)`;
    const bare = by.get('bare');
    const withRatio = (key: SystemKey, baseline: SystemKey) => {
      const mine = by.get(key);
      const base = by.get(baseline);
      const direct = by.get('direct');
      if (!mine || !base || !bare || !direct) return '—';
      const overBare = ratio(mine.median - base.median, bare.median - direct.median);
      return `${signed(mine.median - base.median)} ms${Number.isFinite(overBare) ? ` (${times(overBare)}× bare)` : ''}`;
    };
    row(name, [
      addedCell(by, 'bare', 'direct'),
      withRatio('gateway-anthropic', 'direct'),
      withRatio('gateway-bedrock', 'direct-bedrock'),
      addedCell(by, 'portkey', 'direct'),
      addedCell(by, 'portkey-bedrock', 'direct-bedrock'),
    ]);
    if (result.scenario.concurrency > 1) {
      const perSecond = (key: SystemKey) => {
        const value = result.requestsPerSecond.get(key);
        return value === undefined ? '—' : `${Math.round(value).toLocaleString('en-US')}/s`;
      };
      row(`answers per second, ${result.scenario.name}, ${kilobytes(result.bodyBytes)}`, [
        perSecond('bare'),
        perSecond('gateway-anthropic'),
        perSecond('gateway-bedrock'),
        perSecond('portkey'),
        perSecond('portkey-bedrock'),
      ]);
    }
  }
  const first = new Map([...results.streaming.bySystem].map(([key, value]) => [key, value.firstEvent]));
  const delays = new Map([...results.streaming.bySystem].map(([key, value]) => [key, value.eventDelay]));
  row('time to first event (median)', [
    addedCell(first, 'bare', 'direct'),
    addedCell(first, 'gateway-anthropic', 'direct'),
    addedCell(first, 'gateway-bedrock', 'direct-bedrock'),
    addedCell(first, 'portkey', 'direct'),
    addedCell(first, 'portkey-bedrock', 'direct-bedrock'),
  ]);
  row('p99 delay of each stream event', [
    addedCell(delays, 'bare', 'direct', 'p99'),
    addedCell(delays, 'gateway-anthropic', 'direct', 'p99'),
    addedCell(delays, 'gateway-bedrock', 'direct-bedrock', 'p99'),
    addedCell(delays, 'portkey', 'direct', 'p99'),
    'n/a (Converse is not stamped)',
  ]);
  const streams = (key: SystemKey) => {
    const value = results.throughput.bySystem.get(key)?.streamsPerSecond;
    return value === undefined ? '—' : `${Math.round(value).toLocaleString('en-US')}/s`;
  };
  row(`throughput, ${results.throughput.scenario.concurrency} short streams in flight`, [
    streams('bare'),
    streams('gateway-anthropic'),
    streams('gateway-bedrock'),
    streams('portkey'),
    streams('portkey-bedrock'),
  ]);
  const rss = (key: SystemKey) => {
    const value = results.idleMemory.bySystem.get(key)?.heldBytes;
    return value === undefined ? '—' : `${Math.round(value / 1024 / 1024)} MB`;
  };
  row(
    `RSS with ${results.idleMemory.scenario.streams.toLocaleString('en-US')} idle streams (whole process)`,
    [rss('bare'), rss('gateway-anthropic'), rss('gateway-bedrock'), rss('portkey'), '(one Portkey process)'],
  );
  return lines.join('\n');
}

/** Builds the table, the notes and the list of missed targets. */
export function buildReport(results: BenchResults): Report {
  const reporter = new Reporter(results.systems);
  for (const result of results.latency) reporter.latency(result);
  reporter.streaming(results.streaming);
  reporter.throughput(results.throughput);
  reporter.memory(results.idleMemory);
  return {
    table: layout([...reporter.rows, ...reporter.variantRows]),
    notes: reporter.notes,
    missed: reporter.missed,
    checks: reporter.checks,
    summary: summaryTable(results),
  };
}
