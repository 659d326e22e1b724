import { forwardRef, useEffect, useId, useMemo, useRef, useSyncExternalStore } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode, RefAttributes, RefObject } from 'react';
import type { MessageMeta } from '@socketboard/core';
import { cx } from '../cx';
import { formatTime } from '../format';
import { useActivity } from '../hooks/use-activity';
import { useArrivalAnnouncement } from '../hooks/use-arrival-announcement';
import { useChannelLog } from '../hooks/use-channel-feed';
import type { ChannelFeedState } from '../hooks/use-channel-feed';
import { useControllableState } from '../hooks/use-controllable-state';
import { useIsomorphicLayoutEffect } from '../hooks/use-isomorphic-layout-effect';
import { LiveLog } from '../live-log';
import type { LiveLogView } from '../live-log';
import { toTime } from '../time';
import { ChartState } from './chart-state';
import { CardHeader } from './card-header';
import { errorMessage } from './error-text';
import type { ErrorProp } from './error-text';
import { mergeRefs } from './merge-refs';
import { NewDataBadge } from './new-data-badge';
import { PauseToggle } from './pause-toggle';

export type EventLevel = 'debug' | 'info' | 'success' | 'warning' | 'error';

export interface EventLogItem {
  /** Identifies the item across `items` updates; default: identity of the object. */
  readonly id?: string | number;
  /** When it happened (ms, Date or date string). */
  readonly time: number | Date | string;
  /** Default `'info'`. */
  readonly level?: EventLevel;
  readonly message: ReactNode;
  /** Where it came from, shown as a tag. */
  readonly source?: string;
}

export interface EventLogProps<T = unknown> extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'> {
  /** Data mode: the events, oldest first. */
  items?: readonly EventLogItem[];
  /** Channel of the surrounding `<SocketProvider>` (channel mode). */
  channel?: string;
  /**
   * Channel mode, backfill: when this component starts the channel, the server first replays what it
   * still holds after this seq (`0`: all of it), so the log does not start empty.
   */
  since?: number;
  /**
   * Channel mode: turns a message into an item, a string (an `info` line) or undefined (skip). Default:
   * strings as they are; objects with `message`/`text` (and `level`, `time`, `source`) as items.
   */
  select?: (message: T, meta: MessageMeta) => EventLogItem | string | undefined;
  /** Most items kept; older ones drop off. Default 200. */
  maxItems?: number;
  paused?: boolean;
  defaultPaused?: boolean;
  onPausedChange?: (paused: boolean) => void;
  /** Default `'newest-first'`. */
  order?: 'newest-first' | 'oldest-first';
  title?: ReactNode;
  /** Show the pause button. Default `true`. */
  showControls?: boolean;
  /** Max height of the list in px before it scrolls. Default 320. */
  height?: number;
  noDataText?: string;
  loading?: boolean;
  error?: ErrorProp;
  locale?: string;
  /** Screen readers hear "N new events" at most this often. Default 5 000 ms; `Infinity`: never. */
  announceEveryMs?: number;
}

const LEVEL_TEXT: Record<EventLevel, string> = {
  debug: 'Debug',
  info: 'Info',
  success: 'OK',
  warning: 'Warn',
  error: 'Error',
};

/** The default `select`: strings and `{ message | text, level?, time?, source? }` objects. */
export function toEventLogItem(message: unknown, meta: MessageMeta): EventLogItem | undefined {
  if (typeof message === 'string') return { time: meta.receivedAt, message };
  if (typeof message === 'number' || typeof message === 'boolean')
    return { time: meta.receivedAt, message: String(message) };
  if (message === null || typeof message !== 'object') return undefined;
  const m = message as Record<string, unknown>;
  const text = m.message ?? m.text;
  const time = toTime(m.time);
  const level = typeof m.level === 'string' && m.level in LEVEL_TEXT ? (m.level as EventLevel) : undefined;
  return {
    time: Number.isFinite(time) ? time : meta.receivedAt,
    message: typeof text === 'string' ? text : JSON.stringify(message),
    ...(level !== undefined ? { level } : {}),
    ...(typeof m.source === 'string' ? { source: m.source } : {}),
    ...(typeof m.id === 'string' || typeof m.id === 'number' ? { id: m.id } : {}),
  };
}

const sameItem = (a: EventLogItem, b: EventLogItem) => a === b || (a.id !== undefined && a.id === b.id);

interface LogModel {
  log: LiveLog<EventLogItem>;
  view: LiveLogView<EventLogItem>;
  paused: boolean;
  setPaused: (paused: boolean) => void;
  rootRef: RefObject<HTMLDivElement | null>;
}

const NO_ITEMS: readonly EventLogItem[] = Object.freeze([]);

function useLogModel<T>(props: EventLogProps<T>, items: readonly EventLogItem[] | undefined): LogModel {
  const rootRef = useRef<HTMLDivElement | null>(null);
  const capacity = props.maxItems ?? 200;
  const log = useMemo(() => {
    const created = new LiveLog<EventLogItem>({ capacity });
    // The items present at mount are the starting content: shown in the first render, never announced as arrivals.
    if (items !== undefined) created.syncItems(items, sameItem);
    return created;
    // Later items are synced by the layout effect below; only a new capacity makes a new log.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [capacity]);
  const [paused, setPaused] = useControllableState({
    prop: props.paused,
    defaultProp: props.defaultPaused ?? false,
    onChange: props.onPausedChange,
  });
  // Items before pause, so that a log mounted paused still shows what it was given.
  useIsomorphicLayoutEffect(() => {
    if (items !== undefined) log.syncItems(items, sameItem);
  }, [log, items]);
  useIsomorphicLayoutEffect(() => log.setPaused(paused), [log, paused]);
  useActivity(rootRef, log);
  useEffect(() => () => log.dispose(), [log]);
  const view = useSyncExternalStore(log.subscribe, log.getView, log.getView);
  return { log, view, paused, setPaused, rootRef };
}

function describeArrivals(view: LiveLogView<EventLogItem>) {
  return (count: number) => {
    const latest = view.entries[view.entries.length - 1]?.value.message;
    const tail = typeof latest === 'string' ? `. Latest: ${latest}` : '';
    return `${count} new ${count === 1 ? 'event' : 'events'}${tail}`;
  };
}

function renderLog<T>(
  props: EventLogProps<T>,
  model: LogModel,
  feed: ChannelFeedState | undefined,
  ref: ForwardedRef<HTMLDivElement>,
  ids: { title: string },
  announcement: string,
): ReactElement {
  const {
    items: _items,
    channel: _channel,
    since: _since,
    select: _select,
    maxItems: _maxItems,
    paused: _paused,
    defaultPaused: _defaultPaused,
    onPausedChange: _onPausedChange,
    order = 'newest-first',
    title,
    showControls = true,
    height = 320,
    noDataText,
    loading = false,
    error,
    locale,
    announceEveryMs: _announceEveryMs,
    className,
    ...rest
  } = props;
  const { view, paused, setPaused, log } = model;
  const errorText = errorMessage(error) ?? feed?.error?.message;
  const waiting = feed !== undefined && (feed.status === 'idle' || feed.status === 'subscribing');
  const empty = view.entries.length === 0;
  const state =
    errorText !== undefined
      ? 'error'
      : (loading || waiting) && empty
        ? 'loading'
        : empty
          ? 'empty'
          : paused
            ? 'paused'
            : 'live';
  const entries = order === 'newest-first' ? [...view.entries].reverse() : view.entries;
  const label = typeof title === 'string' ? title : 'Event log';

  return (
    <div ref={ref} className={cx('sb-card', 'sb-log', className)} data-state={state} {...rest}>
      {(title !== undefined || showControls) && (
        <CardHeader titleId={ids.title} title={title}>
          {showControls && (
            <div className="sb-card__controls">
              <PauseToggle paused={paused} onPausedChange={setPaused} />
            </div>
          )}
        </CardHeader>
      )}
      <div className="sb-log__body">
        {state === 'loading' || state === 'empty' || state === 'error' ? (
          <ChartState
            state={state}
            title={state === 'empty' ? (noDataText ?? 'No events yet') : undefined}
            description={state === 'error' && errorText !== '' ? errorText : undefined}
          />
        ) : null}
        {/* Polite by role, but silenced: each line would be read out. The summary region below speaks instead. */}
        <ol
          role="log"
          aria-live="off"
          aria-label={title === undefined ? label : undefined}
          aria-labelledby={title !== undefined ? ids.title : undefined}
          tabIndex={0}
          className="sb-log__list"
          style={{ maxHeight: height }}
          hidden={empty}
        >
          {entries.map(({ seq, value: item }) => {
            const level = item.level ?? 'info';
            const time = toTime(item.time);
            return (
              <li key={item.id ?? seq} className="sb-log__item" data-level={level}>
                <time
                  className="sb-log__time"
                  dateTime={Number.isFinite(time) ? new Date(time).toISOString() : undefined}
                >
                  {Number.isFinite(time) ? formatTime(time, { locale }) : ''}
                </time>
                <span className="sb-log__level">{LEVEL_TEXT[level]}</span>
                {item.source !== undefined && <span className="sb-log__source">{item.source}</span>}
                <span className="sb-log__message">{item.message}</span>
              </li>
            );
          })}
        </ol>
        {paused && !empty && (
          <div className="sb-corner sb-corner--bottom">
            <NewDataBadge source={log} onResume={() => setPaused(false)} />
          </div>
        )}
      </div>
      <span role="status" className="sb-visually-hidden">
        {announcement}
      </span>
    </div>
  );
}

function DataEventLog<T>({
  forwardedRef,
  ...props
}: EventLogProps<T> & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const model = useLogModel(props, props.items ?? NO_ITEMS);
  const announcement = useArrivalAnnouncement(
    model.view.total,
    props.announceEveryMs ?? 5_000,
    describeArrivals(model.view),
  );
  const titleId = useId();
  const rootRef = useMemo(() => mergeRefs(forwardedRef, model.rootRef), [forwardedRef, model.rootRef]);
  return renderLog(props, model, undefined, rootRef, { title: titleId }, announcement);
}

function ChannelEventLog<T>({
  forwardedRef,
  ...props
}: EventLogProps<T> & { channel: string; forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const model = useLogModel(props, undefined);
  const select = props.select;
  const feed = useChannelLog(
    props.channel,
    model.log,
    (message: T, meta: MessageMeta) => {
      const picked = select === undefined ? toEventLogItem(message, meta) : select(message, meta);
      return typeof picked === 'string' ? { time: meta.receivedAt, message: picked } : picked;
    },
    props.since,
  );
  const announcement = useArrivalAnnouncement(
    model.view.total,
    props.announceEveryMs ?? 5_000,
    describeArrivals(model.view),
  );
  const titleId = useId();
  const rootRef = useMemo(() => mergeRefs(forwardedRef, model.rootRef), [forwardedRef, model.rootRef]);
  return renderLog(props, model, feed, rootRef, { title: titleId }, announcement);
}

/**
 * A bounded, pausable event list (`role="log"`), newest first by default. Fed by `items` or a
 * `channel`; renders at most once per frame and keeps only `maxItems`. Screen readers hear a summary
 * ("12 new events") at most every `announceEveryMs`, never each line.
 * `data-state`: `loading | empty | error | paused | live`.
 */
export const EventLog = forwardRef(function EventLog<T>(props: EventLogProps<T>, ref: ForwardedRef<HTMLDivElement>) {
  return props.channel !== undefined ? (
    <ChannelEventLog {...props} channel={props.channel} forwardedRef={ref} />
  ) : (
    <DataEventLog {...props} forwardedRef={ref} />
  );
}) as <T = unknown>(props: EventLogProps<T> & RefAttributes<HTMLDivElement>) => ReactElement | null;
