import { useCallback } from 'react';
import type { ChannelState, ChannelStatus, MessageMeta, ServerError } from '@socketboard/core';
import { useChannel } from '@socketboard/react';
import type { LiveLog } from '../live-log';
import type { LiveSeries } from '../live-series';
import { toTime } from '../time';
import { useLatest } from './use-latest';

/** What a chart's `select` may return for one message: one number, one row, several rows, or nothing. */
export type SelectedPoint =
  number | Readonly<Record<string, unknown>> | readonly Readonly<Record<string, unknown>>[] | null | undefined;

/** Picks the point(s) a chart draws from one channel message. Without it, the message itself is used. */
export type PointSelector<T> = (message: T, meta: MessageMeta) => SelectedPoint;

export interface ChannelFeedState {
  readonly status: ChannelStatus;
  readonly error: ServerError | undefined;
}

const pickFeedState = (state: ChannelState): ChannelFeedState => ({ status: state.status, error: state.error });

// Reused for single numbers so the message path allocates nothing per message.
const scratch = [0];

/** Pushes what `select` picked into `series`: rows use their own time (under the index key) or the receive time. */
export function pushSelected(series: LiveSeries, picked: unknown, receivedAt: number): void {
  if (typeof picked === 'number') {
    scratch[0] = picked;
    series.push(receivedAt, scratch);
    return;
  }
  if (picked === null || typeof picked !== 'object') return;
  if (Array.isArray(picked)) {
    for (const row of picked as unknown[]) pushSelected(series, row, receivedAt);
    return;
  }
  const row = picked as Readonly<Record<string, unknown>>;
  const time = toTime(row[series.index]);
  series.pushRecord(Number.isFinite(time) ? time : receivedAt, row);
}

/**
 * Feeds a channel of the provider's connection into `series`: every message is pushed without a render
 * (`onMessage`); the component renders only when the channel's status or error change.
 */
export function useChannelSeries<T>(
  channel: string,
  series: LiveSeries,
  select: PointSelector<T> | undefined,
  since?: number,
): ChannelFeedState {
  const selectRef = useLatest(select);
  const onMessage = useCallback(
    (data: unknown, meta: MessageMeta) => {
      const pick = selectRef.current;
      pushSelected(series, pick === undefined ? data : pick(data as T, meta), meta.receivedAt);
    },
    [series, selectRef],
  );
  return useChannel(channel, { onMessage, select: pickFeedState, since });
}

/** Feeds a channel into a {@link LiveLog}; `toItem` turns a message into an item (undefined skips it). */
export function useChannelLog<T, I>(
  channel: string,
  log: LiveLog<I>,
  toItem: (message: T, meta: MessageMeta) => I | undefined,
  since?: number,
): ChannelFeedState {
  const toItemRef = useLatest(toItem);
  const onMessage = useCallback(
    (data: unknown, meta: MessageMeta) => {
      const item = toItemRef.current(data as T, meta);
      if (item !== undefined) log.push(item);
    },
    [log, toItemRef],
  );
  return useChannel(channel, { onMessage, select: pickFeedState, since });
}
