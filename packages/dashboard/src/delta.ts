/** Which way is good: for throughput up is good, for latency down is. */
export type DeltaPolarity = 'higher-is-better' | 'lower-is-better' | 'neutral';

export interface Delta {
  /** `current − reference`. */
  readonly change: number;
  /** Change relative to `|reference|` in percent; undefined when the reference is 0. */
  readonly percent: number | undefined;
  readonly direction: 'up' | 'down' | 'flat';
  /** Good, bad or neither, by `polarity`. */
  readonly tone: 'positive' | 'negative' | 'neutral';
}

/**
 * The change from `reference` to `current`, or undefined when either is missing. Changes smaller than
 * a millionth of the reference count as flat, so float noise does not flip the badge.
 */
export function computeDelta(
  current: number | null | undefined,
  reference: number | null | undefined,
  polarity: DeltaPolarity = 'higher-is-better',
): Delta | undefined {
  if (typeof current !== 'number' || typeof reference !== 'number') return undefined;
  if (!Number.isFinite(current) || !Number.isFinite(reference)) return undefined;
  const change = current - reference;
  const epsilon = Math.max(Math.abs(reference), Math.abs(current)) * 1e-6;
  const direction = Math.abs(change) <= epsilon ? 'flat' : change > 0 ? 'up' : 'down';
  const percent = reference === 0 ? undefined : (change / Math.abs(reference)) * 100;
  const tone =
    direction === 'flat' || polarity === 'neutral'
      ? 'neutral'
      : (direction === 'up') === (polarity === 'higher-is-better')
        ? 'positive'
        : 'negative';
  return { change: direction === 'flat' ? 0 : change, percent: direction === 'flat' ? 0 : percent, direction, tone };
}
