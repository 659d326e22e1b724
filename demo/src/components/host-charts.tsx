import type { ReactElement } from 'react';
import { Gauge, LiveTimeSeries } from '@socketboard/dashboard';
import type { Thresholds, TimeWindowOption } from '@socketboard/dashboard';
import { useChannel } from '@socketboard/react';
import type { SystemSample } from '../../shared/channels';
import { PERCENT_THRESHOLDS } from './kpi-cards';

/** The charts start on one minute, so a freshly opened page fills up quickly. */
export const WINDOWS: readonly TimeWindowOption[] = [
  { value: 60_000, label: '1 min' },
  { value: 5 * 60_000, label: '5 min' },
  { value: 15 * 60_000, label: '15 min' },
];
export const DEFAULT_WINDOW_MS = 60_000;

const CPU_LINE: Thresholds = { mode: 'absolute', steps: [{ value: 80, color: 'warning', label: 'high' }] };

const LOAD_THRESHOLDS: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: 0.7, color: 'warning', label: 'busy' },
    { value: 1, color: 'danger', label: 'overloaded' },
  ],
};

export interface ChartControls {
  windowMs: number;
  onWindowChange: (windowMs: number) => void;
  paused: boolean;
  onPausedChange: (paused: boolean) => void;
}

export interface ChartProps {
  controls: ChartControls;
  className?: string;
}

/** Every host chart shares one time window and one pause, set in the section header. */
function shared(controls: ChartControls) {
  return {
    windowMs: controls.windowMs,
    onWindowChange: controls.onWindowChange,
    windowOptions: WINDOWS,
    paused: controls.paused,
    onPausedChange: controls.onPausedChange,
    showControls: false,
  };
}

export function CpuChart({ controls, className }: ChartProps): ReactElement {
  return (
    <LiveTimeSeries
      {...shared(controls)}
      className={className}
      data-testid="cpu-chart"
      title="CPU"
      description="All cores, stacked: user and system time"
      channel="system"
      select={(s: SystemSample) => ({ time: s.time, user: s.cpu.user, system: s.cpu.system })}
      categories={['user', 'system']}
      type="area"
      stacked
      unit="percent"
      decimals={0}
      min={0}
      max={100}
      height={320}
      thresholds={CPU_LINE}
    />
  );
}

/** One line per core; the core count comes with the first sample (the chart's series are fixed from then on). */
export function CoresChart({ controls, className }: ChartProps): ReactElement {
  const cores = useChannel('system', { select: (state) => state.data?.cpu.cores.length ?? 0 });
  const categories = Array.from({ length: cores }, (_, i) => `core ${i}`);
  return (
    <LiveTimeSeries
      key={cores}
      {...shared(controls)}
      className={className}
      title="CPU per core"
      description={cores > 0 ? `${cores} cores, busy share of each` : 'Busy share of each core'}
      channel="system"
      select={(s: SystemSample) => {
        const row: Record<string, number> = { time: s.time };
        s.cpu.cores.forEach((value, i) => (row[`core ${i}`] = value));
        return row;
      }}
      categories={categories.length > 0 ? categories : ['core 0']}
      showLegend={cores > 1 && cores <= 16}
      unit="percent"
      decimals={0}
      min={0}
      max={100}
      height={200}
    />
  );
}

export function MemoryChart({ controls, className }: ChartProps): ReactElement {
  return (
    <LiveTimeSeries
      {...shared(controls)}
      className={className}
      title="Memory"
      description="Used (total minus available) and the demo server's RSS"
      channel="system"
      select={(s: SystemSample) => ({ time: s.time, used: s.memory.used, 'server RSS': s.memory.rss })}
      categories={['used', 'server RSS']}
      type="area"
      unit="bytes"
      min={0}
      height={200}
    />
  );
}

export function NetworkChart({ controls, className }: ChartProps): ReactElement {
  return (
    <LiveTimeSeries
      {...shared(controls)}
      className={className}
      title="Network"
      description="Bytes per second; loopback carries this page's socket"
      channel="system"
      select={(s: SystemSample) =>
        s.net === null ? undefined : { time: s.time, in: s.net.rx, out: s.net.tx, loopback: s.net.loRx }
      }
      categories={['in', 'out', 'loopback']}
      unit="Bps"
      min={0}
      height={200}
      noDataText="No network rates: they need /proc/net/dev (Linux)"
    />
  );
}

export function EventLoopChart({ controls, className }: ChartProps): ReactElement {
  return (
    <LiveTimeSeries
      {...shared(controls)}
      className={className}
      title="Event-loop delay"
      description="How late the demo server's timers ran (perf_hooks)"
      channel="system"
      select={(s: SystemSample) => ({ time: s.time, p99: s.loop.p99, mean: s.loop.mean })}
      categories={['p99', 'mean']}
      unit="ms"
      min={0}
      height={200}
    />
  );
}

/** Right now, at a glance. */
export function GaugesCard({ className }: { className?: string }): ReactElement {
  return (
    <section className={`sb-card demo-gauges ${className ?? ''}`} aria-label="Right now">
      <div className="sb-card__header">
        <div className="sb-card__heading">
          <div className="sb-card__title">Right now</div>
          <div className="sb-card__description">Newest sample</div>
        </div>
      </div>
      <div className="demo-gauges__row">
        <Gauge
          title="CPU"
          channel="system"
          select={(s: SystemSample) => s.cpu.total}
          unit="percent"
          decimals={0}
          thresholds={PERCENT_THRESHOLDS}
          size={112}
        />
        <Gauge
          title="Memory"
          channel="system"
          select={(s: SystemSample) => s.memory.percent}
          unit="percent"
          decimals={0}
          thresholds={PERCENT_THRESHOLDS}
          size={112}
        />
        <Gauge
          title="Load per core"
          channel="system"
          select={(s: SystemSample) => s.load[0] / Math.max(1, s.cpu.cores.length)}
          min={0}
          max={2}
          decimals={2}
          thresholds={LOAD_THRESHOLDS}
          size={112}
        />
      </div>
    </section>
  );
}
