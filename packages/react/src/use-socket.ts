import { useMemo } from 'react';
import type { ChannelMap, Connection } from '@socketboard/core';
import type { RegisteredChannels } from './register';
import { useSocketContext } from './socket-context';

/** The provider's connection and its commands, each stable for the life of the connection. */
export interface SocketApi<TChannels extends ChannelMap = RegisteredChannels> {
  readonly connection: Connection<TChannels>;
  /** A raw frame (text or binary) through the connection's queue. */
  readonly send: Connection<TChannels>['send'];
  /** `publish(channel, data)` → `'sent' | 'queued' | 'dropped'`; with `{ ack: true }` a promise of the server's ack. */
  readonly publish: Connection<TChannels>['publish'];
  /** Drops the socket and connects again now (also the way out of `failed`). */
  readonly reconnect: () => void;
  /** Closes for good (status `closed`) until `reconnect()`. */
  readonly close: (code?: number, reason?: string) => void;
}

export function createSocketApi<TChannels extends ChannelMap>(connection: Connection<TChannels>): SocketApi<TChannels> {
  return {
    connection,
    send: (frame) => connection.send(frame),
    publish: ((channel, data, options) =>
      connection.publish(channel, data, options)) as Connection<TChannels>['publish'],
    reconnect: () => connection.reconnect(),
    close: (code, reason) => connection.close(code, reason),
  };
}

/**
 * The provider's connection with stable `send`, `publish`, `reconnect` and `close` (safe in effect
 * dependencies). Reading it never re-renders on messages or status changes.
 *
 * @throws {SocketProviderMissingError} outside a `<SocketProvider>`.
 */
export function useSocket(): SocketApi<RegisteredChannels> {
  const { connection } = useSocketContext('useSocket');
  return useMemo(() => createSocketApi(connection as Connection<RegisteredChannels>), [connection]);
}
