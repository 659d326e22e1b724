import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type {
  Ack,
  ChannelListener,
  ChannelMap,
  ChannelName,
  ChannelState,
  PublishOptions,
  SendResult,
  StandardSchemaV1,
} from '@socketboard/core';
import { createChannelView } from './channel-view';
import type { Deliver } from './channel-view';
import type { RegisteredChannels } from './register';
import type { EqualityFn } from './selection';
import { useSocketContext } from './socket-context';
import { useIsomorphicLayoutEffect } from './use-latest';

export interface UseChannelOptions<T, S = ChannelState<T>> {
  /**
   * When a message renders: `'frame'` (default) at most once per animation frame with the newest data;
   * `'every'` each message in order, none skipped; `{ throttleMs }` at most once per interval.
   */
  deliver?: Deliver;
  /** Called for every message without rendering; the latest function is always the one called. */
  onMessage?: ChannelListener<T>;
  /** Picks what the component reads; it renders only when that changes. The hook then returns it. */
  select?: (state: ChannelState<T>) => S;
  /** Compares selections. Default `shallow` (so a selector may build a fresh object). */
  isEqual?: EqualityFn<S>;
  /** Keep the last `history` messages in `history`. Default `0`. */
  history?: number;
  /**
   * Backfill on mount: when this hook starts the channel, the server replays the messages it still holds
   * after this seq (`0`: all of them) before live ones, so a chart does not start empty. A channel
   * already live shows its store (`data`, `history`) instead. Read when the subscription starts.
   */
  since?: number;
  /** `false`: not subscribed; the hook shows the idle channel. Default `true`. */
  enabled?: boolean;
  /**
   * A Standard Schema validator (zod, valibot, arktype…) for the payloads; rejected messages are
   * dropped and reported. Read when the subscription starts: define it once, outside the component.
   */
  schema?: StandardSchemaV1<unknown, T>;
}

/** Publishes on the hook's channel; typed by the channel map. */
export interface ChannelPublish<T> {
  (data: T, options?: { ack?: false }): SendResult;
  (data: T, options: { ack: true; timeoutMs?: number }): Promise<Ack>;
  (data: T, options?: PublishOptions): SendResult | Promise<Ack>;
}

/** What `useChannel` returns without `select`: the channel's state and a bound `publish`. */
export type ChannelResult<T> = ChannelState<T> & { readonly publish: ChannelPublish<T> };

/** `useChannel`, typed by a channel map. */
export interface UseChannel<TChannels extends ChannelMap> {
  <K extends ChannelName<TChannels>>(
    name: K,
    options?: UseChannelOptions<TChannels[K]> & { select?: undefined },
  ): ChannelResult<TChannels[K]>;
  <K extends ChannelName<TChannels>, S>(
    name: K,
    options: UseChannelOptions<TChannels[K], S> & { select: (state: ChannelState<TChannels[K]>) => S },
  ): S;
}

function useChannelImpl<T, S>(name: string, options: UseChannelOptions<T, S> = {}): S | ChannelResult<T> {
  const { connection, scheduler } = useSocketContext('useChannel');
  const { deliver, history, since, enabled, schema, select, isEqual, onMessage } = options;
  const mode = typeof deliver === 'object' ? 'throttle' : (deliver ?? 'frame');
  const throttleMs = typeof deliver === 'object' ? deliver.throttleMs : 0;

  // Lazy: creating a view does nothing until useSyncExternalStore subscribes (safe in render and on the server).
  const view = useMemo(
    () =>
      createChannelView<T, S>(connection, name, {
        deliver: mode === 'throttle' ? { throttleMs } : mode,
        history,
        since,
        enabled,
        schema,
        scheduler,
        onMessage,
      }),
    // `schema`, `since` and `onMessage` are read when the view is made (and `onMessage` kept current
    // below): new inline ones each render must not resubscribe, and `since` only matters when it starts.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [connection, scheduler, name, mode, throttleMs, history, enabled],
  );
  // The selector of this render, like useSyncExternalStoreWithSelector: equal selections keep their identity.
  view.setSelector(select, isEqual);
  useIsomorphicLayoutEffect(() => view.setOnMessage(onMessage), [view, onMessage]);

  const value = useSyncExternalStore(view.subscribe, view.getSnapshot, view.getServerSnapshot);
  // 'every' mode: this value is on screen, the view may show the next one.
  useEffect(() => view.rendered(value), [view, value]);

  const publish = useMemo(
    () =>
      ((data: T, publishOptions?: PublishOptions) =>
        connection.publish(name, data, publishOptions)) as ChannelPublish<T>,
    [connection, name],
  );
  const selecting = select !== undefined;
  return useMemo(() => (selecting ? value : { ...(value as ChannelState<T>), publish }), [selecting, value, publish]);
}

/**
 * Reads a channel of the provider's connection. Subscribes while mounted (however many components
 * use a channel, it is one subscription on the wire) and returns `{ data, seq, lastMessageAt, status,
 * history, resumed, error, publish }`, or with `select` just what the selector picks. Renders at most
 * once per animation frame by default; `onMessage` sees every message without rendering.
 *
 * Payload types come from the registered channel map ({@link Register}) or {@link createSocketHooks}.
 *
 * @throws {SocketProviderMissingError} outside a `<SocketProvider>`.
 */
export const useChannel: UseChannel<RegisteredChannels> = useChannelImpl;
