import { EMPTY_METRICS } from '@socketboard/core';
import type { MetricsState } from '@socketboard/core';
import type { EqualityFn } from './selection';
import { useSocketContext } from './socket-context';
import { useStoreSelection } from './use-store-selection';

/** What server rendering and an idle connection show. */
const IDLE_METRICS: MetricsState = Object.freeze({ current: EMPTY_METRICS, samples: Object.freeze([]) });

/**
 * The connection's metrics (`{ current, samples }`, sampled once per `metrics.sampleIntervalMs`), or
 * what `selector` picks from them, e.g. `(m) => m.current.rttEwmaMs`. Renders at most once per sample.
 *
 * @throws {SocketProviderMissingError} outside a `<SocketProvider>`.
 */
export function useConnectionMetrics(): MetricsState;
export function useConnectionMetrics<S>(selector: (metrics: MetricsState) => S, isEqual?: EqualityFn<S>): S;
export function useConnectionMetrics<S>(
  selector?: (metrics: MetricsState) => S,
  isEqual?: EqualityFn<S>,
): S | MetricsState {
  const { connection } = useSocketContext('useConnectionMetrics');
  return useStoreSelection(connection.metrics, IDLE_METRICS, selector, isEqual);
}
