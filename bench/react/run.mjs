// React render benchmark: the same 50-cell board plus a streaming chart, on @socketboard/react and on a
// naive context+useState provider, in headless Chromium at several message rates. Prints a table and
// rewrites its section of BENCHMARKS.md. Exit code 0 whenever it ran: missed targets are findings.
//
//   node bench/react/run.mjs [--rates 500,2000,10000] [--variants socketboard,naive,ws-only]
//                            [--warmup 1000] [--duration 5000] [--settle 500] [--no-write]
//                            [--parts all|cells|chart]   (diagnosis; only `all` writes BENCHMARKS.md)
//                            [--no-batch]   (one WebSocket message per frame instead of one per 5 ms burst)
// Raw figures of the last run: bench/.out/react-results.json. CHROMIUM_PATH overrides /usr/bin/chromium.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildAndServePage } from '../lib/build-page.mjs';
import { ask, bounded, chromiumPath, launchChromium, requireChromium, sleep } from '../lib/chromium.mjs';
import { cpuPercent, sampleChromiumCpu } from './chromium-cpu.mjs';
import { describeMachine } from '../lib/machine.mjs';
import {
  comparisons,
  judgeTargets,
  markdownSection,
  summarize,
  textTable,
  transportCeilings,
  writeSection,
} from './report.mjs';
import { startStreamServer } from './stream-server.mjs';

const WHO = 'bench:react';
const CHANNELS = Array.from({ length: 10 }, (_, i) => `c${i}`); // as in page/board.tsx
const CHART_CHANNEL = 'c0';
// ws-only calibrates: the same socket and parsing with no React, i.e. what the browser can take in.
const VARIANTS = ['socketboard', 'naive', 'ws-only'];
// The whole run must stay under 3 minutes; past this, whatever is running is abandoned.
const WATCHDOG_MS = 170_000;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = join(repoRoot, 'bench', '.out');
const pageDir = fileURLToPath(new URL('./page/', import.meta.url));

const { values: args } = parseArgs({
  options: {
    rates: { type: 'string', default: '500,2000,10000' },
    variants: { type: 'string', default: VARIANTS.join(',') },
    warmup: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '5000' },
    settle: { type: 'string', default: '500' },
    // Diagnosis: 'cells' or 'chart' renders only that part (stale/chart checks then report it missing).
    parts: { type: 'string', default: 'all' },
    'no-write': { type: 'boolean', default: false },
    // Each 5 ms burst as one protocol-v1 batch per page, as @socketboard/server sends (its default).
    batch: { type: 'boolean', default: true },
    'no-batch': { type: 'boolean', default: false },
  },
});
const rates = args.rates.split(',').map(Number);
const variants = args.variants.split(',');
const options = {
  warmupMs: Number(args.warmup),
  durationMs: Number(args.duration),
  settleMs: Number(args.settle),
  batch: args.batch && !args['no-batch'],
};
if (rates.some((r) => !(r > 0)) || variants.some((v) => !VARIANTS.includes(v))) {
  console.error(`${WHO}: --rates takes positive numbers and --variants some of ${VARIANTS.join(', ')}`);
  process.exit(2);
}

requireChromium(WHO);

async function runOne(page, profileDir, baseUrl, stream, variant, rate) {
  const errors = [];
  const onError = (error) => errors.push(String(error?.message ?? error));
  const onConsole = (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  };
  page.on('pageerror', onError);
  page.on('console', onConsole);
  let feed;
  try {
    await page.goto(`${baseUrl}?variant=${variant}&parts=${args.parts}&ws=${encodeURIComponent(stream.url)}`);
    await stream.waitForSubscriber(
      args.parts === 'chart' && variant !== 'ws-only' ? [CHART_CHANNEL] : CHANNELS,
      10_000,
    );
    feed = stream.stream(rate);
    await sleep(options.warmupMs);
    await ask(page, 'start', () => window.__bench.start());
    const cpuBefore = sampleChromiumCpu(profileDir);
    const cpuFrom = performance.now();
    await sleep(options.durationMs);
    const window_ = await ask(page, 'stop', () => window.__bench.stop());
    const cpu = cpuPercent(cpuBefore, sampleChromiumCpu(profileDir), performance.now() - cpuFrom);
    const sent = feed.stop();
    feed = undefined;
    await sleep(options.settleMs);
    const check = await ask(page, 'check', (finals) => window.__bench.check(finals), sent.finalValues);
    return { variant, rate, stream: sent, window: window_, check, cpu, errors };
  } finally {
    feed?.stop();
    page.off('pageerror', onError);
    page.off('console', onConsole);
    // Leave the page so its socket closes before the next run streams.
    await page.goto('about:blank').catch(() => {});
    await stream.waitForNoClients(5_000).catch(() => {});
  }
}

await bounded(WHO, WATCHDOG_MS, async (cleanups) => {
  const startedAt = Date.now();
  const machine = describeMachine(chromiumPath);
  // Other work on the machine skews wall-clock figures; the load average tells a reader how noisy the run was.
  const loadBefore = os.loadavg()[0];
  const siteUrl = await buildAndServePage(WHO, pageDir, cleanups);
  const stream = await startStreamServer(CHANNELS, { batch: options.batch });
  cleanups.push(stream.close);
  const browser = await launchChromium();
  cleanups.push(browser.close);
  const { page, profileDir } = browser;

  const rows = [];
  const notes = [];
  for (const rate of rates) {
    for (const variant of variants) {
      process.stdout.write(`${WHO}: ${variant} at ${rate} msg/s… `);
      try {
        const row = summarize(await runOne(page, profileDir, siteUrl, stream, variant, rate), CHART_CHANNEL);
        rows.push(row);
        console.log(`${row.fps.toFixed(1)} fps, p95 ${row.p95} ms`);
        if (row.errors.length > 0)
          notes.push(`${variant} at ${rate} msg/s: page errors: ${row.errors.slice(0, 3).join(' | ')}`);
      } catch (error) {
        console.log('failed');
        notes.push(`${variant} at ${rate} msg/s did not complete: ${error.message}`);
      }
    }
  }

  const loadAfter = os.loadavg()[0];
  const load = `1-min load average ${loadBefore.toFixed(1)} before and ${loadAfter.toFixed(1)} after the run on ${machine.cpus} CPUs`;
  notes.unshift(
    Math.max(loadBefore, loadAfter) > machine.cpus / 2
      ? `${load}: the machine was busy with other work, so these figures are pessimistic; compare variants within the run.`
      : `${load}.`,
  );
  notes.push(...transportCeilings(rows));
  const targets = judgeTargets(rows);
  console.log(`\n${textTable(rows)}\n`);
  for (const line of comparisons(rows)) console.log(line);
  if (targets !== undefined) {
    console.log('Targets, socketboard at 10,000 msg/s:');
    for (const t of targets) console.log(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.label} (measured: ${t.measured})`);
  }
  for (const n of notes) console.log(`note: ${n}`);

  const date = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const json = { date, machine, options, rows, targets, notes };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, 'react-results.json'), `${JSON.stringify(json, null, 2)}\n`);
  if (!args['no-write'] && args.parts === 'all') {
    const command = 'npm run bench:react';
    await writeSection(join(repoRoot, 'BENCHMARKS.md'), markdownSection({ ...json, command }));
    console.log(`${WHO}: BENCHMARKS.md updated.`);
  }
  console.log(`${WHO}: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
});
