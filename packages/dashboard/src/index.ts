// Live metrics
export { LiveTimeSeries } from './components/live-time-series';
export type { LiveState, LiveTimeSeriesProps } from './components/live-time-series';
export type { CurveType, ThresholdsStyle } from './components/time-series-plot';
export { MetricCard } from './components/metric-card';
export type { MetricCardProps, ValueState } from './components/metric-card';
export { Sparkline } from './components/sparkline';
export type { SparklineProps } from './components/sparkline';
export { Gauge } from './components/gauge';
export type { GaugeProps } from './components/gauge';
export { EventLog, toEventLogItem } from './components/event-log';
export type { EventLevel, EventLogItem, EventLogProps } from './components/event-log';
export { LastUpdated } from './components/last-updated';
export type { LastUpdatedProps } from './components/last-updated';
export { PauseToggle } from './components/pause-toggle';
export type { PauseToggleProps } from './components/pause-toggle';
export { DEFAULT_TIME_WINDOWS, TimeWindowSelect } from './components/time-window-select';
export type { TimeWindowOption, TimeWindowSelectProps } from './components/time-window-select';
export { ChartState } from './components/chart-state';
export type { ChartStateKind, ChartStateProps } from './components/chart-state';
export { DeltaBadge } from './components/delta-badge';
export type { DeltaBadgeProps } from './components/delta-badge';
export type { ErrorProp } from './components/error-text';

// Connection health
export { ConnectionStatus, DEFAULT_CONNECTION_LABELS, connectionLabel } from './components/connection-status';
export type { ConnectionLabels, ConnectionStatusProps } from './components/connection-status';
export { ConnectionBanner, isDown } from './components/connection-banner';
export type { ConnectionBannerProps } from './components/connection-banner';
export { ConnectionHealthPanel } from './components/connection-health-panel';
export type { ConnectionHealthPanelProps } from './components/connection-health-panel';
export { LatencyChart, ThroughputChart } from './components/metrics-charts';
export type { LatencyChartProps, ThroughputChartProps } from './components/metrics-charts';
export { HealthTracker } from './components/health-tracker';
export type { HealthTrackerProps } from './components/health-tracker';

// Field options (units, thresholds)
export { createFormatter, formatDuration, formatTime, formatValue, formatValueParts } from './format';
export type { FormatOptions, FormattedParts, KnownUnit, Unit, ValueFormatter } from './format';
export { activeStep, resolveSteps, thresholdColor } from './thresholds';
export type { ResolvedStep, ThresholdColor, Thresholds, ThresholdStep } from './thresholds';
export { computeDelta } from './delta';
export type { Delta, DeltaPolarity } from './delta';
export type { PointSelector, SelectedPoint } from './hooks/use-channel-feed';
export type { DataRow } from './hooks/use-live-series';

// Framework-free engines, for custom components
export { SeriesBuffer, DEFAULT_SERIES_CAPACITY } from './series-buffer';
export type { SeriesBufferOptions } from './series-buffer';
export { LiveSeries, DEFAULT_MAX_POINTS, DEFAULT_RETENTION_MS, DEFAULT_WINDOW_MS } from './live-series';
export type { ChartRow, LiveSeriesOptions, LiveSeriesView } from './live-series';
export { LiveLog } from './live-log';
export type { LiveLogOptions, LiveLogView, LogEntry } from './live-log';
export { downsampleIndices, lttbIndices, minMaxIndices, arraySource } from './downsample';
export type { DownsampleMethod, DownsampleSource } from './downsample';
export { HealthHistory, healthBlocks, healthOf, healthOfState, uptimeRatio } from './health-history';
export type { Health, HealthBlock, HealthBlockState, HealthTransition } from './health-history';
export { freshness, DEFAULT_STALE_AFTER_MS } from './freshness';
export type { Freshness } from './freshness';
export type { FrameTimers } from './frame-scheduler';
