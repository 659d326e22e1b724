import { forwardRef, useMemo } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, RefAttributes } from 'react';
import { cx } from '../cx';
import { formatValue } from '../format';
import type { FormatOptions } from '../format';
import type { PointSelector } from '../hooks/use-channel-feed';
import type { DataRow } from '../hooks/use-live-series';
import { useChannelValueSeries, viewColumns } from '../hooks/use-value-series';
import { sparklineGeometry } from '../sparkline-path';
import { activeStep, stepLabel, thresholdColor } from '../thresholds';
import type { Thresholds } from '../thresholds';
import { toTime } from '../time';
import { mergeRefs } from './merge-refs';

export interface SparklineProps<T = unknown>
  extends Omit<HTMLAttributes<HTMLSpanElement>, 'children' | 'color'>, FormatOptions {
  /** Values oldest first (`null` for a gap), or rows with `index` and `category` keys. */
  data?: readonly (number | null | undefined)[] | readonly DataRow[];
  /** Row key of the time. Default `'time'`. */
  index?: string;
  /** Row key of the value. Default `'value'`. */
  category?: string;
  /** Channel of the surrounding `<SocketProvider>` (channel mode). */
  channel?: string;
  /**
   * Channel mode, backfill: when this component starts the channel, the server first replays what it
   * still holds after this seq (`0`: all of it), so the component does not start empty. Rows keep the
   * time `select` gives them (the `index` key); otherwise replayed points get their arrival time.
   */
  since?: number;
  /** Channel mode: the number to draw from a message. Default: the message itself. */
  select?: PointSelector<T>;
  /** Channel mode: time shown. Default 60 s. */
  windowMs?: number;
  /** Channel mode: most points kept. Default 1 000. */
  capacity?: number;
  /** Default 120. */
  width?: number;
  /** Default 32. */
  height?: number;
  /** Default `'area'`. */
  type?: 'line' | 'area';
  /** CSS colour or status name. Default: the first series colour, or the threshold colour of the newest value. */
  color?: string;
  thresholds?: Thresholds;
  /** Fixed y bounds. Default: fit the data. */
  min?: number;
  max?: number;
  /** Dot on the newest point. Default `true`. */
  showEnd?: boolean;
  /** Hidden from screen readers (when the value is stated next to it, as in a MetricCard). Default `false`. */
  decorative?: boolean;
}

interface SparklineSvgProps {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  width: number;
  height: number;
  type: 'line' | 'area';
  color: string;
  min: number | undefined;
  max: number | undefined;
  xMin?: number | undefined;
  xMax?: number | undefined;
  showEnd: boolean;
}

/** The drawing alone: one SVG path, no chart library (dozens of cards stay cheap). */
export function SparklineSvg({
  xs,
  ys,
  width,
  height,
  type,
  color,
  min,
  max,
  xMin,
  xMax,
  showEnd,
}: SparklineSvgProps): ReactElement {
  const g = sparklineGeometry(xs, ys, { width, height, padding: 2, min, max, xMin, xMax });
  return (
    <svg
      className="sb-sparkline__svg"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      aria-hidden="true"
      focusable="false"
    >
      {g.line === '' && (
        // Nothing to draw: a faint dashed baseline keeps the sparkline's place visible.
        <line className="sb-sparkline__empty" x1={2} x2={width - 2} y1={height / 2} y2={height / 2} />
      )}
      {type === 'area' && g.area !== '' && <path d={g.area} style={{ fill: color, fillOpacity: 0.14 }} stroke="none" />}
      {g.line !== '' && (
        <path
          d={g.line}
          fill="none"
          style={{ stroke: color }}
          strokeWidth={1.5}
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      )}
      {showEnd && g.end !== undefined && <circle cx={g.end.x} cy={g.end.y} r={2.25} style={{ fill: color }} />}
    </svg>
  );
}

function columnsOf(data: SparklineProps['data'], index: string, category: string): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  data?.forEach((item, i) => {
    if (item !== null && typeof item === 'object') {
      const v = item[category];
      xs.push(toTime(item[index]));
      ys.push(typeof v === 'number' ? v : NaN);
    } else {
      xs.push(i);
      ys.push(typeof item === 'number' ? item : NaN);
    }
  });
  return { xs, ys };
}

function lastValue(ys: ArrayLike<number>): number | undefined {
  for (let i = ys.length - 1; i >= 0; i--) if (!Number.isNaN(ys[i]!)) return ys[i];
  return undefined;
}

function firstValue(ys: ArrayLike<number>): number | undefined {
  for (let i = 0; i < ys.length; i++) if (!Number.isNaN(ys[i]!)) return ys[i];
  return undefined;
}

function renderSparkline<T>(
  props: SparklineProps<T>,
  columns: { xs: number[]; ys: number[] },
  xRange: readonly [number, number] | undefined,
  ref: ForwardedRef<HTMLSpanElement>,
): ReactElement {
  const {
    data: _data,
    index: _index,
    category: _category,
    channel: _channel,
    since: _since,
    select: _select,
    windowMs: _windowMs,
    capacity: _capacity,
    width = 120,
    height = 32,
    type = 'area',
    color,
    thresholds,
    min,
    max,
    showEnd = true,
    decorative = false,
    unit,
    decimals,
    valueFormatter,
    noValue,
    locale,
    className,
    ...rest
  } = props;
  const last = lastValue(columns.ys);
  const first = firstValue(columns.ys);
  const step = activeStep(last, thresholds, min, max);
  const stroke =
    color !== undefined
      ? thresholdColor(color)
      : step !== undefined
        ? thresholdColor(step.color)
        : 'var(--sb-series-1)';
  const fmt = (v: number | undefined) => formatValue(v, { unit, decimals, valueFormatter, noValue, locale });
  const label =
    last === undefined
      ? 'Trend, no data'
      : `Trend from ${fmt(first)} to ${fmt(last)}${step?.label !== undefined ? `, ${step.label}` : ''}`;
  return (
    <span
      ref={ref}
      role={decorative ? undefined : 'img'}
      aria-label={decorative ? undefined : label}
      aria-hidden={decorative || undefined}
      className={cx('sb-sparkline', className)}
      data-state={last === undefined ? 'empty' : 'live'}
      data-threshold={step === undefined ? undefined : stepLabel(step)}
      {...rest}
    >
      <SparklineSvg
        xs={columns.xs}
        ys={columns.ys}
        width={width}
        height={height}
        type={type}
        color={stroke}
        min={min}
        max={max}
        xMin={xRange?.[0]}
        xMax={xRange?.[1]}
        showEnd={showEnd}
      />
    </span>
  );
}

function DataSparkline<T>({
  forwardedRef,
  ...props
}: SparklineProps<T> & { forwardedRef: ForwardedRef<HTMLSpanElement> }) {
  const index = props.index ?? 'time';
  const category = props.category ?? 'value';
  const columns = useMemo(() => columnsOf(props.data, index, category), [props.data, index, category]);
  return renderSparkline(props, columns, undefined, forwardedRef);
}

function ChannelSparkline<T>({
  forwardedRef,
  ...props
}: SparklineProps<T> & { channel: string; forwardedRef: ForwardedRef<HTMLSpanElement> }) {
  const { view, ref } = useChannelValueSeries(props.channel, props.select, {
    since: props.since,
    windowMs: props.windowMs ?? 60_000,
    capacity: props.capacity ?? 1_000,
    maxPoints: props.width ?? 120,
    index: props.index,
  });
  const columns = useMemo(() => viewColumns(view, props.index ?? 'time', 'value'), [view, props.index]);
  const rootRef = useMemo(() => mergeRefs(forwardedRef, ref), [forwardedRef, ref]);
  // Fit the data, not the window: a sparkline is about shape, even before the window fills.
  return renderSparkline(props, columns, undefined, rootRef);
}

/**
 * A small trend line (or area) without axes, from `data` or a `channel`. `role="img"` with a summary
 * ("Trend from 12 to 18"), or `decorative` when the value is stated beside it. Coloured by the
 * threshold step of its newest value unless `color` is given.
 */
export const Sparkline = forwardRef(function Sparkline<T>(
  props: SparklineProps<T>,
  ref: ForwardedRef<HTMLSpanElement>,
) {
  return props.channel !== undefined ? (
    <ChannelSparkline {...props} channel={props.channel} forwardedRef={ref} />
  ) : (
    <DataSparkline {...props} forwardedRef={ref} />
  );
}) as <T = unknown>(props: SparklineProps<T> & RefAttributes<HTMLSpanElement>) => ReactElement | null;
