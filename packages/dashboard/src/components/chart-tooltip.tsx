import type { ReactElement } from 'react';
import type { TooltipContentProps } from 'recharts';
import { formatTime } from '../format';

interface ChartTooltipProps extends Partial<TooltipContentProps<number, string>> {
  format: (value: number) => string;
  locale: string | undefined;
}

/** The hover card of every time chart: the time, then one row per series with its colour and value. */
export function ChartTooltip({ active, payload, label, format, locale }: ChartTooltipProps): ReactElement | null {
  if (active !== true || payload === undefined || payload.length === 0) return null;
  return (
    <div className="sb-tooltip">
      {typeof label === 'number' && <div className="sb-tooltip__time">{formatTime(label, { locale })}</div>}
      {payload.map((entry) => (
        <div className="sb-tooltip__row" key={String(entry.dataKey ?? entry.name)}>
          <span className="sb-swatch" style={{ background: entry.color ?? entry.stroke }} aria-hidden="true" />
          <span className="sb-tooltip__name">{String(entry.name ?? entry.dataKey)}</span>
          <span className="sb-tooltip__value">
            {typeof entry.value === 'number' ? format(entry.value) : format(NaN)}
          </span>
        </div>
      ))}
    </div>
  );
}
