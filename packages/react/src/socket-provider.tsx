import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { ChannelMap, Connection, ConnectionOptions } from '@socketboard/core';
import { createFrameScheduler } from './frame-scheduler';
import { createProviderConnection, restartKey } from './provider-connection';
import type { RegisteredChannels } from './register';
import { SocketContext } from './socket-context';
import type { SocketContextValue } from './socket-context';
import { useLatest } from './use-latest';

/**
 * How long an owned connection survives its provider's unmount. React StrictMode and Fast Refresh
 * unmount and remount in the same tick; waiting a moment lets the remount keep the open socket.
 */
export const DEFAULT_CLOSE_DELAY_MS = 100;

interface SocketProviderCommonProps {
  children?: ReactNode;
  /**
   * Owned connections only: how long after unmount (or after being replaced) the connection is
   * closed; a remount within it keeps the socket. Default `100` ms.
   */
  closeDelayMs?: number;
  /**
   * Flush work (ms) a frame may hold on average before `deliver: 'frame'` renders are spaced to every
   * 2nd, 3rd… frame (at most 6 apart), so a page with expensive renders keeps its frame rate; `false`
   * renders every frame whatever it costs. Read on mount. Default `8`.
   */
  frameBudgetMs?: number | false;
}

/** The provider creates, connects and (after unmount) closes its own connection. */
export type OwnedConnectionProps = SocketProviderCommonProps & ConnectionOptions & { connection?: undefined };

/** The provider shares a connection made elsewhere; whoever made it connects and closes it. */
export type SharedConnectionProps<TChannels extends ChannelMap> = SocketProviderCommonProps & {
  connection: Connection<TChannels>;
} & { [K in keyof ConnectionOptions]?: undefined };

export type SocketProviderProps<TChannels extends ChannelMap = RegisteredChannels> =
  OwnedConnectionProps | SharedConnectionProps<TChannels>;

interface Owned {
  readonly key: string;
  readonly connection: Connection;
}

/**
 * Gives the hooks below it one connection. With `url` (and any other `createConnection` option) it
 * owns one: created on the first render (nothing opens during server rendering), connected in an
 * effect, closed `closeDelayMs` after unmount. Only a change of `url` (a string), `protocols` or
 * `protocol` replaces it; other options are read once and callbacks are always used in their latest
 * version. With `connection={…}` it shares that one and leaves its lifecycle to its owner.
 */
export function SocketProvider<TChannels extends ChannelMap = RegisteredChannels>(
  props: SocketProviderProps<TChannels>,
): ReactElement {
  const { children, closeDelayMs, frameBudgetMs, connection: shared, ...options } = props;
  const latestOptions = useLatest(options as ConnectionOptions);
  const key = shared === undefined ? restartKey(options as ConnectionOptions) : undefined;

  const create = (): Owned | undefined =>
    key === undefined
      ? undefined
      : {
          key,
          connection: createProviderConnection(options as ConnectionOptions, () => latestOptions.current),
        };
  const [owned, setOwned] = useState(create);
  let current = owned;
  if (key !== undefined && owned?.key !== key) {
    // A restarting prop changed: replace the connection during render (React re-renders at once), so
    // no child ever sees the old one with the new URL.
    current = create();
    setOwned(current);
  }
  const connection: Connection = shared ?? current!.connection;

  // Connections waiting out their close delay, by the timer that will close them.
  const closing = useRef<Map<Connection, ReturnType<typeof setTimeout>> | null>(null);
  const closeDelay = closeDelayMs ?? DEFAULT_CLOSE_DELAY_MS;
  useEffect(() => {
    if (shared !== undefined) return;
    closing.current ??= new Map();
    const pending = closing.current;
    for (const [other, timer] of pending) {
      clearTimeout(timer);
      pending.delete(other);
      // Another connection waiting to close has been replaced for good: no reason to wait.
      if (other !== connection) other.close();
    }
    connection.connect();
    return () => {
      pending.set(
        connection,
        setTimeout(() => {
          pending.delete(connection);
          connection.close();
        }, closeDelay),
      );
    };
    // A new closeDelayMs re-runs this: the cleanup's pending close is cancelled at once, and connect() is a no-op.
  }, [connection, shared, closeDelay]);

  const [scheduler] = useState(() => createFrameScheduler({}, { frameBudgetMs }));
  const value = useMemo<SocketContextValue>(() => ({ connection, scheduler }), [connection, scheduler]);
  return <SocketContext.Provider value={value}>{children}</SocketContext.Provider>;
}
