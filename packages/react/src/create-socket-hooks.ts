import type { ReactElement } from 'react';
import type { ChannelMap } from '@socketboard/core';
import { SocketProvider } from './socket-provider';
import type { SocketProviderProps } from './socket-provider';
import { useChannel } from './use-channel';
import type { UseChannel } from './use-channel';
import { useConnectionMetrics } from './use-connection-metrics';
import { useConnectionStatus } from './use-connection-status';
import { useSocket } from './use-socket';
import type { SocketApi } from './use-socket';

/** The provider and hooks, typed by one channel map. */
export interface SocketHooks<TChannels extends ChannelMap> {
  SocketProvider: (props: SocketProviderProps<TChannels>) => ReactElement;
  useSocket: () => SocketApi<TChannels>;
  useChannel: UseChannel<TChannels>;
  useConnectionStatus: typeof useConnectionStatus;
  useConnectionMetrics: typeof useConnectionMetrics;
}

/**
 * The provider and hooks typed by `TChannels`, without registering a map for the whole app:
 *
 * ```ts
 * export const { SocketProvider, useChannel, useSocket } = createSocketHooks<MyChannels>();
 * ```
 *
 * They are the same functions as the package's exports (one context), only typed; nothing is created.
 */
export function createSocketHooks<TChannels extends ChannelMap>(): SocketHooks<TChannels> {
  return {
    SocketProvider: SocketProvider as SocketHooks<TChannels>['SocketProvider'],
    useSocket: useSocket as unknown as SocketHooks<TChannels>['useSocket'],
    useChannel: useChannel as unknown as UseChannel<TChannels>,
    useConnectionStatus,
    useConnectionMetrics,
  };
}
