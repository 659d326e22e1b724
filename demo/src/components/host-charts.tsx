import type { ReactElement } from 'react';
import { Gauge, LiveTimeSeries } from '@socketboard/dashboard';
import type { GaugeProps, LiveTimeSeriesProps, Thresholds, TimeWindowOption } from '@socketboard/dashboard';
import { useChannel } from '@socketboard/react';
import type { SystemSample } from '../../shared/channels';
import { CPU_PERCENT, MEMORY_PERCENT } from './system-values';
import { Card } from './card';

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

/** What sets one host chart apart; the channel, time window and pause are the same for all. */
export type HostChartSpec = Omit<
  LiveTimeSeriesProps<SystemSample>,
  'channel' | 'windowMs' | 'onWindowChange' | 'windowOptions' | 'paused' | 'onPausedChange' | 'showControls'
>;

const PERCENT_AXIS = { unit: 'percent', decimals: 0, min: 0, max: 100 } satisfies HostChartSpec;

export const HOST_CHARTS = {
  cpu: {
    title: 'CPU',
    description: 'All cores, stacked: user and system time',
    select: (s) => ({ time: s.time, user: s.cpu.user, system: s.cpu.system }),
    categories: ['user', 'system'],
    type: 'area',
    stacked: true,
    ...PERCENT_AXIS,
    height: 320,
    thresholds: CPU_LINE,
  },
  memory: {
    title: 'Memory',
    description: "Used (total minus available) and the demo server's RSS",
    select: (s) => ({ time: s.time, used: s.memory.used, 'server RSS': s.memory.rss }),
    categories: ['used', 'server RSS'],
    type: 'area',
    unit: 'bytes',
    min: 0,
  },
  network: {
    title: 'Network',
    description: "Bytes per second; loopback carries this page's socket",
    select: (s) => (s.net === null ? undefined : { time: s.time, in: s.net.rx, out: s.net.tx, loopback: s.net.loRx }),
    categories: ['in', 'out', 'loopback'],
    unit: 'Bps',
    min: 0,
    noDataText: 'No network rates: they need /proc/net/dev (Linux)',
  },
  eventLoop: {
    title: 'Event-loop delay',
    description: "How late the demo server's timers ran (perf_hooks)",
    select: (s) => ({ time: s.time, p99: s.loop.p99, mean: s.loop.mean }),
    categories: ['p99', 'mean'],
    unit: 'ms',
    min: 0,
  },
} satisfies Record<string, HostChartSpec>;

export interface HostChartProps {
  chart: HostChartSpec;
  /** Every host chart shares one time window and one pause, set in the section header. */
  controls: ChartControls;
  className?: string;
  'data-testid'?: string;
}

/** A chart of the `system` channel, 200 px high unless the spec says otherwise. */
export function HostChart({ chart, controls, ...rest }: HostChartProps): ReactElement {
  return (
    <LiveTimeSeries
      height={200}
      {...chart}
      {...rest}
      channel="system"
      // Start filled: the server replays the samples it still holds (5 minutes) before live ones.
      since={0}
      windowMs={controls.windowMs}
      onWindowChange={controls.onWindowChange}
      windowOptions={WINDOWS}
      paused={controls.paused}
      onPausedChange={controls.onPausedChange}
      showControls={false}
    />
  );
}

/** One line per core; the core count comes with the first sample (the chart's series are fixed from then on). */
export function CoresChart(props: Omit<HostChartProps, 'chart'>): ReactElement {
  const cores = useChannel('system', { select: (state) => state.data?.cpu.cores.length ?? 0 });
  const categories = Array.from({ length: cores }, (_, i) => `core ${i}`);
  return (
    <HostChart
      key={cores}
      {...props}
      chart={{
        title: 'CPU per core',
        description: cores > 0 ? `${cores} cores, busy share of each` : 'Busy share of each core',
        select: (s) => {
          const row: Record<string, number> = { time: s.time };
          s.cpu.cores.forEach((value, i) => (row[`core ${i}`] = value));
          return row;
        },
        categories: categories.length > 0 ? categories : ['core 0'],
        showLegend: cores > 1 && cores <= 16,
        ...PERCENT_AXIS,
      }}
    />
  );
}

const GAUGES: readonly (GaugeProps<SystemSample> & { title: string })[] = [
  CPU_PERCENT,
  MEMORY_PERCENT,
  {
    title: 'Load per core',
    select: (s) => s.load[0] / Math.max(1, s.cpu.cores.length),
    min: 0,
    max: 2,
    decimals: 2,
    thresholds: LOAD_THRESHOLDS,
  },
];

/** Right now, at a glance. */
export function GaugesCard({ className }: { className?: string }): ReactElement {
  return (
    <Card title="Right now" description="Newest sample" className={`demo-gauges ${className ?? ''}`}>
      <div className="demo-gauges__row">
        {GAUGES.map((gauge) => (
          <Gauge key={gauge.title} channel="system" size={112} {...gauge} />
        ))}
      </div>
    </Card>
  );
}
