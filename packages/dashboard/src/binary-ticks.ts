import type { Unit } from './format';

/** Units shown in powers of 1024 (KiB, MiB/s…), whose axis needs ticks that are round in those units. */
export function isBinaryUnit(unit: Unit | undefined): boolean {
  return unit === 'bytes' || unit === 'Bps';
}

const STEPS = [1, 2, 2.5, 5, 10];

/**
 * About `count` evenly spaced ticks covering `min`–`max` that read as round numbers once scaled by a
 * power of 1024: 0, 20, 40, 60, 80 KiB rather than the 0, 24.4, 48.8, 73.2, 97.7 KiB that round decimal
 * ticks become. The first and last tick bound the axis. Undefined when the range is not finite.
 */
export function binaryTicks(min: number, max: number, count = 5): number[] | undefined {
  if (!Number.isFinite(min) || !Number.isFinite(max) || count < 2) return undefined;
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  const largest = Math.max(Math.abs(lo), Math.abs(hi));
  const scale = largest < 1024 ? 1 : 1024 ** Math.floor(Math.log(largest) / Math.log(1024));
  lo /= scale;
  hi /= scale;
  // A flat line (or one flat to within rounding) still gets an axis: one unit above it.
  if (hi - lo < Math.max(Math.abs(hi), 1) * 1e-9) hi = lo + 1;
  const raw = (hi - lo) / (count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = (STEPS.find((s) => s * magnitude >= raw) ?? 10) * magnitude;
  const first = Math.floor(lo / step) * step;
  const last = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's precision: 0.1 + 0.2 must not print as 0.30000000000000004 KiB.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let v = first; v <= last + step / 2; v += step) ticks.push(Number(v.toFixed(digits)) * scale);
  return ticks;
}
