import { vi } from 'vitest';
import { createConnection } from '../src/connection';
import type { SocketboardError } from '../src/errors';
import type { ConnectionOptions } from '../src/options';
import { fakeSignals, fakeSockets } from './fake-environment';

/** Lets timers due now and pending promises run (under fake timers). */
export const flush = () => vi.advanceTimersByTimeAsync(0);

/**
 * A Connection on fake sockets and signals, no heartbeat, jitter fixed at half the ceiling; every
 * reported error collected in `errors`. Tests play the server through `env.last()`.
 */
export function setup(overrides: Partial<ConnectionOptions> = {}) {
  const env = fakeSockets();
  const signals = fakeSignals();
  const errors: SocketboardError[] = [];
  const connection = createConnection({
    url: 'ws://test.invalid/socket',
    WebSocket: env.WebSocket,
    signals,
    random: () => 0.5,
    heartbeat: false,
    ...overrides,
  });
  connection.on('error', (e) => errors.push(e));
  return { connection, env, signals, errors };
}

/** {@link setup}, connected and open; `socket` is the open fake socket. */
export async function openConnection(overrides: Partial<ConnectionOptions> = {}) {
  const ctx = setup(overrides);
  ctx.connection.connect();
  await flush();
  ctx.env.last().open();
  return { ...ctx, socket: ctx.env.last() };
}
