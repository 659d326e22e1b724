const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Tick spacings a reader finds natural, smallest first. */
const STEPS = [
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];

/**
 * Round clock times between `from` and `to` (ms), at most `maxTicks` of them, on the smallest
 * natural spacing that fits (1 s, 5 s, 15 s, 1 min…). Stable while the window slides: a tick stays
 * at the same time until it leaves, so axis labels do not jitter on a live chart.
 */
export function timeTicks(from: number, to: number, maxTicks: number): number[] {
  const span = to - from;
  const count = Math.max(1, Math.floor(maxTicks));
  if (!(span > 0) || !Number.isFinite(span)) return [];
  let step = STEPS.find((s) => span / s <= count);
  if (step === undefined) step = Math.ceil(span / count / (24 * HOUR)) * 24 * HOUR;
  // Align to the local clock so that minute and hour ticks fall on :00 in every time zone.
  const offset = new Date(from).getTimezoneOffset() * MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil((from - offset) / step) * step + offset; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** Whether tick labels need seconds: only when ticks are less than a minute apart. */
export function ticksNeedSeconds(ticks: readonly number[]): boolean {
  return ticks.length < 2 || ticks[1]! - ticks[0]! < MINUTE;
}
