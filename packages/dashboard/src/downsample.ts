/**
 * A read-only view of a time series with one or more value columns, sorted by x. Implemented by
 * {@link SeriesBuffer} ranges and by plain arrays ({@link arraySource}), so the downsamplers copy nothing.
 */
export interface DownsampleSource {
  /** Number of points. */
  readonly length: number;
  /** Number of value columns. */
  readonly seriesCount: number;
  /** x of point `i` (time in ms); non-decreasing in `i`. */
  x(i: number): number;
  /** y of point `i` in column `s`; `NaN` for a gap. */
  y(i: number, s: number): number;
}

/** `minmax`: first, last, min and max of each pixel bucket (keeps spikes). `lttb`: Largest-Triangle-Three-Buckets (keeps shape). */
export type DownsampleMethod = 'minmax' | 'lttb' | 'none';

/** A source over plain arrays: `xs[i]` and `ys[s][i]`. */
export function arraySource(xs: ArrayLike<number>, ...ys: ArrayLike<number>[]): DownsampleSource {
  return {
    length: xs.length,
    seriesCount: ys.length,
    x: (i) => xs[i]!,
    y: (i, s) => ys[s]?.[i] ?? NaN,
  };
}

/**
 * The bucket (0 … `buckets - 1`) that x falls in when `[x0, x0 + span]` is cut into `buckets` equal
 * time slices. Exported because it defines which points {@link minMaxIndices} must keep.
 */
export function timeBucket(x: number, x0: number, span: number, buckets: number): number {
  if (!(span > 0)) return 0;
  const b = Math.floor(((x - x0) / span) * buckets);
  return b < 0 ? 0 : b >= buckets ? buckets - 1 : b;
}

/** Most points {@link minMaxIndices} emits per bucket: first, last, and a min and a max per column. */
export function pointsPerBucket(seriesCount: number): number {
  return 2 + 2 * seriesCount;
}

/**
 * Indices (ascending, unique) of the points to draw so that at most about `maxPoints` remain: the time
 * range is cut into `⌊maxPoints / (2 + 2·series)⌋` equal buckets (at least one) and each bucket keeps
 * its first and last point and, per column, its minimum and maximum (first occurrence; `NaN` ignored).
 * Spikes survive, which is what a monitoring chart must never hide.
 *
 * Output length ≤ `max(maxPoints, 2 + 2·series)`; when the source already fits, every index is returned.
 */
export function minMaxIndices(source: DownsampleSource, maxPoints: number): number[] {
  const n = source.length;
  if (n <= Math.max(0, Math.floor(maxPoints))) return rangeIndices(n);
  const series = source.seriesCount;
  const buckets = Math.max(1, Math.floor(maxPoints / pointsPerBucket(series)));
  const x0 = source.x(0);
  const span = source.x(n - 1) - x0;
  const out: number[] = [];
  const picked: number[] = [];
  let start = 0;
  while (start < n) {
    const bucket = timeBucket(source.x(start), x0, span, buckets);
    let end = start + 1;
    while (end < n && timeBucket(source.x(end), x0, span, buckets) === bucket) end++;
    picked.length = 0;
    picked.push(start, end - 1);
    for (let s = 0; s < series; s++) {
      let minI = -1;
      let maxI = -1;
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = source.y(i, s);
        if (v < min) {
          min = v;
          minI = i;
        }
        if (v > max) {
          max = v;
          maxI = i;
        }
      }
      if (minI >= 0) picked.push(minI);
      if (maxI >= 0) picked.push(maxI);
    }
    picked.sort(ascending);
    for (let k = 0; k < picked.length; k++) if (k === 0 || picked[k] !== picked[k - 1]) out.push(picked[k]!);
    start = end;
  }
  return out;
}

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013) on column `series`: keeps the first and last
 * point and, per bucket, the point forming the largest triangle with its neighbours. Output length
 * ≤ `max(maxPoints, 2)`. Gaps (`NaN`) count as 0 area so they are never preferred.
 */
export function lttbIndices(source: DownsampleSource, maxPoints: number, series = 0): number[] {
  const n = source.length;
  const threshold = Math.floor(maxPoints);
  if (n <= threshold || n <= 2) return rangeIndices(n);
  if (threshold < 3) return [0, n - 1];
  const out: number[] = [0];
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let b = 0; b < threshold - 2; b++) {
    // Average of the next bucket: the third vertex of the triangle.
    const nextStart = Math.floor((b + 1) * every) + 1;
    const nextEnd = Math.min(Math.floor((b + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    let count = 0;
    for (let i = nextStart; i < nextEnd; i++) {
      const y = source.y(i, series);
      if (Number.isNaN(y)) continue;
      avgX += source.x(i);
      avgY += y;
      count++;
    }
    if (count > 0) {
      avgX /= count;
      avgY /= count;
    } else {
      avgX = source.x(Math.min(nextStart, n - 1));
      avgY = 0;
    }
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const ax = source.x(a);
    const ay = source.y(a, series) || 0;
    let best = start;
    let bestArea = -1;
    for (let i = start; i < end; i++) {
      const y = source.y(i, series);
      const area = Number.isNaN(y) ? 0 : Math.abs((ax - avgX) * (y - ay) - (ax - source.x(i)) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = i;
      }
    }
    out.push(best);
    a = best;
  }
  out.push(n - 1);
  return out;
}

/**
 * Indices to draw for `method`. LTTB over several columns runs once per column with an equal share
 * of `maxPoints` and merges the picks, so each line keeps its own shape.
 */
export function downsampleIndices(source: DownsampleSource, maxPoints: number, method: DownsampleMethod): number[] {
  if (method === 'none' || source.length <= maxPoints) return rangeIndices(source.length);
  if (method === 'minmax') return minMaxIndices(source, maxPoints);
  const series = Math.max(1, source.seriesCount);
  if (series === 1) return lttbIndices(source, maxPoints, 0);
  const share = Math.max(3, Math.floor(maxPoints / series));
  const merged = new Set<number>();
  for (let s = 0; s < series; s++) for (const i of lttbIndices(source, share, s)) merged.add(i);
  return [...merged].sort(ascending);
}

function rangeIndices(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function ascending(a: number, b: number): number {
  return a - b;
}
