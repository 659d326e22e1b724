import { forwardRef } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode } from 'react';
import type { ConnectionState, ConnectionStatus as Status } from '@socketboard/core';
import { useConnectionStatus, useSocket } from '@socketboard/react';
import { cx } from '../cx';
import { useDeadlinePassed } from '../hooks/use-deadline';
import { useNow } from '../hooks/use-now';
import { AlertIcon, RefreshIcon } from './icons';

export interface ConnectionBannerProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  /** Show this status (pure mode). Without it the banner reads the surrounding `<SocketProvider>`. */
  status?: Status;
  /** Pure mode: when the next attempt starts. */
  nextRetryAt?: number;
  /** Pure mode: consecutive failed attempts. */
  attempt?: number;
  /** Pure mode: whether the browser is online. Default `true`. */
  online?: boolean;
  /** When the connection went down (clock ms); the grace period counts from it. Connected: the connection's `downSince`. */
  downSince?: number;
  /** Pure mode: what Retry does. Connected, it calls `reconnect()`. */
  onRetry?: () => void;
  /** Stay hidden for blips shorter than this. Default 3 000 ms. */
  graceMs?: number;
  /** Headline. Default by situation: "Connection lost", "Connection failed", "You are offline". */
  title?: ReactNode;
  /** Default "Retry now". */
  retryLabel?: string;
}

type BannerState = Pick<ConnectionState, 'status' | 'nextRetryAt' | 'attempt' | 'online'> & {
  downSince: number | undefined;
};

/** Down: retrying or given up, or offline while the app wants a connection. */
export function isDown(state: Pick<ConnectionState, 'status' | 'online'>): boolean {
  if (state.status === 'reconnecting' || state.status === 'failed') return true;
  return !state.online && (state.status === 'open' || state.status === 'connecting');
}

function Banner({
  state,
  onRetry,
  graceMs = 3_000,
  title,
  retryLabel = 'Retry now',
  className,
  children,
  forwardedRef,
  ...rest
}: Omit<ConnectionBannerProps, 'status' | 'nextRetryAt' | 'attempt' | 'online' | 'downSince'> & {
  state: BannerState;
  forwardedRef: ForwardedRef<HTMLDivElement>;
}): ReactElement {
  const down = isDown(state);
  const graceOver = useDeadlinePassed(
    down ? (state.downSince === undefined ? -Infinity : state.downSince + graceMs) : undefined,
  );
  const shown = down && graceOver;
  const countdownActive = shown && state.status === 'reconnecting' && state.nextRetryAt !== undefined;
  const now = useNow(countdownActive ? 1_000 : undefined);
  const failed = state.status === 'failed';
  const offline = !state.online;
  const headline = title ?? (failed ? 'Connection failed' : offline ? 'You are offline' : 'Connection lost');
  const seconds = countdownActive ? Math.ceil((state.nextRetryAt - now) / 1000) : undefined;
  const detail = failed
    ? 'Live data has stopped. Try again when you are ready.'
    : offline
      ? 'Live data will resume when the network is back.'
      : seconds !== undefined && seconds > 0
        ? `Reconnecting in ${seconds} s${state.attempt > 1 ? ` (attempt ${state.attempt})` : ''}…`
        : 'Reconnecting…';
  // Said once per outage: the headline is fixed while shown, the ticking detail is not in the live region.
  const announcement = shown
    ? `${typeof headline === 'string' ? headline : 'Connection lost'}. ${failed ? 'Live data has stopped.' : 'Reconnecting automatically.'}`
    : '';
  return (
    <div
      ref={forwardedRef}
      className={cx('sb-banner', className)}
      data-state={shown ? (failed ? 'failed' : offline ? 'offline' : 'reconnecting') : 'hidden'}
      {...rest}
    >
      <span role="status" className="sb-visually-hidden">
        {announcement}
      </span>
      {shown && (
        <div className="sb-banner__content">
          <span className="sb-banner__icon" aria-hidden="true">
            <AlertIcon />
          </span>
          <div className="sb-banner__text">
            <div className="sb-banner__title">{headline}</div>
            <div className="sb-banner__detail">{detail}</div>
            {children}
          </div>
          {onRetry !== undefined && (
            <button type="button" className="sb-button sb-button--primary" onClick={onRetry}>
              <RefreshIcon />
              <span>{retryLabel}</span>
            </button>
          )}
        </div>
      )}
    </div>
  );
}

const pickBannerState = (s: ConnectionState) => ({
  status: s.status,
  nextRetryAt: s.nextRetryAt,
  attempt: s.attempt,
  online: s.online,
  downSince: s.downSince,
});

function ConnectedBanner({
  downSince,
  onRetry,
  ...props
}: ConnectionBannerProps & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const state = useConnectionStatus(pickBannerState);
  const { reconnect } = useSocket();
  return (
    <Banner {...props} state={{ ...state, downSince: downSince ?? state.downSince }} onRetry={onRetry ?? reconnect} />
  );
}

/**
 * Tells the user the connection is down, but only after `graceMs` (blips stay silent), with a Retry
 * button that calls `reconnect()`. Announced once per outage (polite). `data-state`:
 * `hidden | reconnecting | offline | failed`. Reads the surrounding `<SocketProvider>`, or `status` (pure mode).
 */
export const ConnectionBanner = forwardRef<HTMLDivElement, ConnectionBannerProps>(function ConnectionBanner(
  { status, nextRetryAt, attempt = 0, online = true, downSince, ...props },
  ref,
) {
  if (status === undefined) return <ConnectedBanner {...props} downSince={downSince} forwardedRef={ref} />;
  return <Banner {...props} state={{ status, nextRetryAt, attempt, online, downSince }} forwardedRef={ref} />;
});
