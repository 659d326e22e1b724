import type { ReactElement } from 'react';

export interface LegendItem {
  readonly name: string;
  readonly color: string;
  /** Formatted latest value, if shown. */
  readonly value?: string | undefined;
}

/** An HTML legend under a chart: swatch, series name and (optionally) its latest value. */
export function Legend({ items }: { items: readonly LegendItem[] }): ReactElement {
  return (
    <ul className="sb-legend">
      {items.map((item) => (
        <li key={item.name} className="sb-legend__item">
          <span className="sb-swatch" style={{ background: item.color }} aria-hidden="true" />
          <span className="sb-legend__name">{item.name}</span>
          {item.value !== undefined && <span className="sb-legend__value">{item.value}</span>}
        </li>
      ))}
    </ul>
  );
}
