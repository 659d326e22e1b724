/** Gauge sweep: from 120° left of twelve o'clock to 120° right, like a speedometer. */
export const GAUGE_START_DEG = -120;
export const GAUGE_END_DEG = 120;

/** Where `value` sits on the sweep, clamped to `[min, max]` (degrees from twelve o'clock, clockwise). */
export function valueToAngle(value: number, min: number, max: number): number {
  if (!(max > min)) return GAUGE_START_DEG;
  const t = Math.min(1, Math.max(0, (value - min) / (max - min)));
  return GAUGE_START_DEG + t * (GAUGE_END_DEG - GAUGE_START_DEG);
}

function point(cx: number, cy: number, r: number, deg: number): [number, number] {
  const rad = (deg * Math.PI) / 180;
  return [Math.round((cx + r * Math.sin(rad)) * 1000) / 1000, Math.round((cy - r * Math.cos(rad)) * 1000) / 1000];
}

/** SVG path of the arc of radius `r` around (`cx`, `cy`) from `fromDeg` to `toDeg`; empty when it has no length. */
export function arcPath(cx: number, cy: number, r: number, fromDeg: number, toDeg: number): string {
  if (!(toDeg > fromDeg)) return '';
  const [x0, y0] = point(cx, cy, r, fromDeg);
  const [x1, y1] = point(cx, cy, r, toDeg);
  const large = toDeg - fromDeg > 180 ? 1 : 0;
  return `M${x0},${y0}A${r},${r} 0 ${large} 1 ${x1},${y1}`;
}
