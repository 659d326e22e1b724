import { forwardRef, useMemo } from 'react';
import type { ForwardedRef, ReactElement } from 'react';
import type { MetricsSnapshot } from '@socketboard/core';
import { useConnectionMetrics } from '@socketboard/react';
import type { DataRow } from '../hooks/use-live-series';
import { LiveTimeSeries } from './live-time-series';
import type { LiveTimeSeriesProps } from './live-time-series';

type ChartBaseProps = Omit<LiveTimeSeriesProps, 'data' | 'channel' | 'select' | 'categories' | 'index'>;

export interface LatencyChartProps extends ChartBaseProps {
  /** Samples to draw (pure mode). Without them the chart reads the surrounding `<SocketProvider>`'s metrics. */
  samples?: readonly MetricsSnapshot[];
  /** Draw the p95 line next to the newest round trip. Default `true`. */
  showP95?: boolean;
}

export interface ThroughputChartProps extends ChartBaseProps {
  /** Samples to draw (pure mode). Without them the chart reads the surrounding `<SocketProvider>`'s metrics. */
  samples?: readonly MetricsSnapshot[];
  /** `messages` per second (default) or `bytes` per second. */
  metric?: 'messages' | 'bytes';
  /** Fixed y-axis width in px. Default 72: rate labels ("97.7 KiB/s") are wide. */
  yAxisWidth?: number;
}

const selectSamples = (m: { samples: readonly MetricsSnapshot[] }) => m.samples;
const LATENCY = ['RTT', 'p95'] as const;
const LATENCY_ONLY = ['RTT'] as const;
const THROUGHPUT = ['In', 'Out'] as const;

function latencyRows(samples: readonly MetricsSnapshot[]): DataRow[] {
  return samples.map((s) => ({ time: s.at, RTT: s.rttMs ?? null, p95: s.rttP95Ms ?? null }));
}

function throughputRows(samples: readonly MetricsSnapshot[], metric: 'messages' | 'bytes'): DataRow[] {
  return metric === 'bytes'
    ? samples.map((s) => ({ time: s.at, In: s.bytesInPerSec, Out: s.bytesOutPerSec }))
    : samples.map((s) => ({ time: s.at, In: s.messagesInPerSec, Out: s.messagesOutPerSec }));
}

function LatencyView({
  samples,
  showP95 = true,
  forwardedRef,
  ...props
}: LatencyChartProps & {
  samples: readonly MetricsSnapshot[];
  forwardedRef: ForwardedRef<HTMLDivElement>;
}): ReactElement {
  const data = useMemo(() => latencyRows(samples), [samples]);
  return (
    <LiveTimeSeries
      ref={forwardedRef}
      title="Round trip"
      unit="ms"
      showControls={false}
      noDataText="No round trips measured yet"
      {...props}
      data={data}
      categories={showP95 ? LATENCY : LATENCY_ONLY}
    />
  );
}

function ThroughputView({
  samples,
  metric = 'messages',
  forwardedRef,
  ...props
}: ThroughputChartProps & {
  samples: readonly MetricsSnapshot[];
  forwardedRef: ForwardedRef<HTMLDivElement>;
}): ReactElement {
  const data = useMemo(() => throughputRows(samples, metric), [samples, metric]);
  return (
    <LiveTimeSeries
      ref={forwardedRef}
      title={metric === 'bytes' ? 'Bytes per second' : 'Messages per second'}
      unit={metric === 'bytes' ? 'Bps' : 'msgps'}
      type="area"
      showControls={false}
      noDataText="No traffic yet"
      // Rate labels ("280 msg/s", "97.7 KiB/s") are wider than the default axis.
      yAxisWidth={72}
      {...props}
      data={data}
      categories={THROUGHPUT}
    />
  );
}

function ConnectedLatency(props: LatencyChartProps & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const samples = useConnectionMetrics(selectSamples);
  return <LatencyView {...props} samples={samples} />;
}

function ConnectedThroughput(props: ThroughputChartProps & { forwardedRef: ForwardedRef<HTMLDivElement> }) {
  const samples = useConnectionMetrics(selectSamples);
  return <ThroughputView {...props} samples={samples} />;
}

/**
 * Round-trip time (newest and p95) over the connection's metric samples: a {@link LiveTimeSeries} with
 * the same states, thresholds and pause. Reads the provider's metrics, or `samples` (pure mode).
 */
export const LatencyChart = forwardRef<HTMLDivElement, LatencyChartProps>(function LatencyChart(
  { samples, ...props },
  ref,
) {
  if (samples === undefined) return <ConnectedLatency {...props} forwardedRef={ref} />;
  return <LatencyView {...props} samples={samples} forwardedRef={ref} />;
});

/** Messages (or bytes) per second in and out, from the connection's metric samples. */
export const ThroughputChart = forwardRef<HTMLDivElement, ThroughputChartProps>(function ThroughputChart(
  { samples, ...props },
  ref,
) {
  if (samples === undefined) return <ConnectedThroughput {...props} forwardedRef={ref} />;
  return <ThroughputView {...props} samples={samples} forwardedRef={ref} />;
});
