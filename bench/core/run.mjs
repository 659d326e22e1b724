// Core routing benchmark: protocol-v1 `msg` frames decoded and routed to channel listeners through the
// real engine path (a Connection from @socketboard/core's built dist, on a fake WebSocket whose
// onmessage is driven directly), against a bare JSON.parse + Map dispatch loop over the same frames,
// in the same process, rounds interleaved. Prints a table and rewrites its section of BENCHMARKS.md.
// Exit code 0 whenever it ran: a missed target is a finding, not a crash.
//
//   node --expose-gc bench/core/run.mjs [--frames 100000] [--rounds 9] [--warmup 3] [--no-write]
//
// No network at all: the socket is a fake, the server is this loop.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createConnection } from '@socketboard/core';
import { describeMachine } from '../lib/machine.mjs';
import { loadNote, machineLine, markdownTable, median, nowUtc, textTable, writeSection } from './section.mjs';

const TARGET_RATIO = 0.8;
const CHANNELS = Array.from({ length: 10 }, (_, i) => `metrics.host-${String(i).padStart(2, '0')}`);
// The whole benchmark must finish well within a minute on a busy machine; past this it gives up.
const WATCHDOG_MS = 90_000;

const { values: args } = parseArgs({
  options: {
    frames: { type: 'string', default: '100000' },
    rounds: { type: 'string', default: '9' },
    warmup: { type: 'string', default: '3' },
    'no-write': { type: 'boolean', default: false },
  },
});
const FRAMES = Number(args.frames);
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);
if (!(FRAMES >= 1000) || !(ROUNDS >= 1) || !(WARMUP >= 0)) {
  console.error('bench:core: --frames takes a number >= 1000, --rounds >= 1, --warmup >= 0');
  process.exit(2);
}

const watchdog = setTimeout(() => {
  console.error(`bench:core: still running after ${WATCHDOG_MS / 1000} s; giving up.`);
  process.exit(1);
}, WATCHDOG_MS);
watchdog.unref();

/**
 * Realistic ~100-byte `msg` frames, round-robin over the channels, seq increasing per channel (the
 * engine drops a seq it has already seen, so each engine round gets a fresh Connection).
 */
function makeFrames(count) {
  const seq = new Array(CHANNELS.length).fill(0);
  const frames = new Array(count);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const c = i % CHANNELS.length;
    const load = (Math.sin(i / 97) * 0.5 + 0.5).toFixed(4);
    const frame =
      `{"t":"msg","ch":"${CHANNELS[c]}","seq":${++seq[c]},` +
      `"d":{"load":${load},"mem":${(i % 1000) / 1000},"at":${1_763_000_000_000 + i}}}`;
    bytes += frame.length;
    // One event object per frame, made up front and shared by both variants: a browser allocates a
    // MessageEvent per frame before any handler runs, so that cost is nobody's.
    frames[i] = { data: frame };
  }
  return { events: frames, avgBytes: bytes / count };
}

/** What both variants' listeners do with a message: read a field, so the payload is really used. */
let sink = 0;
const makeListener = () => (data) => {
  sink += data.load;
};

/** The WebSocket the engine gets: it never touches a network; `onmessage` is called by the driver. */
class FakeSocket {
  static last;
  readyState = 0;
  bufferedAmount = 0;
  protocol = 'socketboard.v1';
  binaryType = 'blob';
  onopen = null;
  onclose = null;
  onerror = null;
  onmessage = null;
  sent = 0;
  constructor(url) {
    this.url = url;
    FakeSocket.last = this;
  }
  send() {
    this.sent++;
  }
  close() {
    this.readyState = 3;
  }
}

/** A Connection subscribed to every channel (one listener each), open on a fake socket. */
async function openEngine() {
  FakeSocket.last = undefined;
  const connection = createConnection({ url: 'ws://bench.invalid/', WebSocket: FakeSocket });
  const offs = CHANNELS.map((ch) => connection.subscribe(ch, makeListener()));
  connection.connect();
  // The socket is created after the engine's async url/auth step; give it the microtasks it needs.
  for (let i = 0; i < 20 && FakeSocket.last === undefined; i++) await new Promise((r) => setImmediate(r));
  const socket = FakeSocket.last;
  if (socket === undefined) throw new Error('the engine never created its WebSocket');
  socket.readyState = 1;
  socket.onopen?.({});
  socket.onmessage?.({ data: '{"t":"welcome","sid":"bench","resumed":false}' });
  for (const ch of CHANNELS) socket.onmessage?.({ data: `{"t":"subd","ch":"${ch}","seq":0,"resumed":true}` });
  const states = CHANNELS.map((ch) => connection.channel(ch).getState().status);
  if (connection.store.getState().status !== 'open' || states.some((s) => s !== 'subscribed')) {
    throw new Error(`engine not ready: ${connection.store.getState().status}, channels ${states.join(',')}`);
  }
  return {
    socket,
    count: () => CHANNELS.reduce((n, ch) => n + connection.channel(ch).getState().count, 0),
    close() {
      for (const off of offs) off();
      connection.close();
    },
  };
}

/** The baseline: what an app with no library would write. Same listeners, same driver. */
function openBaseline() {
  const listeners = new Map(CHANNELS.map((ch) => [ch, makeListener()]));
  let delivered = 0;
  const socket = {
    onmessage(event) {
      const frame = JSON.parse(event.data);
      if (frame.t !== 'msg') return;
      const listener = listeners.get(frame.ch);
      if (listener !== undefined) {
        delivered++;
        listener(frame.d, frame.seq);
      }
    },
  };
  return { socket, count: () => delivered, close() {} };
}

/** Drives every frame through `socket.onmessage`, as a browser's event loop would. Returns ms. */
function drive(socket, events) {
  const start = performance.now();
  for (let i = 0; i < events.length; i++) socket.onmessage(events[i]);
  return performance.now() - start;
}

async function round(variant, events) {
  const target = variant === 'engine' ? await openEngine() : openBaseline();
  // Each variant starts with no garbage left over from the other, and pays for its own.
  globalThis.gc?.();
  const ms = drive(target.socket, events);
  const delivered = target.count();
  target.close();
  if (delivered !== events.length) throw new Error(`${variant} delivered ${delivered} of ${events.length} frames`);
  return ms;
}

async function main() {
  const machine = describeMachine(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium');
  const loadBefore = os.loadavg()[0];
  if (globalThis.gc === undefined) console.warn('bench:core: run with node --expose-gc for steadier figures.');
  const { events, avgBytes } = makeFrames(FRAMES);
  console.log(
    `bench:core: ${FRAMES.toLocaleString('en-US')} frames of ~${Math.round(avgBytes)} bytes on ${CHANNELS.length} channels,` +
      ` ${WARMUP} warm-up + ${ROUNDS} measured rounds per variant, interleaved…`,
  );

  for (let i = 0; i < WARMUP; i++) {
    await round('engine', events);
    await round('baseline', events);
  }
  const times = { engine: [], baseline: [] };
  const pairRatios = [];
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which variant goes first, so drift in machine load hits both alike.
    const order = i % 2 === 0 ? ['engine', 'baseline'] : ['baseline', 'engine'];
    const ms = {};
    for (const v of order) ms[v] = await round(v, events);
    times.engine.push(ms.engine);
    times.baseline.push(ms.baseline);
    // Throughput ratio of this pair = baseline time / engine time.
    pairRatios.push(ms.baseline / ms.engine);
  }
  const loadAfter = os.loadavg()[0];

  const perSec = (ms) => (FRAMES / ms) * 1000;
  const row = (variant, label) => {
    const t = times[variant];
    const med = median(t);
    return {
      label,
      medianMs: med,
      fps: perSec(med),
      usPerFrame: (med * 1000) / FRAMES,
      best: perSec(Math.min(...t)),
      worst: perSec(Math.max(...t)),
    };
  };
  const rows = [
    row('engine', '@socketboard/core Connection (decode, dedupe by seq, channel store, listener)'),
    row('baseline', 'bare JSON.parse + Map dispatch'),
  ];
  const ratio = median(pairRatios);
  const ratioOfMedians = rows[0].fps / rows[1].fps;
  const pass = ratio >= TARGET_RATIO;

  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const header = ['variant', 'median ms/round', 'frames/s (median)', 'µs/frame', 'frames/s best', 'frames/s worst'];
  const cells = rows.map((r) => [
    r.label,
    r.medianMs.toFixed(1),
    fmt(r.fps),
    r.usPerFrame.toFixed(3),
    fmt(r.best),
    fmt(r.worst),
  ]);
  console.log(`\n${textTable(header, cells)}\n`);
  const ratioText =
    `engine ÷ baseline throughput: ×${ratio.toFixed(2)} (median of ${ROUNDS} paired rounds; ratio of medians` +
    ` ×${ratioOfMedians.toFixed(2)}; pairs ranged ×${Math.min(...pairRatios).toFixed(2)}–×${Math.max(...pairRatios).toFixed(2)})`;
  console.log(ratioText);
  console.log(`${pass ? 'PASS' : 'MISS'}  target engine/baseline >= ${TARGET_RATIO} (measured ×${ratio.toFixed(2)})`);
  const load = loadNote(loadBefore, loadAfter, machine.cpus);
  console.log(`note: ${load}`);
  if (sink === 0) console.log('note: listeners saw no data'); // keeps `sink` observable

  if (!args['no-write']) {
    const body = [
      '## Core routing throughput (`npm run bench:core`)',
      '',
      `Measured ${nowUtc()} with \`node --expose-gc bench/core/run.mjs\` (part of \`npm run bench\`) on ${machineLine(machine)}.`,
      '',
      `${FRAMES.toLocaleString('en-US')} protocol-v1 \`msg\` frames of ~${Math.round(avgBytes)} bytes` +
        ` (\`{"t":"msg","ch":"metrics.host-03","seq":…,"d":{"load":…,"mem":…,"at":…}}\`), round-robin over` +
        ` ${CHANNELS.length} channels with one listener each, handed to \`onmessage\` one by one. **engine**: a` +
        ' `Connection` from the built `@socketboard/core` on an injected fake WebSocket, open and subscribed' +
        ' (welcome and `subd` received), so each frame takes the real path: clock, heartbeat and metrics' +
        ' bookkeeping, byte count, `JSON.parse`, frame validation, seq dedupe, channel store update and listener' +
        ' call. **baseline**: `JSON.parse` and a `Map` lookup of the listener. Each round gets a fresh' +
        ` Connection (seqs restart) and a forced GC before it; ${WARMUP} warm-up rounds per variant, then` +
        ` ${ROUNDS} measured rounds per variant, interleaved (alternating which goes first).`,
      '',
      markdownTable(header, cells),
      '',
      `Ratio: ${ratioText}.`,
      '',
      `Target: engine throughput ≥ ${TARGET_RATIO} × baseline — **${pass ? 'PASS' : 'MISS'}** (×${ratio.toFixed(2)}).`,
      '',
      `Note: ${load}`,
    ].join('\n');
    await writeSection('core', body);
    console.log('bench:core: BENCHMARKS.md updated.');
  }
}

main()
  .catch((error) => {
    console.error('bench:core: could not run:', error);
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(watchdog));
