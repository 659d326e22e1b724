import { forwardRef, useRef } from 'react';
import type { HTMLAttributes, KeyboardEvent } from 'react';
import { cx } from '../cx';
import { useControllableState } from '../hooks/use-controllable-state';

export interface TimeWindowOption {
  /** Window length in ms. */
  readonly value: number;
  readonly label: string;
}

export const DEFAULT_TIME_WINDOWS: readonly TimeWindowOption[] = Object.freeze([
  { value: 60_000, label: '1 min' },
  { value: 5 * 60_000, label: '5 min' },
  { value: 15 * 60_000, label: '15 min' },
  { value: 60 * 60_000, label: '1 h' },
]);

export interface TimeWindowSelectProps extends Omit<HTMLAttributes<HTMLDivElement>, 'onChange' | 'defaultValue'> {
  /** Controlled window (ms). */
  value?: number;
  /** Uncontrolled start. Default: the second option (5 min), or the first. */
  defaultValue?: number;
  onValueChange?: (windowMs: number) => void;
  /** Default {@link DEFAULT_TIME_WINDOWS}. */
  options?: readonly TimeWindowOption[];
  disabled?: boolean;
}

/**
 * A segmented radio group for the time window: Tab enters at the selected option, arrow keys (and
 * Home/End) move and select, as in the WAI-ARIA radio group pattern.
 */
export const TimeWindowSelect = forwardRef<HTMLDivElement, TimeWindowSelectProps>(function TimeWindowSelect(
  {
    value: valueProp,
    defaultValue,
    onValueChange,
    options = DEFAULT_TIME_WINDOWS,
    disabled = false,
    className,
    onKeyDown,
    ...rest
  },
  ref,
) {
  const [value, setValue] = useControllableState({
    prop: valueProp,
    defaultProp: defaultValue ?? options[1]?.value ?? options[0]?.value ?? 0,
    onChange: onValueChange,
  });
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const selected = options.findIndex((o) => o.value === value);
  const focusable = selected < 0 ? 0 : selected;

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    onKeyDown?.(event);
    if (event.defaultPrevented || disabled || options.length === 0) return;
    const current = Math.max(
      0,
      buttons.current.findIndex((b) => b === event.target),
    );
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = (current + 1) % options.length;
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = (current - 1 + options.length) % options.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = options.length - 1;
        break;
      default:
        return;
    }
    event.preventDefault();
    buttons.current[next]?.focus();
    setValue(options[next]!.value);
  };

  return (
    <div
      ref={ref}
      role="radiogroup"
      aria-label={rest['aria-label'] ?? (rest['aria-labelledby'] === undefined ? 'Time window' : undefined)}
      aria-disabled={disabled || undefined}
      data-disabled={disabled ? '' : undefined}
      className={cx('sb-segmented', className)}
      onKeyDown={move}
      {...rest}
    >
      {options.map((option, i) => {
        const checked = option.value === value;
        return (
          <button
            key={option.value}
            ref={(element) => {
              buttons.current[i] = element;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            data-state={checked ? 'checked' : 'unchecked'}
            tabIndex={i === focusable ? 0 : -1}
            disabled={disabled}
            className="sb-segmented__item"
            onClick={() => setValue(option.value)}
          >
            {option.label}
          </button>
        );
      })}
    </div>
  );
});
