import { forwardRef, useId, useMemo } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode, RefAttributes } from 'react';
import { cx } from '../cx';
import { computeDelta } from '../delta';
import type { DeltaPolarity } from '../delta';
import { formatValueParts } from '../format';
import type { FormatOptions } from '../format';
import { DEFAULT_STALE_AFTER_MS } from '../freshness';
import type { ChannelFeedState, PointSelector } from '../hooks/use-channel-feed';
import { useFreshness } from '../hooks/use-freshness';
import { useChannelValueSeries, viewColumns } from '../hooks/use-value-series';
import { activeStep, stepLabel, thresholdColor } from '../thresholds';
import type { Thresholds } from '../thresholds';
import { ChartState } from './chart-state';
import { DeltaBadge } from './delta-badge';
import { errorMessage } from './error-text';
import type { ErrorProp } from './error-text';
import { mergeRefs } from './merge-refs';
import { SparklineSvg } from './sparkline';

/** What a card or gauge shows: a `live` value, or why not. */
export type ValueState = 'loading' | 'empty' | 'error' | 'stale' | 'live';

export interface MetricCardProps<T = unknown>
  extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'>, FormatOptions {
  /** What is measured, e.g. "CPU". */
  title: ReactNode;
  /** Data mode: the value. Default: the last of `data`. */
  value?: number | null;
  /** Data mode: recent values, oldest first, for the sparkline and the delta. */
  data?: readonly (number | null)[];
  /** Channel of the surrounding `<SocketProvider>` (channel mode). */
  channel?: string;
  /**
   * Channel mode, backfill: when this component starts the channel, the server first replays what it
   * still holds after this seq (`0`: all of it), so the component does not start empty. Rows keep the
   * time `select` gives them (the `index` key); otherwise replayed points get their arrival time.
   */
  since?: number;
  /** Channel mode: the number from a message. Default: the message itself. */
  select?: PointSelector<T>;
  /** Channel mode: span of the sparkline and of the delta. Default 60 s. */
  windowMs?: number;
  /** Data mode: what the delta compares with. Default: the first of `data`. */
  previousValue?: number | null;
  /** Default `'percent'`. */
  deltaMode?: 'percent' | 'absolute';
  /** Which way is good. Default `'higher-is-better'`. */
  deltaPolarity?: DeltaPolarity;
  /** Default `true` (when there is history). */
  showSparkline?: boolean;
  /** Default `true` (when there is something to compare with). */
  showDelta?: boolean;
  /** Colours the value by the step it reached. */
  thresholds?: Thresholds;
  /** Range for percentage thresholds. */
  min?: number;
  max?: number;
  loading?: boolean;
  error?: ErrorProp;
  /** Channel mode: a value older than this is stale. Default 5 000 ms. */
  staleAfterMs?: number;
  /** Data mode: when the value was measured (ms), for staleness. */
  updatedAt?: number;
  /** A line at the bottom, e.g. "vs. 1 min ago". */
  footer?: ReactNode;
}

interface CardModel {
  value: number | undefined;
  reference: number | undefined;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  xRange: readonly [number, number] | undefined;
  updatedAt: number | undefined;
  feed: ChannelFeedState | undefined;
}

function lastOf(values: readonly (number | null)[] | undefined): number | undefined {
  if (values === undefined) return undefined;
  for (let i = values.length - 1; i >= 0; i--) if (typeof values[i] === 'number') return values[i]!;
  return undefined;
}

function firstOf(values: readonly (number | null)[] | undefined): number | undefined {
  return values?.find((v): v is number => typeof v === 'number');
}

function renderCard<T>(
  props: MetricCardProps<T>,
  model: CardModel,
  ref: ForwardedRef<HTMLDivElement>,
  ids: { title: string },
  freshness: string,
): ReactElement {
  const {
    title,
    value: _value,
    data: _data,
    channel: _channel,
    since: _since,
    select: _select,
    windowMs: _windowMs,
    previousValue: _previousValue,
    deltaMode = 'percent',
    deltaPolarity = 'higher-is-better',
    showSparkline = true,
    showDelta = true,
    thresholds,
    min,
    max,
    loading = false,
    error,
    staleAfterMs: _staleAfterMs,
    updatedAt: _updatedAt,
    footer,
    unit,
    decimals,
    valueFormatter,
    noValue,
    locale,
    className,
    ...rest
  } = props;
  const format: FormatOptions = { unit, decimals, valueFormatter, noValue, locale };
  const errorText = errorMessage(error) ?? model.feed?.error?.message;
  const waiting = model.feed !== undefined && (model.feed.status === 'idle' || model.feed.status === 'subscribing');
  const state: ValueState =
    errorText !== undefined
      ? 'error'
      : (loading || waiting) && model.value === undefined
        ? 'loading'
        : model.value === undefined
          ? 'empty'
          : freshness === 'stale'
            ? 'stale'
            : 'live';
  const step = activeStep(model.value, thresholds, min, max);
  const parts = formatValueParts(model.value, format);
  const delta = computeDelta(model.value, model.reference, deltaPolarity);
  // The base step is the normal case; only higher steps get a visible name.
  const alert = step !== undefined && step.index > 0 && step.label !== undefined ? step.label : undefined;
  const color = step === undefined ? undefined : thresholdColor(step.color);

  return (
    <div
      ref={ref}
      role="group"
      aria-labelledby={ids.title}
      className={cx('sb-card', 'sb-metric', className)}
      data-state={state}
      data-threshold={step === undefined ? undefined : stepLabel(step)}
      aria-busy={state === 'loading' || undefined}
      {...rest}
    >
      <div className="sb-metric__header">
        <div className="sb-metric__title" id={ids.title}>
          {title}
        </div>
        {alert !== undefined && (
          <span className="sb-chip" style={{ color, borderColor: color }}>
            {alert}
          </span>
        )}
        {state === 'stale' && <ChartState state="stale" title="Stale" compact />}
      </div>
      {state === 'loading' ? (
        <div className="sb-metric__value">
          <span className="sb-skeleton" aria-hidden="true" />
          <span className="sb-visually-hidden">Loading…</span>
        </div>
      ) : (
        <div className="sb-metric__value" style={color === undefined ? undefined : { color }}>
          <span className="sb-metric__number">{parts.value}</span>
          {parts.unit !== '' && <span className="sb-metric__unit">{parts.unit === '%' ? '%' : parts.unit}</span>}
        </div>
      )}
      {state === 'error' && (
        <ChartState state="error" compact title={errorText === '' || errorText === undefined ? 'Error' : errorText} />
      )}
      {(showDelta && delta !== undefined) || (showSparkline && model.ys.length > 1) ? (
        <div className="sb-metric__trend">
          {showDelta && delta !== undefined ? <DeltaBadge delta={delta} mode={deltaMode} format={format} /> : <span />}
          {showSparkline && model.ys.length > 1 && (
            <span className="sb-metric__sparkline" aria-hidden="true">
              <SparklineSvg
                xs={model.xs}
                ys={model.ys}
                width={96}
                height={28}
                type="area"
                color={color ?? 'var(--sb-series-1)'}
                min={undefined}
                max={undefined}
                xMin={model.xRange?.[0]}
                xMax={model.xRange?.[1]}
                showEnd
              />
            </span>
          )}
        </div>
      ) : null}
      {footer !== undefined && <div className="sb-metric__footer">{footer}</div>}
    </div>
  );
}

function DataMetricCard<T>({
  forwardedRef,
  ...props
}: MetricCardProps<T> & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const { data, value, previousValue, updatedAt } = props;
  // Cheap for the few dozen values a card shows; recomputed per render.
  const ys = (data ?? []).map((v) => (typeof v === 'number' ? v : NaN));
  const columns = { xs: ys.map((_, i) => i), ys };
  const current = value ?? lastOf(data) ?? undefined;
  const model: CardModel = {
    value: current === null ? undefined : current,
    reference: previousValue ?? firstOf(data) ?? undefined,
    xs: columns.xs,
    ys: columns.ys,
    xRange: undefined,
    updatedAt,
    feed: undefined,
  };
  const freshness = useFreshness(updatedAt, props.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  const titleId = useId();
  return renderCard(props, model, forwardedRef, { title: titleId }, freshness);
}

function ChannelMetricCard<T>({
  forwardedRef,
  ...props
}: MetricCardProps<T> & { channel: string; forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const { view, feed, ref } = useChannelValueSeries(props.channel, props.select, {
    since: props.since,
    windowMs: props.windowMs ?? 60_000,
    capacity: 2_000,
    maxPoints: 96,
  });
  const columns = useMemo(() => viewColumns(view, 'time', 'value'), [view]);
  const model: CardModel = {
    value: view.latest[0],
    reference: props.previousValue ?? view.first[0],
    xs: columns.xs,
    ys: columns.ys,
    // Fit the data, not the window: a sparkline is about shape, even before the window fills.
    xRange: undefined,
    updatedAt: view.updatedAt,
    feed,
  };
  const freshness = useFreshness(view.updatedAt, props.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  const titleId = useId();
  const rootRef = useMemo(() => mergeRefs(forwardedRef, ref), [forwardedRef, ref]);
  return renderCard(props, model, rootRef, { title: titleId }, freshness);
}

/**
 * A stat card: title, big value with its unit, coloured by thresholds, a delta badge and a sparkline.
 * Fed by `value`/`data` or by a `channel` (every message buffered, rendered at most once per frame).
 * `data-state`: `loading | empty | error | stale | live`; `data-threshold`: the step the value reached.
 */
export const MetricCard = forwardRef(function MetricCard<T>(
  props: MetricCardProps<T>,
  ref: ForwardedRef<HTMLDivElement>,
) {
  return props.channel !== undefined ? (
    <ChannelMetricCard {...props} channel={props.channel} forwardedRef={ref} />
  ) : (
    <DataMetricCard {...props} forwardedRef={ref} />
  );
}) as <T = unknown>(props: MetricCardProps<T> & RefAttributes<HTMLDivElement>) => ReactElement | null;
