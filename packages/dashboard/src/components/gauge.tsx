import { forwardRef, useId, useMemo } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode, RefAttributes } from 'react';
import { cx } from '../cx';
import { formatValue, formatValueParts } from '../format';
import type { FormatOptions } from '../format';
import { DEFAULT_STALE_AFTER_MS } from '../freshness';
import { arcPath, GAUGE_END_DEG, GAUGE_START_DEG, valueToAngle } from '../gauge-arc';
import type { ChannelFeedState, PointSelector } from '../hooks/use-channel-feed';
import { useFreshness } from '../hooks/use-freshness';
import { useChannelValueSeries } from '../hooks/use-value-series';
import { activeStep, resolveSteps, stepLabel, thresholdColor } from '../thresholds';
import type { Thresholds } from '../thresholds';
import { ChartState } from './chart-state';
import { errorMessage } from './error-text';
import type { ErrorProp } from './error-text';
import type { ValueState } from './metric-card';
import { mergeRefs } from './merge-refs';

export interface GaugeProps<T = unknown>
  extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'>, FormatOptions {
  /** Data mode: the value. */
  value?: number | null;
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
  /** Default 0. */
  min?: number;
  /** Default 100. */
  max?: number;
  /** What is measured; labels the meter. */
  title?: ReactNode;
  /** Colours the value arc; steps are drawn as a thin outer band. */
  thresholds?: Thresholds;
  /** Draw the thresholds band. Default `true` when there are thresholds. */
  showThresholdBand?: boolean;
  /** Width in px. Default 160. */
  size?: number;
  loading?: boolean;
  error?: ErrorProp;
  /** A value older than this is stale. Default 5 000 ms. */
  staleAfterMs?: number;
  /** Data mode: when the value was measured, for staleness. */
  updatedAt?: number;
}

const CX = 50;
const CY = 50;
const R = 38;
const BAND_R = 46;

function renderGauge<T>(
  props: GaugeProps<T>,
  value: number | undefined,
  feed: ChannelFeedState | undefined,
  freshness: string,
  titleId: string,
  ref: ForwardedRef<HTMLDivElement>,
): ReactElement {
  const {
    value: _value,
    channel: _channel,
    since: _since,
    select: _select,
    min = 0,
    max = 100,
    title,
    thresholds,
    showThresholdBand = thresholds !== undefined,
    size = 160,
    loading = false,
    error,
    staleAfterMs: _staleAfterMs,
    updatedAt: _updatedAt,
    unit,
    decimals,
    valueFormatter,
    noValue,
    locale,
    className,
    style,
    ...rest
  } = props;
  const format: FormatOptions = { unit, decimals, valueFormatter, noValue, locale };
  const errorText = errorMessage(error) ?? feed?.error?.message;
  const waiting = feed !== undefined && (feed.status === 'idle' || feed.status === 'subscribing');
  const state: ValueState =
    errorText !== undefined
      ? 'error'
      : (loading || waiting) && value === undefined
        ? 'loading'
        : value === undefined
          ? 'empty'
          : freshness === 'stale'
            ? 'stale'
            : 'live';
  const step = activeStep(value, thresholds, min, max);
  const color = step === undefined ? 'var(--sb-series-1)' : thresholdColor(step.color);
  const parts = formatValueParts(value, format);
  const valueText =
    state === 'loading'
      ? 'Loading'
      : state === 'error'
        ? `Error${errorText ? `: ${errorText}` : ''}`
        : value === undefined
          ? (noValue ?? 'No data')
          : `${formatValue(value, format)}${step?.label !== undefined ? `, ${step.label}` : ''}${state === 'stale' ? ', stale' : ''}`;
  const band = showThresholdBand ? resolveSteps(thresholds, min, max) : [];

  return (
    <div
      ref={ref}
      role="meter"
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={value === undefined ? undefined : Math.min(max, Math.max(min, value))}
      aria-valuetext={valueText}
      aria-labelledby={title !== undefined ? titleId : undefined}
      aria-busy={state === 'loading' || undefined}
      className={cx('sb-gauge', className)}
      data-state={state}
      data-threshold={step === undefined ? undefined : stepLabel(step)}
      style={{ width: size, ...style }}
      {...rest}
    >
      <svg viewBox="0 0 100 82" className="sb-gauge__svg" aria-hidden="true" focusable="false">
        {band.map((s) => {
          const from = valueToAngle(Number.isFinite(s.from) ? s.from : min, min, max);
          const to = valueToAngle(Number.isFinite(s.to) ? s.to : max, min, max);
          const d = arcPath(CX, CY, BAND_R, from, to);
          return d === '' ? null : (
            <path key={s.index} d={d} fill="none" style={{ stroke: thresholdColor(s.color) }} strokeWidth={3} />
          );
        })}
        <path
          d={arcPath(CX, CY, R, GAUGE_START_DEG, GAUGE_END_DEG)}
          fill="none"
          className="sb-gauge__track"
          strokeWidth={9}
          strokeLinecap="round"
        />
        {value !== undefined && valueToAngle(value, min, max) > GAUGE_START_DEG && (
          <path
            d={arcPath(CX, CY, R, GAUGE_START_DEG, valueToAngle(value, min, max))}
            fill="none"
            className="sb-gauge__value-arc"
            style={{ stroke: color }}
            strokeWidth={9}
            strokeLinecap="round"
          />
        )}
      </svg>
      <div className="sb-gauge__center" aria-hidden="true">
        {state === 'loading' ? (
          <span className="sb-spinner" />
        ) : (
          <span className="sb-gauge__value">
            <span className="sb-gauge__number">{state === 'error' ? '!' : parts.value}</span>
            {parts.unit !== '' && state !== 'error' && <span className="sb-gauge__unit">{parts.unit}</span>}
          </span>
        )}
      </div>
      {title !== undefined && (
        <div className="sb-gauge__title" id={titleId}>
          {title}
        </div>
      )}
      {/* The meter's valuetext already says it; the badge is for the eye. */}
      {(state === 'error' || state === 'stale') && (
        <ChartState
          state={state}
          compact
          aria-hidden="true"
          title={state === 'error' ? (errorText ? errorText : 'Error') : 'Stale'}
        />
      )}
    </div>
  );
}

function DataGauge<T>({ forwardedRef, ...props }: GaugeProps<T> & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const freshness = useFreshness(props.updatedAt, props.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  const titleId = useId();
  const value = typeof props.value === 'number' && !Number.isNaN(props.value) ? props.value : undefined;
  return renderGauge(props, value, undefined, freshness, titleId, forwardedRef);
}

function ChannelGauge<T>({
  forwardedRef,
  ...props
}: GaugeProps<T> & { channel: string; forwardedRef: ForwardedRef<HTMLDivElement> }) {
  // A gauge needs only the newest value: a tiny buffer, still one render per frame at most.
  const { view, feed, ref } = useChannelValueSeries(props.channel, props.select, {
    since: props.since,
    windowMs: 60_000,
    capacity: 2,
    maxPoints: 2,
  });
  const freshness = useFreshness(view.updatedAt, props.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  const titleId = useId();
  const rootRef = useMemo(() => mergeRefs(forwardedRef, ref), [forwardedRef, ref]);
  return renderGauge(props, view.latest[0], feed, freshness, titleId, rootRef);
}

/**
 * A radial gauge (`role="meter"` with `aria-valuenow/min/max` and a spoken `aria-valuetext`),
 * coloured by thresholds, with the steps as an outer band. Fed by `value` or a `channel`.
 */
export const Gauge = forwardRef(function Gauge<T>(props: GaugeProps<T>, ref: ForwardedRef<HTMLDivElement>) {
  return props.channel !== undefined ? (
    <ChannelGauge {...props} channel={props.channel} forwardedRef={ref} />
  ) : (
    <DataGauge {...props} forwardedRef={ref} />
  );
}) as <T = unknown>(props: GaugeProps<T> & RefAttributes<HTMLDivElement>) => ReactElement | null;
