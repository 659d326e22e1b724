import { spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answersPing(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString('latin1').startsWith('+PONG')));
  });
}

/** A throwaway redis-server on a free loopback port, no persistence; `stop()` kills it by pid. */
export async function startRedis() {
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir()],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = () =>
    new Promise((resolve) => {
      if (exited || child.pid === undefined) return resolve();
      child.once('exit', resolve);
      process.kill(child.pid, 'SIGKILL');
    });
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`redis-server (${REDIS_SERVER}) exited at start`);
    if (await answersPing(port)) return { port, url: `redis://127.0.0.1:${port}`, pid: child.pid, stop };
    await delay(20);
  }
  await stop();
  throw new Error(`redis-server on port ${port} did not answer PING within 5 s`);
}
