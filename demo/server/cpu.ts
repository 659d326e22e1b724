import type { CpuInfo } from 'node:os';

export interface CpuUsage {
  /** Busy share of all cores, 0–100. */
  readonly total: number;
  readonly user: number;
  readonly system: number;
  /** Busy share of each core, 0–100. */
  readonly cores: readonly number[];
}

const percent = (part: number, whole: number) => (whole > 0 ? Math.min(100, Math.max(0, (part / whole) * 100)) : 0);

/**
 * CPU use between two `os.cpus()` readings. The counters are cumulative since boot, so only their
 * difference says anything about the last second. A core that appeared or vanished in between
 * (hot-plug, containers) counts as idle.
 */
export function cpuUsage(previous: readonly CpuInfo[], current: readonly CpuInfo[]): CpuUsage {
  const cores: number[] = [];
  let all = 0;
  let idle = 0;
  let user = 0;
  let system = 0;
  current.forEach((cpu, i) => {
    const before = previous[i];
    if (before === undefined) {
      cores.push(0);
      return;
    }
    const d = {
      user: cpu.times.user - before.times.user,
      nice: cpu.times.nice - before.times.nice,
      sys: cpu.times.sys - before.times.sys,
      idle: cpu.times.idle - before.times.idle,
      irq: cpu.times.irq - before.times.irq,
    };
    const total = d.user + d.nice + d.sys + d.idle + d.irq;
    cores.push(percent(total - d.idle, total));
    all += total;
    idle += d.idle;
    user += d.user + d.nice;
    system += d.sys + d.irq;
  });
  return { total: percent(all - idle, all), user: percent(user, all), system: percent(system, all), cores };
}
