import { forwardRef, useId } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode } from 'react';
import { EMPTY_METRICS, INITIAL_CONNECTION_STATE } from '@socketboard/core';
import type { ConnectionState, MetricsSnapshot } from '@socketboard/core';
import { useConnectionMetrics, useConnectionStatus } from '@socketboard/react';
import { cx } from '../cx';
import { CardHeader } from './card-header';
import { formatDuration, formatTime, formatValue } from '../format';
import { ConnectionStatus } from './connection-status';

export interface ConnectionHealthPanelProps extends Omit<HTMLAttributes<HTMLElement>, 'title' | 'children'> {
  /** Show this state (pure mode). Without it the panel reads the surrounding `<SocketProvider>`. */
  state?: Partial<ConnectionState>;
  /** Pure mode: the metrics to show. Default: all zero. */
  metrics?: MetricsSnapshot;
  /** Default "Connection". */
  title?: ReactNode;
  locale?: string;
  /** Extra content under the stats, e.g. a LatencyChart. */
  children?: ReactNode;
}

interface StatProps {
  label: string;
  value: string;
  sub?: string | undefined;
  tone?: 'warning' | 'danger' | undefined;
}

function Stat({ label, value, sub, tone }: StatProps): ReactElement {
  return (
    <div className="sb-stat" data-tone={tone}>
      <dt className="sb-stat__label">{label}</dt>
      <dd className="sb-stat__body">
        <span className="sb-stat__value">{value}</span>
        {sub !== undefined && <span className="sb-stat__sub">{sub}</span>}
      </dd>
    </div>
  );
}

function Panel({
  state,
  metrics: m,
  title = 'Connection',
  locale,
  className,
  children,
  forwardedRef,
  ...rest
}: Omit<ConnectionHealthPanelProps, 'state' | 'metrics'> & {
  state: ConnectionState;
  metrics: MetricsSnapshot;
  forwardedRef: ForwardedRef<HTMLElement>;
}): ReactElement {
  const titleId = useId();
  const f = (value: number | undefined, unit: string, decimals?: number) =>
    formatValue(value, { unit, locale, decimals });
  const close = state.lastClose;
  const open = state.status === 'open';
  return (
    <section
      ref={forwardedRef}
      aria-labelledby={titleId}
      className={cx('sb-card', 'sb-health', className)}
      data-state={state.status}
      {...rest}
    >
      <CardHeader titleId={titleId} title={title}>
        <ConnectionStatus status={state.status} nextRetryAt={state.nextRetryAt} online={state.online} />
      </CardHeader>
      <dl className="sb-stats">
        <Stat label="Round trip" value={f(m.rttMs, 'ms')} sub={`p95 ${f(m.rttP95Ms, 'ms')}`} />
        <Stat label="Messages in" value={f(m.messagesInPerSec, 'msgps')} sub={`${f(m.messagesIn, 'short')} total`} />
        <Stat label="Messages out" value={f(m.messagesOutPerSec, 'msgps')} sub={`${f(m.messagesOut, 'short')} total`} />
        <Stat label="Bytes in" value={f(m.bytesInPerSec, 'Bps')} sub={`${f(m.bytesIn, 'bytes')} total`} />
        <Stat label="Bytes out" value={f(m.bytesOutPerSec, 'Bps')} sub={`${f(m.bytesOut, 'bytes')} total`} />
        <Stat
          label="Uptime"
          value={open && m.uptimeMs > 0 ? formatDuration(m.uptimeMs) : '–'}
          sub={
            state.openedAt !== undefined
              ? `since ${formatTime(state.openedAt, { locale })}`
              : open
                ? undefined
                : 'not open'
          }
        />
        <Stat
          label="Reconnects"
          value={f(m.reconnects, 'none', 0)}
          sub={m.lastReconnectMs !== undefined ? `last took ${formatDuration(m.lastReconnectMs)}` : undefined}
          tone={m.reconnects > 0 ? 'warning' : undefined}
        />
        <Stat
          label="Queue"
          value={f(m.queueDepth, 'none', 0)}
          sub={`${f(m.dropped, 'none', 0)} dropped${m.inFlight > 0 ? ` · ${f(m.inFlight, 'none', 0)} awaiting ack` : ''}`}
          tone={m.dropped > 0 ? 'danger' : m.queueDepth > 0 ? 'warning' : undefined}
        />
        <Stat
          label="Last close"
          value={close === undefined ? '–' : String(close.code)}
          sub={
            close === undefined
              ? undefined
              : close.reason !== ''
                ? close.reason
                : close.wasClean
                  ? 'clean'
                  : 'not clean'
          }
          tone={close !== undefined && !close.wasClean ? 'warning' : undefined}
        />
      </dl>
      {children}
    </section>
  );
}

function ConnectedPanel(
  props: Omit<ConnectionHealthPanelProps, 'state' | 'metrics'> & { forwardedRef: ForwardedRef<HTMLElement> },
) {
  const state = useConnectionStatus();
  // The current snapshot changes once per sample (about once a second): one render a second at most.
  const metrics = useConnectionMetrics((m) => m.current);
  return <Panel {...props} state={state} metrics={metrics} />;
}

/**
 * Connection health at a glance: status, round trip (now and p95), messages and bytes per second in
 * and out, uptime, reconnects, queue depth and drops, last close code and reason. Reads the
 * surrounding `<SocketProvider>`, or `state` and `metrics` (pure mode).
 */
export const ConnectionHealthPanel = forwardRef<HTMLElement, ConnectionHealthPanelProps>(function ConnectionHealthPanel(
  { state, metrics, ...props },
  ref,
) {
  if (state === undefined) return <ConnectedPanel {...props} forwardedRef={ref} />;
  return (
    <Panel
      {...props}
      state={{ ...INITIAL_CONNECTION_STATE, ...state }}
      metrics={metrics ?? EMPTY_METRICS}
      forwardedRef={ref}
    />
  );
});
