// Server benchmark: how many connections one @socketboard/server node holds on one channel, what
// each costs in memory, how long a publish takes to reach all of them, and the fan-out throughput
// across two nodes sharing Redis. Loopback only, bounded in time. Prints tables and rewrites its
// section of BENCHMARKS.md. Uses the BUILT packages: run `npm run build` first (npm run bench does).
//
//   node --expose-gc bench/server/run.mjs [--clients 10000] [--publishes 40] [--interval 150]
//        [--cross-clients 20] [--cross-rate 2000] [--seconds 4] [--no-write]
//
// Clients are raw `ws` sockets speaking protocol v1 (no core engine), in this process; each server
// node runs in a child process (bench/server/node.mjs) so its memory is measured alone. Raw figures
// of the last run: bench/.out/server-results.json.
import { execFileSync, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import prettier from 'prettier';
import { WebSocket } from 'ws';
import { describeMachine } from '../lib/machine.mjs';
import { startRedis } from './redis.mjs';

const WATCHDOG_MS = 170_000;
const START = '<!-- bench:server:start -->';
const END = '<!-- bench:server:end -->';
const root = fileURLToPath(new URL('../../', import.meta.url));
const benchmarksFile = `${root}BENCHMARKS.md`;
const resultsDir = `${root}bench/.out`;
const nodeScript = fileURLToPath(new URL('./node.mjs', import.meta.url));

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '10000' },
    publishes: { type: 'string', default: '40' },
    interval: { type: 'string', default: '150' },
    'cross-clients': { type: 'string', default: '20' },
    'cross-rate': { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '4' },
    'no-write': { type: 'boolean', default: false },
  },
});

if (!existsSync(`${root}packages/server/dist/index.js`) || !existsSync(`${root}packages/server/dist/redis.js`)) {
  console.error('bench:server: packages/server/dist is missing; run `npm run build` first.');
  process.exit(1);
}

const children = new Set();
const cleanups = [];
const watchdog = setTimeout(() => {
  console.error(`bench:server: still running after ${WATCHDOG_MS / 1000} s; stopping.`);
  for (const child of children) child.kill('SIGKILL');
  for (const cleanup of cleanups) void cleanup();
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// -------------------------------------------------------------------------------------------------
// Limits of this machine: each connection is one fd here and one in the server process.

function fdLimit() {
  try {
    return Number(execFileSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return 1024;
  }
}

async function ephemeralPorts() {
  try {
    const [low, high] = (await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')).trim().split(/\s+/);
    return Number(high) - Number(low) + 1;
  } catch {
    return 28_000;
  }
}

// -------------------------------------------------------------------------------------------------
// Server nodes

async function startNode(env = {}) {
  const child = fork(nodeScript, [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const pending = new Map();
  let nextId = 0;
  const ready = new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'ready') resolve(message);
      else if (message.type === 'log') console.log(`  [node] ${message.text}`);
      else if (pending.has(message.id)) {
        const { resolve: done, reject: fail } = pending.get(message.id);
        pending.delete(message.id);
        if (message.error) fail(new Error(message.error));
        else done(message.result);
      }
    });
    child.once('exit', (code) => {
      children.delete(child);
      reject(new Error(`server node exited (${code})`));
      for (const { reject: fail } of pending.values()) fail(new Error(`server node exited (${code})`));
    });
  });
  const { port } = await ready;
  ready.catch(() => {}); // a later exit is reported to the requests waiting then
  const request = (type, payload = {}) =>
    new Promise((resolve, reject) => {
      if (!child.connected) return reject(new Error('server node is gone'));
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      child.send({ id, type, ...payload });
    });
  let closing;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    pid: child.pid,
    request,
    close() {
      closing ??= request('close')
        .catch(() => {})
        .then(() => {
          if (child.exitCode === null) child.kill('SIGKILL');
        });
      return closing;
    },
  };
}

// -------------------------------------------------------------------------------------------------
// Clients: raw protocol v1. `onMessage(clientIndex, seq, latencyMs)` for every `msg` of the channel.

async function openClients(url, count, channel, onMessage) {
  const sockets = new Array(count);
  let subscribed = 0;
  let failed = 0;
  let closedEarly = 0;
  const open = (index) =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, 'socketboard.v1', { perMessageDeflate: false });
      sockets[index] = ws;
      let done = false;
      const finish = (ok) => {
        if (done) return;
        done = true;
        if (!ok) failed += 1;
        resolve();
      };
      ws.on('open', () => ws.send(`{"t":"sub","ch":"${channel}"}`));
      const onFrame = (frame) => {
        if (frame.t === 'msg') onMessage(index, frame.seq, wallNow() - frame.d.t);
        else if (frame.t === 'subd') {
          subscribed += 1;
          finish(true);
        }
      };
      ws.on('message', (data) => {
        // The server batches frames due in the same turn into one JSON array (PROTOCOL.md, batches).
        const parsed = JSON.parse(data.toString());
        if (Array.isArray(parsed)) for (const frame of parsed) onFrame(frame);
        else onFrame(parsed);
      });
      ws.on('error', () => finish(false));
      ws.on('close', () => {
        if (done) closedEarly += 1;
        finish(false);
      });
    });
  // Handshakes a few hundred at a time: a SYN flood on loopback only measures the kernel's backlog.
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(256, count) }, async () => {
      while (next < count) await open(next++);
    }),
  );
  return {
    sockets,
    subscribed,
    failed,
    get closedEarly() {
      return closedEarly;
    },
    connectSeconds: (performance.now() - started) / 1000,
    async close() {
      await Promise.all(
        sockets.map(
          (ws) =>
            new Promise((resolve) => {
              if (!ws || ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', resolve);
              ws.terminate();
            }),
        ),
      );
    },
  };
}

// -------------------------------------------------------------------------------------------------
// Figures

/** A growable Float64Array of samples. */
function samples(initial = 1 << 16) {
  let data = new Float64Array(initial);
  let length = 0;
  return {
    push(value) {
      if (length === data.length) {
        const bigger = new Float64Array(data.length * 2);
        bigger.set(data);
        data = bigger;
      }
      data[length++] = value;
    },
    get length() {
      return length;
    },
    sorted() {
      return data.slice(0, length).sort();
    },
  };
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const ms = (value) => (Number.isNaN(value) ? '–' : value < 10 ? value.toFixed(1) : Math.round(value).toString());
const int = (value) => Math.round(value).toLocaleString('en-US');
const kib = (bytes) => (bytes / 1024).toFixed(1);

// -------------------------------------------------------------------------------------------------
// 1. One node, in-memory broker: connections, memory per connection, publish → delivered to all.

async function fanOut({ clients, publishes, intervalMs }) {
  const node = await startNode();
  cleanups.push(() => node.close());
  const before = await node.request('stats');
  const latencies = samples(clients * publishes);
  const perSeq = new Map(); // seq -> { count, max }
  let warm = true;
  const group = await openClients(node.url, clients, 'fan', (_index, seq, latency) => {
    if (warm) return;
    let entry = perSeq.get(seq);
    if (entry === undefined) perSeq.set(seq, (entry = { count: 0, max: 0 }));
    entry.count += 1;
    if (latency > entry.max) entry.max = latency;
    latencies.push(latency);
  });
  const connected = group.subscribed;
  const after = await node.request('stats');

  // Warm-up: a few publishes whose figures are not kept (JIT, first large writes).
  await node.request('publish', { channel: 'fan', count: 5, ratePerSec: 1000 / intervalMs });
  await sleep(1_000);
  warm = false;
  const cpuBefore = { at: performance.now(), node: await nodeCpuMs(node), clients: selfCpuMs() };
  const run = await node.request('publish', { channel: 'fan', count: publishes, ratePerSec: 1000 / intervalMs });
  const expected = run.published * connected;
  const deadline = performance.now() + 15_000;
  while (latencies.length < expected && performance.now() < deadline) await sleep(50);
  const elapsedMs = performance.now() - cpuBefore.at;
  const cpu = {
    node: Math.round((100 * ((await nodeCpuMs(node)) - cpuBefore.node)) / elapsedMs),
    clients: Math.round((100 * (selfCpuMs() - cpuBefore.clients)) / elapsedMs),
  };
  const toAll = [...perSeq.values()]
    .filter((e) => e.count === connected)
    .map((e) => e.max)
    .sort((a, b) => a - b);
  const sorted = latencies.sorted();
  const loaded = await node.request('stats');
  await group.close();
  await node.close();
  return {
    requested: clients,
    connected,
    failed: group.failed,
    connectSeconds: group.connectSeconds,
    rssPerConnection: (after.rss - before.rss) / connected,
    heapPerConnection: (after.heapUsed - before.heapUsed) / connected,
    rssIdle: after.rss,
    rssLoaded: loaded.rss,
    published: run.published,
    deliveries: latencies.length,
    missing: expected - latencies.length,
    slowConsumerCloses: loaded.metrics.slowConsumerCloses,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    allP50: percentile(toAll, 50),
    allP99: percentile(toAll, 99),
    reachedAll: toAll.length,
    cpu,
  };
}

// -------------------------------------------------------------------------------------------------
// 2. Two nodes sharing Redis: publishes on A, subscribers on A and B.

async function crossNode({ perNode, rate, seconds }) {
  const redis = await startRedis();
  cleanups.push(() => redis.stop());
  const a = await startNode({ REDIS_URL: redis.url });
  const b = await startNode({ REDIS_URL: redis.url });
  cleanups.push(
    () => a.close(),
    () => b.close(),
  );
  const runs = [];
  for (const [label, ratePerSec] of [
    [`paced`, rate],
    ['saturated', 0],
  ]) {
    const channel = `x-${label}`;
    const make = () => ({ latencies: samples(), deliveries: 0, lastSeq: new Int32Array(perNode), gaps: 0, back: 0 });
    const onA = make();
    const onB = make();
    const track = (side) => (index, seq, latency) => {
      side.deliveries += 1;
      side.latencies.push(latency);
      const last = side.lastSeq[index];
      if (last !== 0 && seq !== last + 1) {
        if (seq <= last) side.back += 1;
        else side.gaps += seq - last - 1;
      }
      side.lastSeq[index] = seq;
    };
    const groupA = await openClients(a.url, perNode, channel, track(onA));
    const groupB = await openClients(b.url, perNode, channel, track(onB));
    const cpuBefore = await cpuTimes(a, b, redis);
    const result = await a.request('publish', { channel, durationMs: seconds * 1000, ratePerSec, window: 64 });
    const expected = result.published * perNode;
    const deadline = performance.now() + 10_000;
    while ((onA.deliveries < expected || onB.deliveries < expected) && performance.now() < deadline) await sleep(50);
    const cpuAfter = await cpuTimes(a, b, redis);
    const elapsedMs = cpuAfter.at - cpuBefore.at;
    const cpu = Object.fromEntries(
      ['nodeA', 'nodeB', 'clients', 'redis'].map((k) => [
        k,
        Math.round((100 * (cpuAfter[k] - cpuBefore[k])) / elapsedMs),
      ]),
    );
    const sortedA = onA.latencies.sorted();
    const sortedB = onB.latencies.sorted();
    const stats = await b.request('stats');
    runs.push({
      label,
      offered: ratePerSec,
      publishedPerSec: result.published / result.seconds,
      published: result.published,
      failed: result.failed,
      perNode,
      deliveredPerSecB: onB.deliveries / result.seconds,
      deliveriesB: onB.deliveries,
      deliveriesA: onA.deliveries,
      expected,
      crossP50: percentile(sortedB, 50),
      crossP99: percentile(sortedB, 99),
      localP50: percentile(sortedA, 50),
      localP99: percentile(sortedA, 99),
      lost: 2 * expected - onA.deliveries - onB.deliveries,
      gaps: onA.gaps + onB.gaps,
      reordered: onA.back + onB.back,
      cpu,
      brokerB: stats.metrics.broker,
    });
    await groupA.close();
    await groupB.close();
  }
  await a.close();
  await b.close();
  await redis.stop();
  return runs;
}

/** CPU time (ms) a server node used so far. */
async function nodeCpuMs(node) {
  const { cpu } = await node.request('stats', { gc: false });
  return (cpu.user + cpu.system) / 1000;
}

/** CPU time (ms) this process (the clients) used so far. */
function selfCpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU time used so far (ms) by each process of the cross-node setup. */
async function cpuTimes(a, b, redis) {
  return {
    at: performance.now(),
    nodeA: await nodeCpuMs(a),
    nodeB: await nodeCpuMs(b),
    clients: selfCpuMs(),
    redis: await processCpuMs(redis.pid),
  };
}

/** utime + stime of a process from /proc, in ms (0 where /proc is not there). */
async function processCpuMs(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return 0;
  }
}

const clockTicks = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

// -------------------------------------------------------------------------------------------------
// Report

function redisVersion() {
  try {
    return execFileSync(process.env.REDIS_SERVER ?? '/usr/bin/redis-server', ['--version'], { encoding: 'utf8' })
      .trim()
      .match(/v=(\S+)/)?.[1];
  } catch {
    return 'unknown';
  }
}

function table(header, rows, align) {
  const lines = [`| ${header.join(' | ')} |`, `| ${align.map((a) => (a === 'r' ? '---:' : '---')).join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

function fanTable(f) {
  return table(
    [
      'clients',
      'connect s',
      'RSS KiB/conn',
      'heap KiB/conn',
      'publishes',
      'deliveries',
      'missing',
      'p50 ms',
      'p99 ms',
      'to all p50 ms',
      'to all p99 ms',
      'CPU % server / clients',
    ],
    [
      [
        f.connected === f.requested ? int(f.connected) : `${int(f.connected)} of ${int(f.requested)}`,
        f.connectSeconds.toFixed(1),
        kib(f.rssPerConnection),
        kib(f.heapPerConnection),
        int(f.published),
        int(f.deliveries),
        int(f.missing),
        ms(f.p50),
        ms(f.p99),
        ms(f.allP50),
        ms(f.allP99),
        `${f.cpu.node} / ${f.cpu.clients}`,
      ],
    ],
    ['r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function crossTable(runs) {
  return table(
    [
      'run',
      'offered msg/s',
      'published msg/s',
      'subscribers',
      'deliveries/s on B',
      'A→B p50 ms',
      'A→B p99 ms',
      'A→A p50 ms',
      'A→A p99 ms',
      'lost',
      'reordered',
      'CPU % A / B / clients / Redis',
    ],
    runs.map((r) => [
      r.label,
      r.offered === 0 ? 'max (64 in flight)' : int(r.offered),
      int(r.publishedPerSec),
      `${r.perNode} on A + ${r.perNode} on B`,
      int(r.deliveredPerSecB),
      ms(r.crossP50),
      ms(r.crossP99),
      ms(r.localP50),
      ms(r.localP99),
      int(r.lost),
      int(r.reordered),
      `${r.cpu.nodeA} / ${r.cpu.nodeB} / ${r.cpu.clients} / ${r.cpu.redis}`,
    ]),
    ['l', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
  );
}

function section({ machine, when, limits, fan, cross, options, load }) {
  const capped =
    fan.requested < Number(args.clients)
      ? ` The target was ${int(Number(args.clients))} clients; this machine allows ${int(fan.requested)} (${limits}).`
      : '';
  return `${START}

## Server fan-out and Redis scale-out (\`npm run bench:server\`)

Measured ${when} with \`npm run bench:server\` on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}, Redis ${redisVersion()}. Built packages (\`dist/\`), loopback only; 1-minute load average ${load.start.toFixed(1)} at the start and ${load.end.toFixed(1)} at the end (anything above ${machine.cpus} means other work competed for the cores). Each server node runs in its own process (heartbeat off); the clients are raw \`ws\` sockets speaking protocol v1 in one other process, so on this machine clients, nodes and Redis share ${machine.cpus} cores.

**One node, in-memory broker, every client on one channel.** ${int(fan.requested)} clients connect (256 handshakes at a time) and subscribe.${capped} _RSS/heap per connection_ is the server process's growth (after GC) from no connections to all of them subscribed, divided by the connections. Then the node publishes ${options.publishes} messages, one every ${options.interval} ms, after a short warm-up; each carries its send time (\`performance.timeOrigin + now()\`, same clock in both processes). _p50/p99_ are over every delivery (publish → a client's \`message\` event); _to all_ is, per message, the time until the last client had it. _CPU %_ is each process's CPU time during the run in % of one core: a low figure next to a high latency means the process was waiting for a core, not working.

${fanTable(fan)}

Server RSS with all connections: ${int(fan.rssIdle / 2 ** 20)} MiB idle, ${int(fan.rssLoaded / 2 ** 20)} MiB after the run. Slow-consumer closes: ${fan.slowConsumerCloses}.

**Two nodes sharing one Redis (\`redisBroker\`), publishing on A.** ${cross[0].perNode} subscribers on each node; node A publishes for ${options.seconds} s, first paced at ${int(options.crossRate)} msg/s, then as fast as 64 publishes in flight allow. Every message crosses Redis (one Lua script: INCR + XADD + PUBLISH), also for A's own subscribers. _A→B_ is the latency to subscribers on the other node, _A→A_ on the publishing node; _lost_ counts deliveries missing after a 10 s drain, _reordered_ seqs received out of order.

${crossTable(cross)}

${END}`;
}

async function writeSection(text) {
  let current;
  try {
    current = await readFile(benchmarksFile, 'utf8');
  } catch {
    current = '# Benchmarks\n\nFigures from `npm run bench*`, each section rewritten by its own benchmark.\n';
  }
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + text + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n${text}\n`;
  const config = (await prettier.resolveConfig(benchmarksFile)) ?? {};
  await writeFile(benchmarksFile, await prettier.format(next, { ...config, filepath: benchmarksFile }));
}

// -------------------------------------------------------------------------------------------------

const limit = fdLimit();
const ports = await ephemeralPorts();
// Headroom for the runtime's own fds, the IPC channel and the Redis connections.
const maxClients = Math.max(1, Math.min(limit - 256, ports - 1_000));
const clients = Math.min(Number(args.clients), maxClients);
const limits = `\`ulimit -n\` ${int(limit)}, ${int(ports)} ephemeral ports`;
if (clients < Number(args.clients)) {
  console.log(`bench:server: capping clients at ${int(clients)} (${limits}).`);
}
const options = {
  publishes: Number(args.publishes),
  interval: Number(args.interval),
  seconds: Number(args.seconds),
  crossRate: Number(args['cross-rate']),
};
const startedAt = performance.now();
const loadAtStart = os.loadavg()[0];
try {
  console.log(`bench:server: ${int(clients)} clients on one node (in-memory broker)…`);
  const fan = await fanOut({ clients, publishes: options.publishes, intervalMs: options.interval });
  console.log(`\nOne node, ${int(fan.connected)} clients on one channel:\n${fanTable(fan)}\n`);
  console.log(`bench:server: two nodes and Redis…`);
  const cross = await crossNode({
    perNode: Number(args['cross-clients']),
    rate: options.crossRate,
    seconds: options.seconds,
  });
  console.log(`\nTwo nodes sharing Redis, publishing on A:\n${crossTable(cross)}\n`);
  const machine = describeMachine();
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  await mkdir(resultsDir, { recursive: true });
  const raw = { when, machine, load: { start: loadAtStart, end: os.loadavg()[0] }, fan, cross };
  await writeFile(`${resultsDir}/server-results.json`, `${JSON.stringify(raw, null, 2)}\n`);
  if (!args['no-write']) {
    const load = { start: loadAtStart, end: os.loadavg()[0] };
    await writeSection(section({ machine, when, limits, fan, cross, options, load }));
    console.log(`bench:server: BENCHMARKS.md updated (${((performance.now() - startedAt) / 1000).toFixed(0)} s).`);
  }
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
  for (const child of children) child.kill('SIGKILL');
  clearTimeout(watchdog);
}
