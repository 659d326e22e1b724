import { forwardRef } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement } from 'react';
import type { ConnectionState, ConnectionStatus as Status } from '@socketboard/core';
import { useConnectionStatus } from '@socketboard/react';
import { cx } from '../cx';
import { useDebouncedValue } from '../hooks/use-debounced-value';
import { useNow } from '../hooks/use-now';

/** Words for each status, plus `offline` (no network while not open). */
export type ConnectionLabels = Record<Status | 'offline', string>;

export const DEFAULT_CONNECTION_LABELS: Readonly<ConnectionLabels> = Object.freeze({
  idle: 'Not connected',
  connecting: 'Connecting',
  open: 'Connected',
  reconnecting: 'Reconnecting',
  closed: 'Disconnected',
  failed: 'Connection failed',
  offline: 'Offline',
});

export interface ConnectionStatusProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  /** Show this status (pure mode). Without it the badge reads the surrounding `<SocketProvider>`. */
  status?: Status;
  /** Pure mode: when the next attempt starts (clock ms), for the countdown. */
  nextRetryAt?: number;
  /** Pure mode: whether the browser is online. Default `true`. */
  online?: boolean;
  labels?: Partial<ConnectionLabels>;
  /** "Reconnecting in 4 s" while a retry is scheduled. Default `true`. */
  showCountdown?: boolean;
  /** Screen readers hear a change once it held this long, so flapping is announced once. Default 1 000 ms. */
  announceDelayMs?: number;
}

type BadgeState = Pick<ConnectionState, 'status' | 'nextRetryAt' | 'online'>;

/** The label a status reads as (offline wins unless open). */
export function connectionLabel(state: BadgeState, labels: Partial<ConnectionLabels> = {}): string {
  const all = { ...DEFAULT_CONNECTION_LABELS, ...labels };
  return !state.online && state.status !== 'open' && state.status !== 'idle' && state.status !== 'closed'
    ? all.offline
    : all[state.status];
}

/** "in 4 s" until `nextRetryAt`, or undefined when none is due. */
function useCountdown(nextRetryAt: number | undefined, enabled: boolean): string | undefined {
  const active = enabled && nextRetryAt !== undefined;
  const now = useNow(active ? 1_000 : undefined);
  if (!active) return undefined;
  const seconds = Math.ceil((nextRetryAt - now) / 1000);
  return seconds > 0 ? `in ${seconds} s` : 'now';
}

function StatusBadge({
  state,
  labels,
  showCountdown = true,
  announceDelayMs = 1_000,
  className,
  forwardedRef,
  ...rest
}: Omit<ConnectionStatusProps, 'status' | 'nextRetryAt' | 'online'> & {
  state: BadgeState;
  forwardedRef: ForwardedRef<HTMLSpanElement>;
}): ReactElement {
  const label = connectionLabel(state, labels);
  const countdown = useCountdown(state.nextRetryAt, showCountdown && state.status === 'reconnecting');
  // The live region hears the label only once it settles; the ticking countdown is never announced.
  const announced = useDebouncedValue(label, announceDelayMs);
  return (
    <span
      ref={forwardedRef}
      role="status"
      className={cx('sb-status', className)}
      data-state={state.status}
      data-online={state.online ? undefined : 'false'}
      {...rest}
    >
      <span className="sb-status__dot" aria-hidden="true" />
      <span className="sb-status__label" aria-hidden="true">
        {label}
        {countdown !== undefined && <span className="sb-status__countdown"> {countdown}</span>}
      </span>
      <span className="sb-visually-hidden">{announced}</span>
    </span>
  );
}

const pickBadgeState = (s: ConnectionState): BadgeState => ({
  status: s.status,
  nextRetryAt: s.nextRetryAt,
  online: s.online,
});

function ConnectedStatus(props: ConnectionStatusProps & { forwardedRef: ForwardedRef<HTMLSpanElement> }) {
  const state = useConnectionStatus(pickBadgeState);
  return <StatusBadge {...props} state={state} />;
}

/**
 * A status badge (`role="status"`, `data-state` = the status) with a retry countdown. Reads the
 * surrounding `<SocketProvider>`, or shows `status` (pure mode). Announcements are polite and debounced.
 */
export const ConnectionStatus = forwardRef<HTMLSpanElement, ConnectionStatusProps>(function ConnectionStatus(
  { status, nextRetryAt, online = true, ...props },
  ref,
) {
  if (status === undefined) return <ConnectedStatus {...props} forwardedRef={ref} />;
  return <StatusBadge {...props} state={{ status, nextRetryAt, online }} forwardedRef={ref} />;
});
