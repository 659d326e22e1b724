import { arraySource, minMaxIndices } from './downsample';

export interface SparklineGeometry {
  /** SVG path of the line; segments break at gaps (`NaN`). Empty when there is nothing to draw. */
  readonly line: string;
  /** The line closed down to the baseline, for a fill. */
  readonly area: string;
  /** Where the newest point sits, for an end dot. */
  readonly end: { readonly x: number; readonly y: number } | undefined;
}

export interface SparklineScale {
  width: number;
  height: number;
  /** Inset so a stroke and an end dot are not clipped. */
  padding: number;
  /** y bounds; default the data's min and max. */
  min?: number | undefined;
  max?: number | undefined;
  /** x bounds; default the first and last x. */
  xMin?: number | undefined;
  xMax?: number | undefined;
}

const round = (v: number) => Math.round(v * 100) / 100;

/**
 * Lays out a sparkline: downsampled to about one point per pixel (min/max, so spikes survive), scaled to
 * the box, with gaps left open. A flat series sits in the middle.
 */
export function sparklineGeometry(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  scale: SparklineScale,
): SparklineGeometry {
  const n = Math.min(xs.length, ys.length);
  const { width, height, padding } = scale;
  const picks = n > width ? minMaxIndices(arraySource(xs, ys), Math.max(2, Math.floor(width))) : undefined;
  const count = picks?.length ?? n;
  const at = (k: number) => (picks === undefined ? k : picks[k]!);
  let lo = scale.min ?? Infinity;
  let hi = scale.max ?? -Infinity;
  if (scale.min === undefined || scale.max === undefined) {
    for (let k = 0; k < count; k++) {
      const y = ys[at(k)]!;
      if (Number.isNaN(y)) continue;
      if (scale.min === undefined && y < lo) lo = y;
      if (scale.max === undefined && y > hi) hi = y;
    }
  }
  if (count === 0 || lo === Infinity || hi === -Infinity) return { line: '', area: '', end: undefined };
  const x0 = scale.xMin ?? xs[at(0)]!;
  const x1 = scale.xMax ?? xs[at(count - 1)]!;
  const innerW = Math.max(0, width - 2 * padding);
  const innerH = Math.max(0, height - 2 * padding);
  const sx = (x: number) => padding + (x1 > x0 ? ((x - x0) / (x1 - x0)) * innerW : innerW);
  const sy = (y: number) =>
    padding + (hi > lo ? (1 - (Math.min(hi, Math.max(lo, y)) - lo) / (hi - lo)) * innerH : innerH / 2);
  const baseline = round(padding + innerH);
  let line = '';
  let area = '';
  let segmentStart: number | undefined;
  let prevX = 0;
  let end: { x: number; y: number } | undefined;
  for (let k = 0; k < count; k++) {
    const i = at(k);
    const y = ys[i]!;
    if (Number.isNaN(y)) {
      if (segmentStart !== undefined) area += `L${prevX},${baseline}L${segmentStart},${baseline}Z`;
      segmentStart = undefined;
      continue;
    }
    const px = round(sx(xs[i]!));
    const py = round(sy(y));
    if (segmentStart === undefined) {
      line += `M${px},${py}`;
      area += `M${px},${py}`;
      segmentStart = px;
    } else {
      line += `L${px},${py}`;
      area += `L${px},${py}`;
    }
    prevX = px;
    end = { x: px, y: py };
  }
  if (segmentStart !== undefined) area += `L${prevX},${baseline}L${segmentStart},${baseline}Z`;
  return { line, area, end };
}
