import { forwardRef } from 'react';
import type { HTMLAttributes } from 'react';
import { cx } from '../cx';
import type { Delta } from '../delta';
import { formatValue } from '../format';
import type { FormatOptions } from '../format';
import { ArrowIcon } from './icons';

export interface DeltaBadgeProps extends Omit<HTMLAttributes<HTMLSpanElement>, 'children'> {
  delta: Delta;
  /** `percent` (default; falls back to absolute when the reference is 0) or `absolute` in the value's unit. */
  mode?: 'percent' | 'absolute';
  /** Formatting of an absolute change. */
  format?: FormatOptions;
}

/** "▲ 12.5%" coloured by whether the change is good (`data-tone`), with words for screen readers. */
export const DeltaBadge = forwardRef<HTMLSpanElement, DeltaBadgeProps>(function DeltaBadge(
  { delta, mode = 'percent', format, className, ...rest },
  ref,
) {
  const sign = delta.direction === 'up' ? '+' : delta.direction === 'down' ? '−' : '±';
  const text =
    mode === 'percent' && delta.percent !== undefined
      ? `${sign}${formatValue(Math.abs(delta.percent), { decimals: Math.abs(delta.percent) >= 10 ? 0 : 1, locale: format?.locale })}%`
      : `${sign}${formatValue(Math.abs(delta.change), format)}`;
  const words =
    delta.direction === 'flat' ? 'unchanged' : `${delta.direction === 'up' ? 'up' : 'down'} ${text.slice(1)}`;
  return (
    <span
      ref={ref}
      className={cx('sb-delta', className)}
      data-direction={delta.direction}
      data-tone={delta.tone}
      {...rest}
    >
      <ArrowIcon direction={delta.direction} />
      <span aria-hidden="true">{text}</span>
      <span className="sb-visually-hidden">{words}</span>
    </span>
  );
});
