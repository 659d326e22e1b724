import { useSyncExternalStore } from 'react';
import type { ReactElement } from 'react';
import { PlayIcon } from './icons';
import { formatCount } from './pause-toggle';

/** Anything that counts what arrived while paused, such as a {@link LiveSource}. */
export interface PendingSource {
  readonly subscribePending: (listener: () => void) => () => void;
  readonly getPending: () => number;
}

const zero = () => 0;

/**
 * "N new · Back to live" over a paused view. The only part of a paused chart that renders while data
 * arrives (at most once per frame): the chart itself stays still.
 */
export function NewDataBadge({
  source,
  onResume,
}: {
  source: PendingSource;
  onResume: () => void;
}): ReactElement | null {
  const pending = useSyncExternalStore(source.subscribePending, source.getPending, zero);
  return (
    <button type="button" className="sb-new-badge" onClick={onResume}>
      <PlayIcon />
      <span>{pending > 0 ? `${formatCount(pending)} new · Back to live` : 'Paused · Back to live'}</span>
    </button>
  );
}
