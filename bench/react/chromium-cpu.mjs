import { readdirSync, readFileSync } from 'node:fs';

// /proc reports CPU time in USER_HZ ticks, which Linux fixes at 100 per second for user space.
const TICK_MS = 10;

function readProc(pid, file) {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined; // The process ended between listing and reading.
  }
}

/**
 * CPU time (ms) used so far by each kind of process of the Chromium launched with `userDataDir`:
 * `renderer`, `gpu`, `utility` (network service…), `browser` and `other`: where the browser spends
 * its time, which fps alone does not say. Undefined where there is no /proc (not Linux).
 */
export function sampleChromiumCpu(userDataDir) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const procs = new Map();
  let root;
  for (const pid of pids) {
    const stat = readProc(pid, 'stat');
    const cmdline = readProc(pid, 'cmdline');
    if (stat === undefined || cmdline === undefined) continue;
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = fields[1];
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    // Zygote-forked children rewrite their title: one string of space-separated arguments.
    const args = cmdline.split(/[\0 ]/);
    const type = args.find((a) => a.startsWith('--type='))?.slice('--type='.length);
    procs.set(pid, { ppid, ms, type });
    if (type === undefined && args.includes(`--user-data-dir=${userDataDir}`)) root = pid;
  }
  if (root === undefined) return undefined;
  const totals = { renderer: 0, gpu: 0, utility: 0, browser: 0, other: 0 };
  const inTree = (pid) => {
    for (let p = pid, hops = 0; p !== undefined && hops < 10; p = procs.get(p)?.ppid, hops++)
      if (p === root) return true;
    return false;
  };
  for (const [pid, proc] of procs) {
    if (!inTree(pid)) continue;
    const kind =
      proc.type === undefined
        ? 'browser'
        : proc.type === 'renderer'
          ? 'renderer'
          : proc.type === 'gpu-process'
            ? 'gpu'
            : proc.type === 'utility'
              ? 'utility'
              : 'other';
    totals[kind] += proc.ms;
  }
  return totals;
}

/** CPU use between two samples, as a percentage of one core, per kind and in total. */
export function cpuPercent(before, after, elapsedMs) {
  if (before === undefined || after === undefined || !(elapsedMs > 0)) return undefined;
  const result = {};
  let total = 0;
  for (const kind of Object.keys(after)) {
    const ms = Math.max(0, after[kind] - (before[kind] ?? 0));
    result[kind] = (ms / elapsedMs) * 100;
    total += ms;
  }
  result.total = (total / elapsedMs) * 100;
  return result;
}
