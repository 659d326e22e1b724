import { memo, useId } from 'react';
import type { ReactElement } from 'react';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { binaryTicks } from '../binary-ticks';
import { formatTime } from '../format';
import type { ChartRow } from '../live-series';
import { thresholdColor } from '../thresholds';
import type { ResolvedStep } from '../thresholds';
import { ticksNeedSeconds, timeTicks } from '../time-ticks';
import { ChartTooltip } from './chart-tooltip';

/** How thresholds are drawn on a time chart: dashed lines at each step, tinted bands between steps, both, or not. */
export type ThresholdsStyle = 'line' | 'band' | 'line+band' | 'off';

export type CurveType = 'linear' | 'monotone' | 'step';

export interface TimeSeriesPlotProps {
  rows: readonly ChartRow[];
  index: string;
  categories: readonly string[];
  /** Resolved CSS colour per category. */
  colors: readonly string[];
  /** x range; undefined lets recharts fit the data. */
  domain: readonly [number, number] | undefined;
  width: number;
  height: number;
  type: 'line' | 'area';
  stacked: boolean;
  curve: CurveType;
  yAxisWidth: number;
  yMin: number | undefined;
  yMax: number | undefined;
  /** Byte units: y ticks round in KiB/MiB rather than in decimal (which reads 24.4 KiB, 48.8 KiB…). */
  binaryAxis: boolean;
  /** Smallest and largest value drawn, to place open-ended threshold bands. */
  dataMin: number | undefined;
  dataMax: number | undefined;
  steps: readonly ResolvedStep[];
  thresholdsStyle: ThresholdsStyle;
  format: (value: number) => string;
  showGrid: boolean;
  showXAxis: boolean;
  showYAxis: boolean;
  showTooltip: boolean;
  connectNulls: boolean;
  locale: string | undefined;
}

const MARGIN = { top: 8, right: 12, bottom: 0, left: 0 };
const TICK = { fontSize: 11, fill: 'var(--sb-axis-text)' };
const X_TICK_SPACING_PX = 84;

/**
 * The recharts drawing of a time series, kept pure and memoised: it renders only when its rows (a new
 * snapshot, at most once per frame) or settings change. Streaming-safe: no animation, no dots, a fixed
 * y-axis width so the plot does not shift as labels change length.
 */
export const TimeSeriesPlot = memo(function TimeSeriesPlot(props: TimeSeriesPlotProps): ReactElement {
  const {
    rows,
    index,
    categories,
    colors,
    domain,
    width,
    height,
    type,
    stacked,
    curve,
    yAxisWidth,
    yMin,
    yMax,
    binaryAxis,
    dataMin,
    dataMax,
    steps,
    thresholdsStyle,
    format,
    showGrid,
    showXAxis,
    showYAxis,
    showTooltip,
    connectNulls,
    locale,
  } = props;
  const gradientId = useId();
  const plotWidth = Math.max(1, width - (showYAxis ? yAxisWidth : 0) - MARGIN.right);
  const ticks = domain === undefined ? undefined : timeTicks(domain[0], domain[1], plotWidth / X_TICK_SPACING_PX);
  const seconds = ticks === undefined || ticksNeedSeconds(ticks);
  const data = rows as ChartRow[];
  // Stacked areas are left to recharts, which knows the sums.
  const yTicks =
    binaryAxis && !stacked ? binaryTicks(yMin ?? Math.min(0, dataMin ?? 0), yMax ?? dataMax ?? 0) : undefined;
  const lines = thresholdsStyle === 'line' || thresholdsStyle === 'line+band';
  const bands = thresholdsStyle === 'band' || thresholdsStyle === 'line+band';
  // Open-ended bands (the base step, the top step) need finite edges: far enough past everything drawn
  // to cover any axis recharts picks, and clipped to the plot (ifOverflow="hidden").
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [yMin, yMax, dataMin, dataMax, ...steps.map((s) => s.from)]) {
    if (v === undefined || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const reach = lo === Infinity ? 1 : Math.max(hi - lo, Math.abs(hi), 1) * 10;
  const bandEdge = (v: number) =>
    Number.isFinite(v) ? v : v < 0 ? (lo === Infinity ? 0 : lo) - reach : (hi === -Infinity ? 0 : hi) + reach;

  // What a streaming series is, drawn as a line or an area: no animation, no dots, a fixed stroke.
  const series = (category: string, i: number) => ({
    dataKey: category,
    name: category,
    type: curve,
    stroke: colors[i],
    strokeWidth: 1.75,
    dot: false,
    activeDot: { r: 3, strokeWidth: 0 },
    isAnimationActive: false,
    connectNulls,
  });

  const children = (
    <>
      {showGrid && <CartesianGrid vertical={false} stroke="var(--sb-grid)" strokeDasharray="3 3" />}
      <XAxis
        dataKey={index}
        type="number"
        scale="time"
        domain={domain === undefined ? ['dataMin', 'dataMax'] : [domain[0], domain[1]]}
        allowDataOverflow
        ticks={ticks}
        tickFormatter={(t: number) => formatTime(t, { locale, seconds })}
        tick={TICK}
        tickLine={false}
        axisLine={{ stroke: 'var(--sb-grid)' }}
        hide={!showXAxis}
        minTickGap={8}
        height={showXAxis ? 24 : 0}
      />
      <YAxis
        width={yAxisWidth}
        domain={[yMin ?? yTicks?.[0] ?? 'auto', yMax ?? yTicks?.[yTicks.length - 1] ?? 'auto']}
        ticks={yTicks}
        allowDataOverflow={yMin !== undefined || yMax !== undefined}
        tickFormatter={(v: number) => format(v)}
        tick={TICK}
        tickLine={false}
        axisLine={false}
        tickCount={5}
        hide={!showYAxis}
      />
      {bands &&
        steps.map((step) => (
          <ReferenceArea
            key={`band-${step.index}`}
            y1={bandEdge(step.from)}
            y2={bandEdge(step.to)}
            fill={thresholdColor(step.color)}
            fillOpacity={0.07}
            stroke="none"
            ifOverflow="hidden"
          />
        ))}
      {lines &&
        steps
          .filter((step) => Number.isFinite(step.from))
          .map((step) => (
            <ReferenceLine
              key={`line-${step.index}`}
              y={step.from}
              stroke={thresholdColor(step.color)}
              strokeDasharray="4 4"
              strokeOpacity={0.8}
              ifOverflow="hidden"
            />
          ))}
      {showTooltip && (
        <Tooltip
          isAnimationActive={false}
          cursor={{ stroke: 'var(--sb-border-strong)', strokeWidth: 1 }}
          content={<ChartTooltip format={format} locale={locale} />}
        />
      )}
    </>
  );

  if (type === 'area') {
    return (
      <AreaChart width={width} height={height} data={data} margin={MARGIN} accessibilityLayer={false}>
        <defs>
          {categories.map((category, i) => (
            <linearGradient key={category} id={`${gradientId}-${i}`} x1="0" y1="0" x2="0" y2="1">
              <stop offset="0%" style={{ stopColor: colors[i], stopOpacity: 0.28 }} />
              <stop offset="100%" style={{ stopColor: colors[i], stopOpacity: 0.02 }} />
            </linearGradient>
          ))}
        </defs>
        {children}
        {categories.map((category, i) => (
          <Area
            key={category}
            {...series(category, i)}
            fill={`url(#${gradientId}-${i})`}
            stackId={stacked ? 'stack' : undefined}
          />
        ))}
      </AreaChart>
    );
  }
  return (
    <LineChart width={width} height={height} data={data} margin={MARGIN} accessibilityLayer={false}>
      {children}
      {categories.map((category, i) => (
        <Line key={category} {...series(category, i)} />
      ))}
    </LineChart>
  );
});
