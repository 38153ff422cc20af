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

/** A time-series chart drawn by uPlot on a canvas, as wide as its container. */
export function Chart({ title, times, series, format, bars = false, height = 260 }: ChartProps) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const barPaths = uPlot.paths.bars?.({ size: [0.8 / Math.max(1, series.length), 60], gap: 1 });
    const options: uPlot.Options = {
      width: Math.max(300, element.clientWidth),
      height,
      series: [
        {
          value: (_chart, value) =>
            value === null ? '—' : new Date(value * 1000).toISOString().slice(0, 16),
        },
        ...series.map((item, index) => ({
          label: item.label,
          stroke: PALETTE[index % PALETTE.length],
          fill: bars ? `${PALETTE[index % PALETTE.length]}cc` : undefined,
          width: bars ? 0 : 2,
          ...(bars && barPaths ? { paths: barPaths } : {}),
          points: { show: !bars && times.length < 60 },
          value: (_chart: uPlot, value: number | null) => (value === null ? '—' : format(value)),
        })),
      ],
      axes: [{}, { values: (_chart, ticks) => ticks.map(format), size: 70 }],
      scales: { y: { range: (_chart, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      cursor: { drag: { x: false, y: false } },
    };
    const chart = new uPlot(options, [times, ...series.map((item) => item.values)], element);
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
