import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** Colours for a chart's series, in order (readable on light and dark backgrounds). */
export const PALETTE = [
  '#c2410c',
  '#2563eb',
  '#059669',
  '#9333ea',
  '#ca8a04',
  '#db2777',
  '#0891b2',
  '#4b5563',
  '#65a30d',
  '#7c3aed',
];

export interface ChartSeries {
  label: string;
  values: (number | null)[];
}

interface ChartProps {
  /** What the chart shows, for screen readers (a table with the same numbers follows it). */
  title: string;
  /** x values: seconds since the epoch. */
  times: number[];
  series: ChartSeries[];
  /** How a y value is written on the axis and in the legend. */
  format: (value: number) => string;
  /** Bars (one group per time) instead of lines. */
  bars?: boolean;
  height?: number;
}

/** The x range with half a bucket's room on each side. */
function padded(min: number, max: number, times: number[]): [number, number] {
  const step = times.length > 1 ? (times[1] as number) - (times[0] as number) : 3600;
  return [min - step / 2, max + step / 2];
}

/**
 * Stacked bars: each series drawn at the sum of itself and those before it,
 * tallest first so each shorter one is painted over it; the legend still
 * says each series' own value.
 */
function stack(series: ChartSeries[]): { drawn: ChartSeries[]; order: number[] } {
  const running: number[] = [];
  const sums = series.map((item) => ({
    label: item.label,
    values: item.values.map((value, at) => {
      running[at] = (running[at] ?? 0) + (value ?? 0);
      return running[at] as number;
    }),
  }));
  const order = series.map((_item, index) => index).reverse();
  return { drawn: order.map((index) => sums[index] as ChartSeries), order };
}

/** A time-series chart drawn by uPlot on a canvas, as wide as its container: lines, or stacked bars. */
export function Chart({ title, times, series, format, bars = false, height = 260 }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const { drawn, order } = bars
      ? stack(series)
      : { drawn: series, order: series.map((_item, index) => index) };
    const barPaths = uPlot.paths.bars?.({ size: [0.8, 60], gap: 1 });
    const options: uPlot.Options = {
      width: Math.max(300, element.clientWidth),
      height,
      series: [
        {
          value: (_chart, value) =>
            value === null ? '—' : new Date(value * 1000).toISOString().slice(0, 16),
        },
        ...drawn.map((item, position) => {
          const index = order[position] as number;
          const color = PALETTE[index % PALETTE.length] as string;
          return {
            label: item.label,
            stroke: color,
            fill: bars ? color : undefined,
            width: bars ? 0 : 2,
            ...(bars && barPaths ? { paths: barPaths } : {}),
            points: { show: !bars && times.length < 60 },
            value: (_chart: uPlot, value: number | null, _series: number, at: number | null) => {
              const own = at === null ? value : (series[index]?.values[at] ?? null);
              return own === null ? '—' : format(own);
            },
          };
        }),
      ],
      axes: [{}, { values: (_chart, ticks) => ticks.map(format), size: 70 }],
      // Times are shown in UTC, as everywhere in the dashboard.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
      scales: {
        // Bars at the first and last time need half a bucket of room on each side.
        x: bars ? { range: (_chart, min, max) => padded(min, max, times) } : {},
        y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      cursor: { drag: { x: false, y: false } },
    };
    const chart = new uPlot(options, [times, ...drawn.map((item) => item.values)], element);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(300, element.clientWidth), height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [times, series, format, bars, height]);
  return <figure class="chart" aria-label={title} ref={container} />;
}
