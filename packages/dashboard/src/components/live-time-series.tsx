import { forwardRef, useId, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode, RefAttributes, RefObject } from 'react';
import { isBinaryUnit } from '../binary-ticks';
import { seriesColor } from '../colors';
import { cx } from '../cx';
import type { DownsampleMethod } from '../downsample';
import { createFormatter, formatDuration } from '../format';
import type { FormatOptions } from '../format';
import { DEFAULT_STALE_AFTER_MS } from '../freshness';
import { useActivity } from '../hooks/use-activity';
import { useChannelSeries } from '../hooks/use-channel-feed';
import type { ChannelFeedState, PointSelector } from '../hooks/use-channel-feed';
import { useControllableState } from '../hooks/use-controllable-state';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { useElementWidth } from '../hooks/use-element-width';
import { useFreshness } from '../hooks/use-freshness';
import { useLiveSeries } from '../hooks/use-live-series';
import type { DataRow } from '../hooks/use-live-series';
import { DEFAULT_WINDOW_MS } from '../live-series';
import type { LiveSeries, LiveSeriesView } from '../live-series';
import { resolveSteps, stepLabel } from '../thresholds';
import type { ResolvedStep, Thresholds } from '../thresholds';
import { ChartState } from './chart-state';
import { CardHeader } from './card-header';
import { errorMessage } from './error-text';
import type { ErrorProp } from './error-text';
import { Legend } from './legend';
import { NewDataBadge } from './new-data-badge';
import { PauseToggle } from './pause-toggle';
import { TimeSeriesPlot } from './time-series-plot';
import type { CurveType, ThresholdsStyle } from './time-series-plot';
import { DEFAULT_TIME_WINDOWS, TimeWindowSelect } from './time-window-select';
import type { TimeWindowOption } from './time-window-select';

/** What a live chart shows: `live` data, or why not. */
export type LiveState = 'loading' | 'empty' | 'error' | 'paused' | 'stale' | 'live';

export interface LiveTimeSeriesProps<T = unknown>
  extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children' | 'onChange' | 'defaultValue'>, FormatOptions {
  /** Rows to draw (data mode), oldest first: `{ [index]: time, [category]: value }`. New rows are appended; older data starts over. */
  data?: readonly DataRow[];
  /** Channel of the surrounding `<SocketProvider>` to draw (channel mode). Change it only by remounting (`key`). */
  channel?: string;
  /**
   * Channel mode, backfill: when this component starts the channel, the server first replays what it
   * still holds after this seq (`0`: all of it), so the component does not start empty. Rows keep the
   * time `select` gives them (the `index` key); otherwise replayed points get their arrival time.
   */
  since?: number;
  /** Channel mode: turns a message into a number (one series), a row, or rows. Default: the message itself. */
  select?: PointSelector<T>;
  /** Key of the time in each row (ms, Date or date string). Default `'time'`; rows without one use the receive time. */
  index?: string;
  /** Keys of the series to draw. Default `['value']`. */
  categories?: readonly string[];
  /** CSS colours (or status names) per category. Default: the theme's series palette. */
  colors?: readonly string[];
  /** Default `'line'`. */
  type?: 'line' | 'area';
  /** Stack areas. Default `false`. */
  stacked?: boolean;
  /** Default `'linear'`: honest about every sample. */
  curve?: CurveType;

  /** Controlled visible time window (ms). */
  windowMs?: number;
  /** Uncontrolled start. Default 5 minutes. */
  defaultWindowMs?: number;
  onWindowChange?: (windowMs: number) => void;
  /** Choices of the window selector. Default 1 min, 5 min, 15 min, 1 h. */
  windowOptions?: readonly TimeWindowOption[];

  /** Controlled pause. */
  paused?: boolean;
  /** Uncontrolled start. Default `false`. */
  defaultPaused?: boolean;
  onPausedChange?: (paused: boolean) => void;
  /** Show the time window selector and the pause button in the header. Default `true`. */
  showControls?: boolean;

  thresholds?: Thresholds;
  /** Default `'line'`. */
  thresholdsStyle?: ThresholdsStyle;
  /** Fixed y-axis bounds (also the range of percentage thresholds). Default: fit the data. */
  min?: number;
  max?: number;

  /** Most points buffered per chart. Default 10 000. */
  capacity?: number;
  /** How far back points are kept for a wider window. Default max(window, 15 min). */
  retentionMs?: number;
  /** Default `'minmax'` (keeps spikes); `'lttb'` keeps shape; `'none'` draws every point. */
  downsample?: DownsampleMethod;
  /** Points drawn at most. Default: the plot's width in pixels. */
  maxPoints?: number;

  /** Fixed width in px. Default: the container's (measured with ResizeObserver). */
  width?: number;
  /** Plot height in px. Default 240. */
  height?: number;
  /** Fixed y-axis width in px, so the plot never shifts. Default 56. */
  yAxisWidth?: number;

  /** Show the loading state (e.g. while fetching history). Channel mode is loading until subscribed. */
  loading?: boolean;
  /** Show the error state: `true`, a message or an Error. Channel mode also shows the channel's error. */
  error?: ErrorProp;
  /** Text of the empty state. Default "No data". */
  noDataText?: string;
  /** Data older than this counts as stale. Default 5 000 ms; `Infinity` never. */
  staleAfterMs?: number;

  title?: ReactNode;
  description?: ReactNode;
  /** Default: when there is more than one category. */
  showLegend?: boolean;
  showGrid?: boolean;
  showXAxis?: boolean;
  showYAxis?: boolean;
  showTooltip?: boolean;
  /** Draw across gaps. Default `false`. */
  connectNulls?: boolean;
}

const DEFAULT_CATEGORIES: readonly string[] = Object.freeze(['value']);
const ANNOUNCE_DELAY_MS = 1_000;

/** Severity of a view: the highest threshold step any series' latest value reached. */
function worstStep(view: LiveSeriesView, steps: readonly ResolvedStep[]): ResolvedStep | undefined {
  if (steps.length === 0) return undefined;
  let worst: ResolvedStep | undefined;
  for (const value of view.latest) {
    if (value === undefined) continue;
    let step: ResolvedStep | undefined;
    for (const s of steps) if (value >= s.from) step = s;
    if (step !== undefined && (worst === undefined || step.index > worst.index)) worst = step;
  }
  return worst;
}

interface Model {
  series: LiveSeries;
  view: LiveSeriesView;
  width: number | undefined;
  bodyRef: RefObject<HTMLDivElement | null>;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  windowMs: number;
  setWindowMs: (windowMs: number) => void;
}

function useTimeSeriesModel<T>(props: LiveTimeSeriesProps<T>, data: readonly DataRow[] | undefined): Model {
  const bodyRef = useRef<HTMLDivElement | null>(null);
  const [paused, setPaused] = useControllableState({
    prop: props.paused,
    defaultProp: props.defaultPaused ?? false,
    onChange: props.onPausedChange,
  });
  const [windowMs, setWindowMs] = useControllableState({
    prop: props.windowMs,
    defaultProp: props.defaultWindowMs ?? DEFAULT_WINDOW_MS,
    onChange: props.onWindowChange,
  });
  const width = useElementWidth(bodyRef, props.width);
  const yAxisWidth = props.showYAxis === false ? 0 : (props.yAxisWidth ?? 56);
  const series = useLiveSeries({
    categories: props.categories ?? DEFAULT_CATEGORIES,
    index: props.index ?? 'time',
    capacity: props.capacity,
    retentionMs: props.retentionMs,
    windowMs,
    maxPoints: props.maxPoints ?? (width === undefined ? undefined : Math.max(2, width - yAxisWidth)),
    downsample: props.downsample ?? 'minmax',
    paused,
    data,
  });
  useActivity(bodyRef, series);
  const view = useSyncExternalStore(series.subscribe, series.getView, series.getView);
  return { series, view, width, bodyRef, paused, setPaused, windowMs, setWindowMs };
}

function renderTimeSeries<T>(
  props: LiveTimeSeriesProps<T>,
  model: Model,
  ref: ForwardedRef<HTMLDivElement>,
  hooks: RenderHooks,
): ReactElement {
  const {
    data: _data,
    channel: _channel,
    since: _since,
    select: _select,
    index = 'time',
    categories = DEFAULT_CATEGORIES,
    colors: _colors,
    type = 'line',
    stacked = false,
    curve = 'linear',
    windowMs: _windowMs,
    defaultWindowMs: _defaultWindowMs,
    onWindowChange: _onWindowChange,
    windowOptions = DEFAULT_TIME_WINDOWS,
    paused: _paused,
    defaultPaused: _defaultPaused,
    onPausedChange: _onPausedChange,
    showControls = true,
    thresholds: _thresholds,
    thresholdsStyle = 'line',
    min,
    max,
    capacity: _capacity,
    retentionMs: _retentionMs,
    downsample: _downsample,
    maxPoints: _maxPoints,
    width: _width,
    height = 240,
    yAxisWidth = 56,
    loading: _loading,
    error: _error,
    noDataText,
    staleAfterMs: _staleAfterMs,
    title,
    description,
    showLegend = categories.length > 1,
    showGrid = true,
    showXAxis = true,
    showYAxis = true,
    showTooltip = true,
    connectNulls = false,
    unit: _unit,
    decimals: _decimals,
    valueFormatter: _valueFormatter,
    noValue: _noValue,
    locale,
    className,
    ...rest
  } = props;
  const { view, width, bodyRef, paused, setPaused, windowMs, setWindowMs, series } = model;
  const { state, errorText, format, colors, steps, worst, titleId, announcement } = hooks;

  const plot =
    width !== undefined && view.rows.length > 0 ? (
      <TimeSeriesPlot
        rows={view.rows}
        index={index}
        categories={series.categories}
        colors={colors}
        domain={view.domain}
        width={width}
        height={height}
        type={type}
        stacked={stacked}
        curve={curve}
        yAxisWidth={yAxisWidth}
        yMin={min}
        yMax={max}
        binaryAxis={isBinaryUnit(props.unit)}
        dataMin={view.yMin}
        dataMax={view.yMax}
        steps={steps}
        thresholdsStyle={thresholdsStyle}
        format={format}
        showGrid={showGrid}
        showXAxis={showXAxis}
        showYAxis={showYAxis}
        showTooltip={showTooltip}
        connectNulls={connectNulls}
        locale={locale}
      />
    ) : null;

  const latestText = series.categories.map((category, i) => `${category} ${format(view.latest[i] ?? NaN)}`).join(', ');
  const summary =
    view.points === 0
      ? `${type === 'area' ? 'Area' : 'Line'} chart, no data`
      : `${type === 'area' ? 'Area' : 'Line'} chart of the last ${formatDuration(windowMs)}. Latest: ${latestText}.`;

  return (
    <div
      ref={ref}
      role="group"
      aria-labelledby={title !== undefined ? titleId : undefined}
      className={cx('sb-card', 'sb-time-series', className)}
      data-state={state}
      data-threshold={worst === undefined ? undefined : stepLabel(worst)}
      {...rest}
    >
      {(title !== undefined || description !== undefined || showControls) && (
        <CardHeader titleId={titleId} title={title} description={description}>
          {showControls && (
            <div className="sb-card__controls">
              <TimeWindowSelect value={windowMs} onValueChange={setWindowMs} options={windowOptions} />
              <PauseToggle paused={paused} onPausedChange={setPaused} />
            </div>
          )}
        </CardHeader>
      )}
      <div className="sb-time-series__body" ref={bodyRef} style={{ height }}>
        <div className="sb-time-series__plot" role="img" aria-label={summary}>
          {plot}
        </div>
        {(state === 'loading' || state === 'empty' || state === 'error') && (
          <div className="sb-overlay">
            <ChartState
              state={state}
              title={state === 'empty' ? noDataText : undefined}
              description={state === 'error' && errorText !== '' ? errorText : undefined}
            />
          </div>
        )}
        {state === 'stale' && (
          <div className="sb-corner">
            <ChartState state="stale" compact />
          </div>
        )}
        {paused && view.points > 0 && (
          <div className="sb-corner sb-corner--bottom">
            <NewDataBadge source={series} onResume={() => setPaused(false)} />
          </div>
        )}
      </div>
      {showLegend && (
        <Legend
          items={series.categories.map((name, i) => ({
            name,
            color: colors[i]!,
            value: view.points > 0 ? format(view.latest[i] ?? NaN) : undefined,
          }))}
        />
      )}
      <span role="status" className="sb-visually-hidden">
        {announcement}
      </span>
    </div>
  );
}

interface RenderHooks {
  state: LiveState;
  errorText: string | undefined;
  format: (value: number) => string;
  colors: readonly string[];
  steps: readonly ResolvedStep[];
  worst: ResolvedStep | undefined;
  titleId: string;
  announcement: string;
}

/** Hooks every variant runs after its model: state, formatting, thresholds, announcements. */
function useRenderHooks<T>(
  props: LiveTimeSeriesProps<T>,
  model: Model,
  feed: ChannelFeedState | undefined,
): RenderHooks {
  const { view, paused, series } = model;
  const { unit, decimals, valueFormatter, noValue, locale, thresholds, min, max, colors: colorsProp } = props;
  const freshness = useFreshness(view.updatedAt, props.staleAfterMs ?? DEFAULT_STALE_AFTER_MS);
  const errorText = errorMessage(props.error) ?? (feed?.error === undefined ? undefined : feed.error.message);
  const waiting = feed !== undefined && (feed.status === 'idle' || feed.status === 'subscribing');
  const hasData = view.points > 0;
  const state: LiveState =
    errorText !== undefined
      ? 'error'
      : (props.loading === true || waiting) && !hasData
        ? 'loading'
        : !hasData
          ? 'empty'
          : paused
            ? 'paused'
            : freshness === 'stale'
              ? 'stale'
              : 'live';

  const format = useMemo(
    () => createFormatter({ unit, decimals, valueFormatter, noValue, locale }),
    [unit, decimals, valueFormatter, noValue, locale],
  );
  const categoriesKey = series.categories.join('\u241f');
  const colors = useMemo(
    () => categoriesKey.split('\u241f').map((_, i) => seriesColor(i, colorsProp)),
    [categoriesKey, colorsProp],
  );
  const percentage = thresholds?.mode === 'percentage';
  const rangeMin = percentage ? (min ?? view.yMin) : min;
  const rangeMax = percentage ? (max ?? view.yMax) : max;
  const steps = useMemo(() => resolveSteps(thresholds, rangeMin, rangeMax), [thresholds, rangeMin, rangeMax]);
  const worst = worstStep(view, steps);
  const titleId = useId();

  const name = typeof props.title === 'string' ? `${props.title}: ` : '';
  const stateText =
    state === 'error'
      ? `${name}error${errorText ? `, ${errorText}` : ''}`
      : state === 'stale'
        ? `${name}data is stale`
        : state === 'paused'
          ? `${name}paused`
          : '';
  // Only a step above the base is news ("critical"); the base step is the normal case.
  const thresholdText =
    worst !== undefined && worst.index > 0 && state !== 'paused' ? `${name}${stepLabel(worst)} threshold reached` : '';
  const announcement = useDebouncedValue([stateText, thresholdText].filter(Boolean).join('. '), ANNOUNCE_DELAY_MS);
  return { state, errorText, format, colors, steps, worst, titleId, announcement };
}

function DataTimeSeries<T>({
  forwardedRef,
  ...props
}: LiveTimeSeriesProps<T> & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const model = useTimeSeriesModel(props, props.data ?? EMPTY_ROWS);
  const hooks = useRenderHooks(props, model, undefined);
  return renderTimeSeries(props, model, forwardedRef, hooks);
}

function ChannelTimeSeries<T>({
  forwardedRef,
  ...props
}: LiveTimeSeriesProps<T> & { channel: string; forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const model = useTimeSeriesModel(props, undefined);
  const feed = useChannelSeries(props.channel, model.series, props.select, props.since);
  const hooks = useRenderHooks(props, model, feed);
  return renderTimeSeries(props, model, forwardedRef, hooks);
}

const EMPTY_ROWS: readonly DataRow[] = Object.freeze([]);

/**
 * A live line or area chart over a time window. Fed by a `channel` of the surrounding
 * `<SocketProvider>` (every message is buffered without a render) or by `data` rows.
 *
 * Built for high rates: points go into a bounded ring buffer (by count and by time); the chart renders
 * at most once per animation frame, downsampled to about its pixel width; it does not animate or draw
 * dots; off screen or in a hidden tab it keeps buffering and stops rendering. Paused, it keeps buffering
 * and shows "N new" with a way back to live.
 *
 * `data-state`: `loading | empty | error | paused | stale | live`; `data-threshold`: the label of the
 * highest threshold step a series' latest value reached.
 */
export const LiveTimeSeries = forwardRef(function LiveTimeSeries<T>(
  props: LiveTimeSeriesProps<T>,
  ref: ForwardedRef<HTMLDivElement>,
) {
  return props.channel !== undefined ? (
    <ChannelTimeSeries {...props} channel={props.channel} forwardedRef={ref} />
  ) : (
    <DataTimeSeries {...props} forwardedRef={ref} />
  );
}) as <T = unknown>(props: LiveTimeSeriesProps<T> & RefAttributes<HTMLDivElement>) => ReactElement | null;
