import { forwardRef } from 'react';
import type { ButtonHTMLAttributes } from 'react';
import { cx } from '../cx';
import { useControllableState } from '../hooks/use-controllable-state';
import { PauseIcon, PlayIcon } from './icons';

export interface PauseToggleProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'onChange'> {
  /** Controlled: paused or live. */
  paused?: boolean;
  /** Uncontrolled start. Default `false`. */
  defaultPaused?: boolean;
  onPausedChange?: (paused: boolean) => void;
  /** Items that arrived while paused, shown next to "Resume". */
  pendingCount?: number;
  /** Label while live. Default "Pause". */
  pauseLabel?: string;
  /** Label while paused. Default "Resume". */
  resumeLabel?: string;
}

/**
 * Pauses and resumes a live view. A native button (Space and Enter work); its label says what it
 * will do, `data-state` says what is (`live` | `paused`).
 */
export const PauseToggle = forwardRef<HTMLButtonElement, PauseToggleProps>(function PauseToggle(
  {
    paused: pausedProp,
    defaultPaused = false,
    onPausedChange,
    pendingCount,
    pauseLabel = 'Pause',
    resumeLabel = 'Resume',
    className,
    onClick,
    ...rest
  },
  ref,
) {
  const [paused, setPaused] = useControllableState({
    prop: pausedProp,
    defaultProp: defaultPaused,
    onChange: onPausedChange,
  });
  const showCount = paused && pendingCount !== undefined && pendingCount > 0;
  return (
    <button
      ref={ref}
      type="button"
      data-state={paused ? 'paused' : 'live'}
      className={cx('sb-button', 'sb-pause-toggle', className)}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) setPaused(!paused);
      }}
      {...rest}
    >
      {paused ? <PlayIcon /> : <PauseIcon />}
      <span>{paused ? resumeLabel : pauseLabel}</span>
      {showCount && <span className="sb-pause-toggle__count">{formatCount(pendingCount)} new</span>}
    </button>
  );
});

const counts = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

/** "12", "1.2K": a count that fits a badge. */
export function formatCount(count: number): string {
  return counts.format(count);
}
