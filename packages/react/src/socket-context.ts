import { createContext, useContext } from 'react';
import type { Connection } from '@socketboard/core';
import { SocketProviderMissingError } from './errors';
import type { FrameScheduler } from './frame-scheduler';

export interface SocketContextValue {
  readonly connection: Connection;
  /** Shared by the provider's channel views so that all of a frame's changes render in one commit. */
  readonly scheduler: FrameScheduler;
}

export const SocketContext = createContext<SocketContextValue | undefined>(undefined);
SocketContext.displayName = 'SocketContext';

/** The provider's connection and scheduler. @throws {SocketProviderMissingError} outside a provider. */
export function useSocketContext(hook: string): SocketContextValue {
  const value = useContext(SocketContext);
  if (value === undefined) throw new SocketProviderMissingError(hook);
  return value;
}
