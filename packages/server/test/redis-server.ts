import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { getFreePort } from '../../core/test/free-port';
import type { SocketServerOptions } from '../src';
import { redisBroker } from '../src/redis-broker';
import type { RedisBroker, RedisBrokerOptions } from '../src/redis-broker';
import { onCleanup, startServer } from './helpers';
import type { Started } from './helpers';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** A throwaway redis-server on 127.0.0.1, without persistence: a restart loses every key. */
export interface RedisProcess {
  readonly port: number;
  readonly url: string;
  /** The pid of the current redis-server process (a new one after `restart`). */
  readonly pid: number;
  /** Stops it by pid (SIGKILL by default: a crash, nothing flushed) and waits for it to exit. Idempotent. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts a fresh redis-server on the same port (stopping the current one first) and waits for PING. */
  restart(): Promise<void>;
}

/** Starts redis-server on a free loopback port and waits until it answers PING. */
export async function startRedis(): Promise<RedisProcess> {
  const port = await getFreePort();
  let child = await launch(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child.pid!;
    },
    stop: (signal = 'SIGKILL') => stopChild(child, signal),
    async restart() {
      await stopChild(child, 'SIGKILL');
      child = await launch(port);
    },
  };
}

/** {@link startRedis}, stopped after the test. */
export async function redisForTest(): Promise<RedisProcess> {
  const redis = await startRedis();
  onCleanup(() => redis.stop());
  return redis;
}

/** A broker with its own connections to the Redis at `url`, ready, and closed after the test. */
export async function brokerOn(
  url: string,
  options: Omit<RedisBrokerOptions, 'url' | 'client'> = {},
): Promise<RedisBroker> {
  const broker = redisBroker({ url, ...options });
  onCleanup(() => broker.close());
  await broker.ready;
  return broker;
}

export interface RedisNode extends Started<unknown> {
  readonly broker: RedisBroker;
}

/** A server node on its own broker to the Redis at `url`, closed after the test. */
export async function nodeOn(url: string, options: Omit<SocketServerOptions, 'broker'> = {}): Promise<RedisNode> {
  const broker = await brokerOn(url);
  return { ...(await startServer({ ...options, broker })), broker };
}

async function launch(port: number): Promise<ChildProcess> {
  // `--save ''` and `--appendonly no`: nothing survives a stop, which is what a restart test wants.
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  if (child.pid === undefined) {
    const error = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new Error(`Cannot start ${REDIS_SERVER} (install Redis, or set REDIS_SERVER): ${error.message}`);
  }
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  child.once('error', (error) => (stderr += error.message));
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      throw new Error(`redis-server on port ${port} exited (${String(exited)}): ${stderr.trim()}`);
    }
    if (await answersPing(port)) return child;
    await delay(20);
  }
  await stopChild(child, 'SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s: ${stderr.trim()}`);
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(child.pid!, signal);
    } catch {
      resolve(); // already gone
    }
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}
