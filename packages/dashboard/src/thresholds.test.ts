import { describe, expect, it } from 'vitest';
import { activeStep, resolveSteps, thresholdColor } from './thresholds';
import type { Thresholds } from './thresholds';

const absolute: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: null, color: 'success' },
    { value: 80, color: 'danger', label: 'critical' },
    { value: 60, color: 'warning' },
  ],
};

describe('thresholds', () => {
  it('gives a value the highest step it reached, whatever order the steps were written in', () => {
    expect(activeStep(10, absolute)?.color).toBe('success');
    expect(activeStep(60, absolute)?.color).toBe('warning');
    expect(activeStep(95, absolute)?.label).toBe('critical');
    expect(activeStep(undefined, absolute)).toBeUndefined();
  });

  it('places percentage steps within min and max, and drops them without a range', () => {
    const pct: Thresholds = {
      mode: 'percentage',
      steps: [
        { value: null, color: 'info' },
        { value: 50, color: 'danger' },
      ],
    };
    expect(resolveSteps(pct, 100, 300).map((s) => s.from)).toEqual([-Infinity, 200]);
    expect(activeStep(250, pct, 100, 300)?.color).toBe('danger');
    expect(resolveSteps(pct).map((s) => s.from)).toEqual([-Infinity]);
  });

  it('maps semantic colours to theme variables and passes CSS colours through', () => {
    expect(thresholdColor('danger')).toBe('var(--sb-color-danger)');
    expect(thresholdColor('#ff00aa')).toBe('#ff00aa');
  });
});
