import { forwardRef, useMemo, useSyncExternalStore } from 'react';
import type { ForwardedRef, HTMLAttributes } from 'react';
import { useSocket } from '@socketboard/react';
import { cx } from '../cx';
import { DEFAULT_STALE_AFTER_MS, formatAgo } from '../freshness';
import { useFreshness } from '../hooks/use-freshness';
import { useNow } from '../hooks/use-now';
import { throttleSubscribe } from '../throttle-subscribe';
import { toTime } from '../time';

export interface LastUpdatedProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Data mode: when the data last changed (ms or Date). */
  at?: number | Date;
  /** Channel mode: a channel of the surrounding `<SocketProvider>`; its last message time is used. */
  channel?: string;
  /** Older than this is stale. Default 5 000 ms. */
  staleAfterMs?: number;
  /** Shown before any update. Default "No data yet". */
  neverText?: string;
  /** Before the age. Default "Updated". */
  prefix?: string;
  locale?: string;
}

function LastUpdatedView({
  at,
  channel: _channel,
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
  neverText = 'No data yet',
  prefix = 'Updated',
  locale,
  className,
  forwardedRef,
  ...rest
}: Omit<LastUpdatedProps, 'at'> & { at: number | undefined; forwardedRef: ForwardedRef<HTMLSpanElement> }) {
  const state = useFreshness(at, staleAfterMs);
  // The age label ticks once a second; only this small element re-renders.
  const now = useNow(at === undefined ? undefined : 1_000);
  const age = at === undefined ? undefined : Math.max(0, now - at);
  return (
    <span ref={forwardedRef} className={cx('sb-last-updated', className)} data-state={state} {...rest}>
      <span className="sb-dot" aria-hidden="true" />
      {at === undefined ? (
        <span>{neverText}</span>
      ) : (
        <span>
          {prefix}{' '}
          <time dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString(locale)}>
            {formatAgo(age!, locale)}
          </time>
          {state === 'stale' && <span className="sb-last-updated__stale"> · stale</span>}
        </span>
      )}
    </span>
  );
}

function ChannelLastUpdated({
  forwardedRef,
  channel,
  ...props
}: LastUpdatedProps & { channel: string; forwardedRef: ForwardedRef<HTMLSpanElement> }) {
  const { connection } = useSocket();
  // Read the channel's store without subscribing on the wire: whoever shows the data subscribes. The
  // store changes per message; a label in seconds needs at most one render a second.
  const store = connection.channel(channel);
  const subscribe = useMemo(() => throttleSubscribe(store.subscribe, 1_000), [store]);
  const at = useSyncExternalStore(
    subscribe,
    () => store.getState().lastMessageAt,
    () => undefined,
  );
  return <LastUpdatedView {...props} at={at} forwardedRef={forwardedRef} />;
}

/**
 * "Updated 12 s ago", with `data-state` `fresh | stale | never` by `staleAfterMs`. Fed by `at` or by a
 * `channel` (its last message time; it does not subscribe by itself).
 */
export const LastUpdated = forwardRef<HTMLSpanElement, LastUpdatedProps>(function LastUpdated(props, ref) {
  if (props.channel !== undefined) return <ChannelLastUpdated {...props} channel={props.channel} forwardedRef={ref} />;
  const at = props.at === undefined ? undefined : toTime(props.at);
  return (
    <LastUpdatedView {...props} at={at !== undefined && Number.isFinite(at) ? at : undefined} forwardedRef={ref} />
  );
});
