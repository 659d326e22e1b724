import type { ReactElement } from 'react';
import { formatValue, MetricCard } from '@socketboard/dashboard';
import type { MetricCardProps, Thresholds } from '@socketboard/dashboard';
import type { SystemSample } from '../../shared/channels';
import { SystemText } from './live-text';
import { CPU_PERCENT, MEMORY_PERCENT } from './system-values';

const LOOP_THRESHOLDS: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: 50, color: 'warning', label: 'slow' },
    { value: 200, color: 'danger', label: 'blocked' },
  ],
};

const bytes = (value: number) => formatValue(value, { unit: 'bytes', decimals: 1 });
const rate = (value: number) => formatValue(value, { unit: 'Bps' });
const NO_NET = 'needs /proc/net/dev';

interface Kpi extends Omit<MetricCardProps<SystemSample>, 'footer'> {
  title: string;
  /** The footer's text, from the newest sample. */
  line: (sample: SystemSample) => string;
}

const KPIS: readonly Kpi[] = [
  {
    ...CPU_PERCENT,
    deltaPolarity: 'lower-is-better',
    line: (s) => `user ${s.cpu.user.toFixed(0)} % · system ${s.cpu.system.toFixed(0)} %`,
  },
  { ...MEMORY_PERCENT, line: (s) => `${bytes(s.memory.used)} of ${bytes(s.memory.total)}` },
  {
    title: 'Load (1 min)',
    select: (s) => s.load[0],
    decimals: 2,
    line: (s) => `5 min ${s.load[1].toFixed(2)} · 15 min ${s.load[2].toFixed(2)}`,
  },
  {
    title: 'Event-loop delay p99',
    select: (s) => s.loop.p99,
    unit: 'ms',
    decimals: 1,
    thresholds: LOOP_THRESHOLDS,
    line: (s) => `mean ${s.loop.mean.toFixed(1)} · max ${s.loop.max.toFixed(1)} ms`,
  },
  {
    title: 'Network in',
    select: (s) => s.net?.rx,
    unit: 'Bps',
    noValue: 'n/a',
    line: (s) => (s.net === null ? NO_NET : `loopback ${rate(s.net.loRx)}`),
  },
  {
    title: 'Network out',
    select: (s) => s.net?.tx,
    unit: 'Bps',
    noValue: 'n/a',
    line: (s) => (s.net === null ? NO_NET : `loopback ${rate(s.net.loTx)}`),
  },
];

/** The headline numbers: each card subscribes to `system` and keeps a minute of history for its sparkline. */
export function KpiCards(): ReactElement {
  return (
    <div className="demo-kpis">
      {KPIS.map(({ line, ...card }) => (
        <MetricCard
          key={card.title}
          channel="system"
          showDelta={false}
          {...card}
          footer={<SystemText render={line} />}
        />
      ))}
    </div>
  );
}
