import type { GaugeProps, MetricCardProps, Thresholds } from '@socketboard/dashboard';
import type { SystemSample } from '../../shared/channels';

// No base step: a normal value keeps the theme's text colour; only "high" and above are coloured.
export const PERCENT_THRESHOLDS: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: 80, color: 'warning', label: 'high' },
    { value: 95, color: 'danger', label: 'critical' },
  ],
};

/** A number from each `system` sample, as both a card and a gauge show it. */
type SystemValue = Pick<
  MetricCardProps<SystemSample> & GaugeProps<SystemSample>,
  'select' | 'unit' | 'decimals' | 'thresholds'
> & {
  title: string;
};

export const CPU_PERCENT: SystemValue = {
  title: 'CPU',
  select: (s) => s.cpu.total,
  unit: 'percent',
  decimals: 0,
  thresholds: PERCENT_THRESHOLDS,
};

export const MEMORY_PERCENT: SystemValue = {
  title: 'Memory',
  select: (s) => s.memory.percent,
  unit: 'percent',
  decimals: 0,
  thresholds: PERCENT_THRESHOLDS,
};
