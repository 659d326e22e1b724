import { INITIAL_CONNECTION_STATE } from '@socketboard/core';
import type { ConnectionState } from '@socketboard/core';
import type { EqualityFn } from './selection';
import { useSocketContext } from './socket-context';
import { useStoreSelection } from './use-store-selection';

/**
 * The connection's state (`status`, `attempt`, `nextRetryAt`, `lastClose`, `online`, `visible`…), or
 * what `selector` picks from it: the component renders only when that changes (compared with
 * `isEqual`, default `shallow`, so `(s) => ({ status: s.status, attempt: s.attempt })` is fine).
 * Server rendering sees the idle state.
 *
 * @throws {SocketProviderMissingError} outside a `<SocketProvider>`.
 */
export function useConnectionStatus(): ConnectionState;
export function useConnectionStatus<S>(selector: (state: ConnectionState) => S, isEqual?: EqualityFn<S>): S;
export function useConnectionStatus<S>(
  selector?: (state: ConnectionState) => S,
  isEqual?: EqualityFn<S>,
): S | ConnectionState {
  const { connection } = useSocketContext('useConnectionStatus');
  return useStoreSelection(connection.store, INITIAL_CONNECTION_STATE, selector, isEqual);
}
