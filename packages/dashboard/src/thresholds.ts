/**
 * A threshold colour: one of the theme's status colours (follows light/dark) or any CSS colour.
 */
export type ThresholdColor = 'success' | 'warning' | 'danger' | 'info' | 'neutral' | (string & {});

export interface ThresholdStep {
  /** Where the step starts; `null` (or `-Infinity`) for the base step below every other. */
  readonly value: number | null;
  readonly color: ThresholdColor;
  /** Name of the step, shown in `data-threshold` and to screen readers. Default: the colour. */
  readonly label?: string;
}

/**
 * Thresholds after Grafana's: a value takes the colour of the highest step it reached. `percentage`
 * steps are relative to the component's `min`…`max`.
 */
export interface Thresholds {
  readonly mode: 'absolute' | 'percentage';
  readonly steps: readonly ThresholdStep[];
}

/** A threshold step with its absolute start. */
export interface ResolvedStep extends ThresholdStep {
  /** Absolute start, `-Infinity` for the base step. */
  readonly from: number;
  /** Absolute end (the next step's start), `Infinity` for the top step. */
  readonly to: number;
  readonly index: number;
}

const SEMANTIC = new Set(['success', 'warning', 'danger', 'info', 'neutral']);

/** The CSS colour of a threshold colour: semantic names map to the theme's `--sb-color-*` variables. */
export function thresholdColor(color: ThresholdColor): string {
  return SEMANTIC.has(color) ? `var(--sb-color-${color})` : color;
}

/** The name a step goes by in `data-threshold` and in announcements. */
export function stepLabel(step: ThresholdStep): string {
  return step.label ?? step.color;
}

/**
 * Steps sorted by absolute start, each with its range. Percentage steps need a finite `min` < `max`;
 * without one they cannot be placed and are left out.
 */
export function resolveSteps(thresholds: Thresholds | undefined, min?: number, max?: number): ResolvedStep[] {
  if (thresholds === undefined || thresholds.steps.length === 0) return [];
  const percentage = thresholds.mode === 'percentage';
  const rangeOk = min !== undefined && max !== undefined && Number.isFinite(min) && Number.isFinite(max) && max > min;
  const placed: { step: ThresholdStep; from: number }[] = [];
  for (const step of thresholds.steps) {
    const raw = step.value ?? -Infinity;
    if (raw === -Infinity) {
      placed.push({ step, from: -Infinity });
      continue;
    }
    if (Number.isNaN(raw)) continue;
    if (percentage) {
      if (!rangeOk) continue;
      placed.push({ step, from: min + ((max - min) * raw) / 100 });
    } else {
      placed.push({ step, from: raw });
    }
  }
  // Stable sort keeps author order among equal starts; the later one wins, as in Grafana.
  placed.sort((a, b) => a.from - b.from);
  return placed.map((p, i) => ({
    ...p.step,
    from: p.from,
    to: placed[i + 1]?.from ?? Infinity,
    index: i,
  }));
}

/** The step `value` falls in (the highest whose start it reached), or undefined when below all or no value. */
export function activeStep(
  value: number | null | undefined,
  thresholds: Thresholds | undefined,
  min?: number,
  max?: number,
): ResolvedStep | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  const steps = resolveSteps(thresholds, min, max);
  let active: ResolvedStep | undefined;
  for (const step of steps) if (value >= step.from) active = step;
  return active;
}
