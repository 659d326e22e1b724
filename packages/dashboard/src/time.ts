/** A time as ms: numbers as they are, `Date`s and date strings converted; anything else is `NaN`. */
export function toTime(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') return Date.parse(value);
  return NaN;
}
