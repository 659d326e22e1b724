// Memory soak in Chromium: a small live dashboard (provider, hooks, a LiveTimeSeries, the health panel)
// fed 5 000 msg/s by a local ws server for several minutes. Every minute: a forced GC through the
// DevTools protocol, then the JS heap in use, DOM nodes and event listeners. Reports the samples and the
// slope of a least-squares line over the samples after the first, in % of the first sample per minute.
// Prints a table and rewrites its section of BENCHMARKS.md. Exit code 0 whenever it ran.
//
//   node bench/soak/run.mjs [--minutes 4] [--rate 5000] [--warmup 20] [--every 60] [--no-write]
//   (--warmup and --every in seconds)
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { linearFit, loadNote, machineLine, markdownTable, nowUtc, textTable, writeSection } from '../core/section.mjs';
import { buildAndServePage } from '../lib/build-page.mjs';
import { ask, bounded, chromiumPath, launchChromium, requireChromium, sleep } from '../lib/chromium.mjs';
import { describeMachine } from '../lib/machine.mjs';
import { startStreamServer } from '../react/stream-server.mjs';

const WHO = 'bench:soak';
const TARGET_PCT_PER_MIN = 5;
const CHANNELS = Array.from({ length: 10 }, (_, i) => `c${i}`); // as in page/main.tsx
const CDP_TIMEOUT_MS = 30_000;
const READINGS = 3;
const READING_GAP_MS = 500;
// Before each sample the feed pauses until the page has taken in what was sent, at most this long.
const SETTLE_MAX_MS = 10_000;
const SETTLE_POLL_MS = 250;

const { values: args } = parseArgs({
  options: {
    minutes: { type: 'string', default: '4' },
    rate: { type: 'string', default: '5000' },
    warmup: { type: 'string', default: '45' },
    every: { type: 'string', default: '60' },
    'no-write': { type: 'boolean', default: false },
  },
});
const minutes = Number(args.minutes);
const rate = Number(args.rate);
const warmupS = Number(args.warmup);
const everyS = Number(args.every);
if (!(minutes > 0) || !(rate > 0) || !(warmupS >= 0) || !(everyS >= 5)) {
  console.error(`${WHO}: --minutes and --rate take positive numbers, --warmup >= 0, --every >= 5 (seconds)`);
  process.exit(2);
}
requireChromium(WHO);
const sampleCount = Math.floor((minutes * 60) / everyS) + 1;
// Build, launch and the samples (each a GC that may wait behind a busy main thread), with room to spare.
const WATCHDOG_MS =
  (warmupS + minutes * 60 + 120) * 1000 +
  sampleCount * (SETTLE_MAX_MS + READINGS * READING_GAP_MS + 2 * CDP_TIMEOUT_MS);

const pageDir = fileURLToPath(new URL('./page/', import.meta.url));
const mb = (bytes) => (bytes / 2 ** 20).toFixed(2);

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took over ${CDP_TIMEOUT_MS} ms`)), CDP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The heap after a forced GC, three times half a second apart, keeping the smallest: in-flight work
 * (a render, a message being handled) is not retained memory.
 */
async function heapAfterGc(cdp) {
  let best;
  for (let i = 0; i < READINGS; i++) {
    if (i > 0) await sleep(READING_GAP_MS);
    await withTimeout(cdp.send('HeapProfiler.collectGarbage'), 'a forced GC');
    const heap = await withTimeout(cdp.send('Runtime.getHeapUsage'), 'reading the heap');
    if (best === undefined || heap.usedSize < best.usedSize) best = heap;
  }
  return best;
}

const received = (page) => ask(page, 'received', () => window.__soak?.received() ?? 0, undefined, CDP_TIMEOUT_MS);

/** Waits until the page has taken in everything sent (its count holds still); false if it never did. */
async function settle(page) {
  const deadline = Date.now() + SETTLE_MAX_MS;
  let previous = await received(page);
  while (Date.now() < deadline) {
    await sleep(SETTLE_POLL_MS);
    const now = await received(page);
    if (now === previous) return true;
    previous = now;
  }
  return false;
}

async function sample(cdp, page, startedAt, settled) {
  const heap = await heapAfterGc(cdp);
  const { metrics } = await withTimeout(cdp.send('Performance.getMetrics'), 'reading the page metrics');
  const metric = (name) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  return {
    atMin: (Date.now() - startedAt) / 60_000,
    used: heap.usedSize,
    total: heap.totalSize,
    nodes: metric('Nodes'),
    listeners: metric('JSEventListeners'),
    received: await received(page),
    settled,
  };
}

await bounded(WHO, WATCHDOG_MS, async (cleanups) => {
  const machine = describeMachine(chromiumPath);
  const loadBefore = os.loadavg()[0];
  const siteUrl = await buildAndServePage(WHO, pageDir, cleanups);
  const stream = await startStreamServer(CHANNELS);
  cleanups.push(stream.close);
  const browser = await launchChromium();
  cleanups.push(browser.close);
  const { page } = browser;
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error?.message ?? error)));

  await page.goto(`${siteUrl}?ws=${encodeURIComponent(stream.url)}`);
  await stream.waitForSubscriber(CHANNELS, 15_000);
  // The feed pauses around each sample (see settle()); sent counts only what went out after the first.
  let feed = stream.stream(rate);
  const sent = { count: 0, streamingMs: 0, maxBufferedBytes: 0, counting: false };
  const pauseFeed = () => {
    if (feed === undefined) return;
    const part = feed.stop();
    feed = undefined;
    sent.maxBufferedBytes = Math.max(sent.maxBufferedBytes, part.maxBufferedBytes);
    if (!sent.counting) return;
    sent.count += part.sent + CHANNELS.length; // stop() sends one last value per channel
    sent.streamingMs += part.elapsedMs;
  };
  cleanups.push(async () => pauseFeed());
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  console.log(
    `${WHO}: streaming ${rate.toLocaleString('en-US')} msg/s; ${warmupS} s warm-up, then a sample every ${everyS} s for ${minutes} min…`,
  );
  await sleep(warmupS * 1000);

  const startedAt = Date.now();
  const samples = [];
  for (let i = 0; i < sampleCount; i++) {
    const due = startedAt + i * everyS * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
    pauseFeed();
    const s = await sample(cdp, page, startedAt, await settle(page));
    samples.push(s);
    sent.counting = true;
    if (i < sampleCount - 1) feed = stream.stream(rate);
    console.log(
      `${WHO}: ${s.atMin.toFixed(1)} min: heap ${mb(s.used)} MB used of ${mb(s.total)} MB, ${s.nodes} DOM nodes,` +
        ` ${s.listeners} listeners, ${s.received.toLocaleString('en-US')} messages received` +
        (s.settled ? '' : ' (the page was still taking in a backlog)'),
    );
  }
  const status = await ask(page, 'status', () => window.__soak?.status() ?? 'unknown').catch(() => 'unknown');
  const loadAfter = os.loadavg()[0];

  const first = samples[0];
  const later = samples.slice(1);
  const { slope } = linearFit(
    later.map((s) => s.atMin),
    later.map((s) => s.used),
  );
  const slopePct = (slope / first.used) * 100;
  const last = samples.at(-1);
  // A leak grows the heap; a heap that shrinks over the run is not what this target is about.
  const pass = Number.isFinite(slopePct) && slopePct <= TARGET_PCT_PER_MIN;
  const receivedCount = last.received - first.received;
  const sentRate = sent.streamingMs > 0 ? (sent.count / sent.streamingMs) * 1000 : Number.NaN;
  const unsettled = samples.filter((s) => !s.settled).length;

  const header = [
    'sample',
    'minute',
    'JS heap used MB',
    'JS heap total MB',
    'DOM nodes',
    'JS listeners',
    'messages received',
    'page idle at sample',
  ];
  const cells = samples.map((s, i) => [
    String(i),
    s.atMin.toFixed(2),
    mb(s.used),
    mb(s.total),
    String(s.nodes),
    String(s.listeners),
    s.received.toLocaleString('en-US'),
    s.settled ? 'yes' : 'no (backlog)',
  ]);
  const slopeText =
    `slope over samples 1–${samples.length - 1}: ${slopePct >= 0 ? '+' : ''}${slopePct.toFixed(2)} % of the first sample per minute` +
    ` (${slope >= 0 ? '+' : ''}${(slope / 1024).toFixed(0)} KiB/min); last ÷ first: ×${(last.used / first.used).toFixed(3)}`;
  const notes = [
    loadNote(loadBefore, loadAfter, machine.cpus),
    `between the first and the last sample the server sent ${sent.count.toLocaleString('en-US')} messages` +
      ` (${Math.round(sentRate).toLocaleString('en-US')} msg/s while streaming) and the page took in` +
      ` ${receivedCount.toLocaleString('en-US')}` +
      (receivedCount < 0.95 * sent.count
        ? ': the page could not keep up on this machine, so it ran at the rate it could take, with a backlog'
        : '') +
      `; most data waiting in the server's socket buffer: ${mb(sent.maxBufferedBytes)} MB; connection status at the end: ${status}.`,
  ];
  if (unsettled > 0) {
    notes.push(
      `at ${unsettled} of ${samples.length} samples the page was still taking in a backlog when measured, so those` +
        ' include messages in flight and scatter by a megabyte or two: on a machine this busy the slope is a rough figure.',
    );
  }
  if (errors.length > 0) notes.push(`page errors: ${errors.slice(0, 3).join(' | ')}`);

  console.log(`\n${textTable(header, cells)}\n`);
  console.log(slopeText);
  console.log(
    `${pass ? 'PASS' : 'MISS'}  target: growth at most ${TARGET_PCT_PER_MIN} %/min (measured ${slopePct.toFixed(2)} %/min)`,
  );
  for (const n of notes) console.log(`note: ${n}`);

  if (!args['no-write']) {
    const body = [
      '## Memory soak in Chromium (`npm run bench:soak`)',
      '',
      `Measured ${nowUtc()} with \`node bench/soak/run.mjs --minutes ${minutes}\` (part of \`npm run bench\`) on` +
        ` ${machineLine(machine, { chromium: true })}.`,
      '',
      `A page with \`<SocketProvider url>\`, a value cell per channel (\`useChannel(ch, { select })\`, 10 channels),` +
        ' a `<LiveTimeSeries channel="c0">`, `<ConnectionStatus>` and `<ConnectionHealthPanel>` (production build),' +
        ` fed ${rate.toLocaleString('en-US')} msg/s by a \`ws\` server on 127.0.0.1 (protocol-v1 \`msg\` frames round-robin` +
        ` over the channels). Every bounded buffer is sized to fill within the ${warmupS} s warm-up (the connection's` +
        ' metrics ring: 30 samples at 1 s; the chart: 2 000 points over 30 s), so what follows is the steady state.' +
        ` Then a sample every ${everyS} s for ${minutes} min: the feed pauses until the page has taken in everything` +
        ` sent (at most ${SETTLE_MAX_MS / 1000} s; the buffers stay full), then \`HeapProfiler.collectGarbage\` through the DevTools` +
        ` protocol and \`Runtime.getHeapUsage\`, ${READINGS} times ${READING_GAP_MS / 1000} s apart, keeping the smallest` +
        ' (in-flight work is not retained memory), and `Performance.getMetrics` (DOM nodes, JS event listeners).',
      '',
      markdownTable(header, cells),
      '',
      `Growth: ${slopeText}.`,
      '',
      `Target: heap flat, growing at most ${TARGET_PCT_PER_MIN} % of the first sample per minute — **${pass ? 'PASS' : 'MISS'}**` +
        ` (${slopePct.toFixed(2)} %/min).`,
      '',
      'Notes:',
      '',
      ...notes.map((n) => `- ${n}`),
    ].join('\n');
    await writeSection('soak', body);
    console.log(`${WHO}: BENCHMARKS.md updated.`);
  }
});
