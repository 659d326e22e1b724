import { forwardRef, useCallback, useId, useState, useSyncExternalStore } from 'react';
import type { ForwardedRef, HTMLAttributes, ReactElement, ReactNode } from 'react';
import { useSocket } from '@socketboard/react';
import { cx } from '../cx';
import { CardHeader } from './card-header';
import { formatDuration, formatTime, formatValue } from '../format';
import { HealthHistory, healthOfState, uptimeRatio } from '../health-history';
import type { HealthBlock, HealthBlockState } from '../health-history';
import { useNow } from '../hooks/use-now';

export interface HealthTrackerProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title' | 'children'> {
  /**
   * Blocks to show, oldest first (pure mode): full blocks or just their states; an empty array shows
   * `count` blocks without data. Without them the tracker records the surrounding `<SocketProvider>`'s
   * status from the moment it mounts.
   */
  blocks?: readonly (HealthBlock | HealthBlockState)[];
  /** Length of one block. Default 60 000 ms. */
  blockMs?: number;
  /** Number of blocks recorded (provider mode) or shown for an empty `blocks`. Default 30. */
  count?: number;
  /** Default "Uptime". */
  title?: ReactNode;
  locale?: string;
}

const STATE_WORDS: Record<HealthBlockState, string> = {
  up: 'up',
  degraded: 'partly down',
  down: 'down',
  unknown: 'no data',
};

function Tracker({
  blocks,
  blockMs = 60_000,
  count: _count,
  title = 'Uptime',
  locale,
  className,
  forwardedRef,
  ...rest
}: Omit<HealthTrackerProps, 'blocks'> & {
  blocks: readonly HealthBlock[];
  forwardedRef: ForwardedRef<HTMLDivElement>;
}): ReactElement {
  const titleId = useId();
  const ratio = uptimeRatio(blocks);
  const span = formatDuration(blockMs * blocks.length);
  const counts = { up: 0, degraded: 0, down: 0, unknown: 0 };
  for (const block of blocks) counts[block.state]++;
  // Rounded down: 99.96% up is not "100%".
  const percent =
    ratio === undefined ? undefined : formatValue(Math.floor(ratio * 1000) / 10, { unit: 'percent', locale });
  const summary =
    ratio === undefined
      ? `No uptime data for the last ${span}`
      : `Uptime ${percent} over the last ${span}: ${counts.up} up, ${counts.degraded} partly down, ${counts.down} down`;
  const current = blocks[blocks.length - 1]?.state ?? 'unknown';
  return (
    <div
      ref={forwardedRef}
      role="group"
      aria-labelledby={titleId}
      className={cx('sb-card', 'sb-tracker', className)}
      data-state={current}
      {...rest}
    >
      <CardHeader titleId={titleId} title={title}>
        <div className="sb-tracker__summary">{percent ?? '–'}</div>
      </CardHeader>
      <div className="sb-tracker__blocks" role="img" aria-label={summary}>
        {blocks.map((block, i) => (
          <span
            key={i}
            className="sb-tracker__block"
            data-state={block.state}
            title={
              Number.isFinite(block.from)
                ? `${formatTime(block.from, { locale, seconds: false })}–${formatTime(block.to, { locale, seconds: false })} · ${STATE_WORDS[block.state]}`
                : STATE_WORDS[block.state]
            }
          />
        ))}
      </div>
      <div className="sb-tracker__axis" aria-hidden="true">
        <span>{span} ago</span>
        <span>now</span>
      </div>
    </div>
  );
}

function toBlocks(blocks: readonly (HealthBlock | HealthBlockState)[], blockMs: number): HealthBlock[] {
  return blocks.map((b) => {
    if (typeof b !== 'string') return b;
    // Bare states: only the share matters for the summary, so each counts one block of up or down time.
    return {
      from: NaN,
      to: NaN,
      state: b,
      upMs: b === 'up' ? blockMs : b === 'degraded' ? blockMs / 2 : 0,
      downMs: b === 'down' ? blockMs : b === 'degraded' ? blockMs / 2 : 0,
    };
  });
}

function ConnectedTracker({
  blockMs = 60_000,
  count = 30,
  ...props
}: Omit<HealthTrackerProps, 'blocks'> & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const { connection } = useSocket();
  const [history] = useState(() => new HealthHistory());
  const subscribe = useCallback(
    (notify: () => void) => {
      const record = () => {
        history.record(healthOfState(connection.store.getState()), Date.now());
        notify();
      };
      record();
      return connection.store.subscribe(record);
    },
    [connection, history],
  );
  // Re-renders on a new transition (the revision), and as time moves the blocks along.
  useSyncExternalStore(
    subscribe,
    () => history.revision,
    () => 0,
  );
  // A one-second tick: the newest block and the share must follow a reconnect within a second, or a
  // link that just came back shows as down (and "0 %" after a first open) until the next tick.
  const tick = useNow(Math.min(blockMs, 1000));
  // A transition newer than the last tick must show at once, not at the next tick.
  const now = Math.max(tick, history.lastAt ?? tick);
  return <Tracker {...props} blockMs={blockMs} blocks={history.blocks(now, blockMs, count, true)} />;
}

/**
 * Up/down history as a row of blocks (Tremor's tracker): green up, amber partly down, red down, grey
 * no data, with the uptime share. Records the provider's connection status from mount, or shows
 * `blocks` (pure mode). One `role="img"` summary for screen readers instead of one per block.
 */
export const HealthTracker = forwardRef<HTMLDivElement, HealthTrackerProps>(function HealthTracker(
  { blocks, ...props },
  ref,
) {
  if (blocks === undefined) return <ConnectedTracker {...props} forwardedRef={ref} />;
  // No history yet still has a span: `count` blocks without data, not an empty row over "0 ms ago".
  const shown = blocks.length === 0 ? Array<HealthBlockState>(props.count ?? 30).fill('unknown') : blocks;
  return <Tracker {...props} blocks={toBlocks(shown, props.blockMs ?? 60_000)} forwardedRef={ref} />;
});
