import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The facts a reader needs to compare figures between machines; the Chromium version when given its path. */
export function describeMachine(chromiumPath) {
  let chromium = chromiumPath === undefined ? undefined : 'unknown';
  if (chromiumPath !== undefined) {
    try {
      chromium = execFileSync(chromiumPath, ['--version'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    } catch {
      // The version is informative only; the launch itself reports a broken binary.
    }
  }
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    chromium,
  };
}
