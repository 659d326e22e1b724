import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { SystemSample } from '../shared/channels';
import { cpuUsage } from './cpu';
import { readNetTotals } from './net-dev';
import type { NetTotals } from './net-dev';

export type HostSample = Pick<SystemSample, 'cpu' | 'memory' | 'load' | 'loop' | 'net'>;

// The histogram's values include the timer's own period: a loop that is never late reads ~10 ms.
const LOOP_RESOLUTION_MS = 10;
const NS_PER_MS = 1e6;

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Measures this machine between two calls: CPU from `os.cpus()` deltas, memory, load, the process's
 * event-loop delay, and network byte rates from /proc/net/dev. The first call covers the time since
 * construction.
 */
export class HostSampler {
  private cpus = os.cpus();
  private net: NetTotals | undefined;
  private netAt = performance.now();
  private readonly loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });

  constructor() {
    this.loop.enable();
    void readNetTotals().then((totals) => {
      this.net = totals;
      this.netAt = performance.now();
    });
  }

  async sample(): Promise<HostSample> {
    const cpus = os.cpus();
    const cpu = cpuUsage(this.cpus, cpus);
    this.cpus = cpus;

    const total = os.totalmem();
    // os.freemem() is MemAvailable on Linux: page cache the kernel can drop counts as free.
    const used = total - os.freemem();

    const lag = (ns: number) => round(Math.max(0, ns / NS_PER_MS - LOOP_RESOLUTION_MS));
    const loop = { mean: lag(this.loop.mean), p99: lag(this.loop.percentile(99)), max: lag(this.loop.max) };
    this.loop.reset();

    const [one = 0, five = 0, fifteen = 0] = os.loadavg();
    return {
      cpu: {
        total: round(cpu.total, 1),
        user: round(cpu.user, 1),
        system: round(cpu.system, 1),
        cores: cpu.cores.map((c) => round(c, 1)),
      },
      memory: { total, used, percent: round((used / total) * 100, 1), rss: process.memoryUsage.rss() },
      load: [round(one), round(five), round(fifteen)],
      loop,
      net: await this.netRates(),
    };
  }

  private async netRates(): Promise<HostSample['net']> {
    const totals = await readNetTotals();
    const at = performance.now();
    const before = this.net;
    const seconds = (at - this.netAt) / 1000;
    this.net = totals;
    this.netAt = at;
    if (totals === undefined || before === undefined || seconds <= 0) return null;
    // Counters reset when an interface goes down and up again: a negative delta is no traffic.
    const rate = (now: number, then: number) => Math.round(Math.max(0, now - then) / seconds);
    return {
      rx: rate(totals.rx, before.rx),
      tx: rate(totals.tx, before.tx),
      loRx: rate(totals.loRx, before.loRx),
      loTx: rate(totals.loTx, before.loTx),
    };
  }

  stop(): void {
    this.loop.disable();
  }
}

/** What does not change while the demo runs, for `GET /api/info`. */
export function hostFacts() {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU',
    cores: cpus.length,
    totalMemory: os.totalmem(),
    node: process.version,
  };
}
