import { thresholdColor } from './thresholds';

/** Number of series colours in the theme (`--sb-series-1` … `--sb-series-8`). */
export const SERIES_PALETTE_SIZE = 8;

/**
 * The colour of series number `i`: `colors[i]` when given (a CSS colour or a status name such as
 * `'danger'`), else the theme's palette, which cycles after eight.
 */
export function seriesColor(i: number, colors?: readonly string[]): string {
  const own = colors?.[i];
  if (own !== undefined) return thresholdColor(own);
  return `var(--sb-series-${(i % SERIES_PALETTE_SIZE) + 1})`;
}
