import type { ReactElement } from 'react';
import { formatValue, MetricCard } from '@socketboard/dashboard';
import type { Thresholds } from '@socketboard/dashboard';
import type { SystemSample } from '../../shared/channels';
import { SystemText } from './live-text';

// No base step: a normal value keeps the theme's text colour; only "high" and above are coloured.
export const PERCENT_THRESHOLDS: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: 80, color: 'warning', label: 'high' },
    { value: 95, color: 'danger', label: 'critical' },
  ],
};

const LOOP_THRESHOLDS: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: 50, color: 'warning', label: 'slow' },
    { value: 200, color: 'danger', label: 'blocked' },
  ],
};

const bytes = (value: number) => formatValue(value, { unit: 'bytes', decimals: 1 });
const rate = (value: number) => formatValue(value, { unit: 'Bps' });

/** The headline numbers: each card subscribes to `system` and keeps a minute of history for its sparkline. */
export function KpiCards(): ReactElement {
  return (
    <div className="demo-kpis">
      <MetricCard
        title="CPU"
        channel="system"
        select={(s: SystemSample) => s.cpu.total}
        unit="percent"
        decimals={0}
        thresholds={PERCENT_THRESHOLDS}
        deltaPolarity="lower-is-better"
        showDelta={false}
        footer={<SystemText render={(s) => `user ${s.cpu.user.toFixed(0)} % · system ${s.cpu.system.toFixed(0)} %`} />}
      />
      <MetricCard
        title="Memory"
        channel="system"
        select={(s: SystemSample) => s.memory.percent}
        unit="percent"
        decimals={0}
        thresholds={PERCENT_THRESHOLDS}
        showDelta={false}
        footer={<SystemText render={(s) => `${bytes(s.memory.used)} of ${bytes(s.memory.total)}`} />}
      />
      <MetricCard
        title="Load (1 min)"
        channel="system"
        select={(s: SystemSample) => s.load[0]}
        decimals={2}
        showDelta={false}
        footer={<SystemText render={(s) => `5 min ${s.load[1].toFixed(2)} · 15 min ${s.load[2].toFixed(2)}`} />}
      />
      <MetricCard
        title="Event-loop delay p99"
        channel="system"
        select={(s: SystemSample) => s.loop.p99}
        unit="ms"
        decimals={1}
        thresholds={LOOP_THRESHOLDS}
        showDelta={false}
        footer={<SystemText render={(s) => `mean ${s.loop.mean.toFixed(1)} · max ${s.loop.max.toFixed(1)} ms`} />}
      />
      <MetricCard
        title="Network in"
        channel="system"
        select={(s: SystemSample) => s.net?.rx}
        unit="Bps"
        showDelta={false}
        noValue="n/a"
        footer={
          <SystemText render={(s) => (s.net === null ? 'needs /proc/net/dev' : `loopback ${rate(s.net.loRx)}`)} />
        }
      />
      <MetricCard
        title="Network out"
        channel="system"
        select={(s: SystemSample) => s.net?.tx}
        unit="Bps"
        showDelta={false}
        noValue="n/a"
        footer={
          <SystemText render={(s) => (s.net === null ? 'needs /proc/net/dev' : `loopback ${rate(s.net.loTx)}`)} />
        }
      />
    </div>
  );
}
