import { forwardRef } from 'react';
import type { HTMLAttributes, ReactNode } from 'react';
import { cx } from '../cx';
import { AlertIcon, ClockIcon, InboxIcon } from './icons';

/** The non-live states every chart shares. */
export type ChartStateKind = 'loading' | 'empty' | 'stale' | 'error';

export interface ChartStateProps extends Omit<HTMLAttributes<HTMLDivElement>, 'title'> {
  state: ChartStateKind;
  /** Headline. Default per state: "Loading…", "No data", "Data is stale", "Something went wrong". */
  title?: ReactNode;
  /** A line under the headline (e.g. an error message, "updated 2 min ago"). */
  description?: ReactNode;
  /** A button or link, e.g. retry. */
  action?: ReactNode;
  /** A small badge instead of a centred panel: what charts show over still-visible stale data. */
  compact?: boolean;
}

const DEFAULT_TITLES: Record<ChartStateKind, string> = {
  loading: 'Loading…',
  empty: 'No data',
  stale: 'Data is stale',
  error: 'Something went wrong',
};

/**
 * Loading, empty, stale and error, shown the same way by every component. A polite status region:
 * screen readers hear the state once when it appears, not again while it stays.
 */
export const ChartState = forwardRef<HTMLDivElement, ChartStateProps>(function ChartState(
  { state, title, description, action, compact = false, className, ...rest },
  ref,
) {
  return (
    <div
      ref={ref}
      role="status"
      aria-busy={state === 'loading' ? true : undefined}
      data-state={state}
      className={cx('sb-chart-state', compact && 'sb-chart-state--compact', className)}
      {...rest}
    >
      <span className="sb-chart-state__icon" aria-hidden="true">
        {state === 'loading' ? (
          <span className="sb-spinner" />
        ) : state === 'error' ? (
          <AlertIcon />
        ) : state === 'stale' ? (
          <ClockIcon />
        ) : (
          <InboxIcon />
        )}
      </span>
      <span className="sb-chart-state__text">
        <span className="sb-chart-state__title">{title ?? DEFAULT_TITLES[state]}</span>
        {description !== undefined && description !== null && (
          <span className="sb-chart-state__description">{description}</span>
        )}
      </span>
      {action !== undefined && action !== null && <span className="sb-chart-state__action">{action}</span>}
    </div>
  );
});
