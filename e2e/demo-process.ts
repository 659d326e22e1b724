import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const VITE = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const DEMO_CONFIG = join(REPO_ROOT, 'demo', 'vite.config.ts');
const run = promisify(execFile);

/**
 * Builds the demo as `npm run build -w @socketboard/demo` does (page into `outDir/client`, server
 * into `outDir/server`), in child processes so that Vite sees no test environment (NODE_ENV=test
 * would give a development build of React). `outDir` must be inside the repository, so that the
 * server bundle finds `ws` in node_modules.
 */
export async function buildDemo(outDir: string, timeoutMs = 90_000): Promise<void> {
  const env = { ...process.env, NODE_ENV: 'production' };
  const vite = (...args: string[]) =>
    run(process.execPath, [VITE, 'build', '--config', DEMO_CONFIG, '--logLevel', 'warn', ...args], {
      cwd: join(REPO_ROOT, 'demo'),
      env,
      timeout: timeoutMs,
    });
  await vite('--outDir', join(outDir, 'client'));
  await vite('--ssr', 'server/main.ts', '--outDir', join(outDir, 'server'));
}

export interface DemoProcess {
  /** The page, e.g. `http://127.0.0.1:41234/`. */
  readonly url: string;
  readonly pid: number;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM (the demo closes its sockets and exits), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Runs the built demo as `npm run demo` does: one plain Node process, on a free port of 127.0.0.1. */
export async function startDemo(
  outDir: string,
  env: Record<string, string> = {},
  timeoutMs = 20_000,
): Promise<DemoProcess> {
  const main = join(outDir, 'server', 'main.js');
  if (!existsSync(main)) throw new Error(`No demo build at ${main}: call buildDemo() first.`);
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`The demo printed no URL within ${timeoutMs} ms. Output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The demo exited with ${code} before printing its URL. Output:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  return {
    url,
    pid: child.pid!,
    output: () => output,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
