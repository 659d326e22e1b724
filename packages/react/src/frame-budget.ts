import { SocketboardConfigError } from '@socketboard/core';

/**
 * Decides how many frames apart the frame scheduler flushes, from what its flushes cost: a page whose
 * renders take most of a frame flushes every 2nd, 3rd… frame, so the frames in between stay free
 * and the page keeps its frame rate (a flush frame that runs long still costs one frame, the others
 * do not). No framework, no clock: the scheduler measures and tells it.
 */
export interface FrameBudget {
  /** Frames from one flush to the next: `1` flushes every frame. */
  readonly spacing: number;
  /** Records what one flush cost (ms, from its start to the end of the work it triggered). */
  record(costMs: number): void;
}

export interface FrameBudgetOptions {
  /** Flush work per frame, ms, averaged over the frames a flush is spaced across. */
  readonly budgetMs: number;
  /** The widest spacing, in frames. */
  readonly maxSpacing: number;
}

/**
 * Flush work a 60 Hz frame (16.7 ms) may hold on average: about half, leaving the rest to the
 * browser's style, layout and paint of what the flush changed and to message handling.
 */
export const DEFAULT_FRAME_BUDGET_MS = 8;

/** At most 6 frames (100 ms at 60 Hz) between flushes, so data never looks frozen. */
export const DEFAULT_MAX_SPACING = 6;

/*
 * A moving average, not the last flush: one slow flush (a mount, a GC pause) must not space the
 * next ones. With this weight a flush cost that doubles the budget spaces flushes after 3 flushes,
 * one that just exceeds it after about 10 (a sixth of a second at 60 Hz).
 */
const WEIGHT = 0.2;
/*
 * Hysteresis: spacing narrows only once the average would fit one frame fewer with this margin, so
 * a cost near a threshold does not flip the spacing on every flush.
 */
const NARROW_MARGIN = 0.75;

/**
 * The spacing is the fewest frames over which one flush's average cost stays within `budgetMs` per
 * frame (`ceil(cost / budgetMs)`, at most `maxSpacing`), moved one frame at a time: wider as soon
 * as the average exceeds `spacing × budgetMs`, narrower once it is under `(spacing − 1) ×
 * budgetMs × 0.75`.
 */
export function createFrameBudget({ budgetMs, maxSpacing }: FrameBudgetOptions): FrameBudget {
  if (!(budgetMs > 0 && budgetMs < Infinity)) {
    throw new SocketboardConfigError(
      'frameBudgetMs',
      `expected a number of ms > 0 (default 8), or false to render every frame; got ${budgetMs}.`,
    );
  }
  if (!(Number.isInteger(maxSpacing) && maxSpacing >= 1)) {
    throw new SocketboardConfigError('maxSpacing', `expected a whole number of frames >= 1; got ${maxSpacing}.`);
  }
  // Starts at 0, not at the first sample: adapting needs several expensive flushes in a row.
  let average = 0;
  let spacing = 1;
  return {
    get spacing() {
      return spacing;
    },
    record(costMs) {
      if (!(costMs >= 0)) return;
      average += WEIGHT * (costMs - average);
      if (average > spacing * budgetMs && spacing < maxSpacing) spacing++;
      else if (spacing > 1 && average < (spacing - 1) * budgetMs * NARROW_MARGIN) spacing--;
    },
  };
}
