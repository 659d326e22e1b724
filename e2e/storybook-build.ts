import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a Storybook build reads: a change to any of these makes `storybook-static/` stale. */
const INPUTS = [
  '.storybook',
  'packages/core/src',
  'packages/react/src',
  'packages/dashboard/src',
  'packages/testing/src',
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when `outDir` holds a build newer than every file it was built from. */
export function isStorybookFresh(root: string, outDir: string): boolean {
  const index = join(outDir, 'index.json');
  if (!existsSync(index) || !existsSync(join(outDir, 'iframe.html'))) return false;
  const builtAt = statSync(index).mtimeMs;
  return INPUTS.every((input) => newestMtime(join(root, input)) < builtAt);
}

/**
 * Builds Storybook into `outDir` unless it is already fresh: `storybook build` in a child process,
 * killed after `timeoutMs`. Throws with the build's output when it fails.
 *
 * The build goes to a directory of its own and replaces `outDir` by renaming, so a test run that
 * serves `outDir` at the same time never sees it half written.
 */
export async function ensureStorybookBuilt(
  root: string,
  outDir: string,
  timeoutMs = 180_000,
): Promise<'fresh' | 'built'> {
  if (isStorybookFresh(root, outDir)) return 'fresh';
  const work = join(root, 'node_modules', '.cache', 'storybook-e2e');
  mkdirSync(work, { recursive: true });
  const staging = join(work, `build-${process.pid}-${Date.now()}`);
  const bin = join(root, 'node_modules', 'storybook', 'dist', 'bin', 'dispatcher.js');
  const child = spawn(process.execPath, [bin, 'build', '--output-dir', staging, '--quiet', '--disable-telemetry'], {
    cwd: root,
    env: { ...process.env, STORYBOOK_DISABLE_TELEMETRY: '1', CI: 'true', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    // The tail is what explains a failure.
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const code = await new Promise<number | string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(`timed out after ${timeoutMs} ms`);
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve(exitCode ?? String(signal));
    });
  });
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`storybook build failed (${code}). Run \`npm run build-storybook\` to see why.\n${output}`);
  }
  const previous = `${staging}-previous`;
  if (existsSync(outDir)) renameSync(outDir, previous);
  renameSync(staging, outDir);
  rmSync(previous, { recursive: true, force: true });
  return 'built';
}
