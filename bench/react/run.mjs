// React render benchmark: the same 50-cell board plus a streaming chart, on @socketboard/react and on a
// naive context+useState provider, in headless Chromium at several message rates. Prints a table and
// rewrites its section of BENCHMARKS.md. Exit code 0 whenever it ran: missed targets are findings.
//
//   node bench/react/run.mjs [--rates 500,2000,10000] [--variants socketboard,naive,ws-only]
//                            [--warmup 1000] [--duration 5000] [--settle 500] [--no-write]
//                            [--parts all|cells|chart]   (diagnosis; only `all` writes BENCHMARKS.md)
// Raw figures of the last run: bench/.out/react-results.json. CHROMIUM_PATH overrides /usr/bin/chromium.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { buildPage } from './build-page.mjs';
import { cpuPercent, sampleChromiumCpu } from './chromium-cpu.mjs';
import { describeMachine } from './machine.mjs';
import {
  comparisons,
  judgeTargets,
  markdownSection,
  summarize,
  textTable,
  transportCeilings,
  writeSection,
} from './report.mjs';
import { serveStatic } from './static-server.mjs';
import { startStreamServer } from './stream-server.mjs';

const CHANNELS = Array.from({ length: 10 }, (_, i) => `c${i}`); // as in page/board.tsx
const CHART_CHANNEL = 'c0';
// ws-only calibrates: the same socket and parsing with no React, i.e. what the browser can take in.
const VARIANTS = ['socketboard', 'naive', 'ws-only'];
// The whole run must stay under 3 minutes; past this, whatever is running is abandoned.
const WATCHDOG_MS = 170_000;
const PAGE_ANSWER_MS = 20_000;

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const resultsDir = join(repoRoot, 'bench', '.out');

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
  },
});
const rates = args.rates.split(',').map(Number);
const variants = args.variants.split(',');
const options = { warmupMs: Number(args.warmup), durationMs: Number(args.duration), settleMs: Number(args.settle) };
if (rates.some((r) => !(r > 0)) || variants.some((v) => !VARIANTS.includes(v))) {
  console.error(`bench:react: --rates takes positive numbers and --variants some of ${VARIANTS.join(', ')}`);
  process.exit(2);
}

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromiumPath)) {
  console.error(
    `bench:react: no Chromium at ${chromiumPath}. Install it (Debian: apt-get install chromium) or set ` +
      'CHROMIUM_PATH to a Chromium/Chrome binary. This benchmark never downloads a browser.',
  );
  process.exit(1);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** page.evaluate that gives up when the page's main thread is too busy to answer. */
async function ask(page, what, fn, arg) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the page did not answer "${what}" within ${PAGE_ANSWER_MS} ms`)),
      PAGE_ANSWER_MS,
    );
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

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

async function main() {
  const startedAt = Date.now();
  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length > 0)
      await cleanups
        .pop()()
        .catch(() => {});
  };
  const abort = (why) => {
    console.error(`bench:react: ${why}; closing the browser and servers.`);
    void cleanup().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort(`still running after ${WATCHDOG_MS / 1000} s`), WATCHDOG_MS);
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));
  // Output piped into `head` and the like: a closed pipe must not skip the cleanup.
  process.stdout.on('error', () => {});

  try {
    const machine = describeMachine(chromiumPath);
    // Other work on the machine skews wall-clock figures; the load average tells a reader how noisy the run was.
    const loadBefore = os.loadavg()[0];
    console.log(`bench:react: building the page…`);
    // Built outside the repository, so linters and formatters never see the bundle.
    const outDir = await mkdtemp(join(os.tmpdir(), 'socketboard-bench-page-'));
    cleanups.push(() => rm(outDir, { recursive: true, force: true }));
    await buildPage(outDir);

    const site = await serveStatic(outDir);
    cleanups.push(site.close);
    const stream = await startStreamServer(CHANNELS);
    cleanups.push(stream.close);
    const profileDir = await mkdtemp(join(os.tmpdir(), 'socketboard-bench-'));
    cleanups.push(() => rm(profileDir, { recursive: true, force: true }));
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      // Our own handlers close the browser and then remove its profile.
      handleSIGINT: false,
      handleSIGTERM: false,
      viewport: { width: 1280, height: 720 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    cleanups.push(() => context.close());
    const page = context.pages()[0] ?? (await context.newPage());

    const rows = [];
    const notes = [];
    for (const rate of rates) {
      for (const variant of variants) {
        process.stdout.write(`bench:react: ${variant} at ${rate} msg/s… `);
        try {
          const row = summarize(await runOne(page, profileDir, site.url, stream, variant, rate), CHART_CHANNEL);
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
      console.log('bench:react: BENCHMARKS.md updated.');
    }
    console.log(`bench:react: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}

main().catch((error) => {
  console.error('bench:react: could not run:', error);
  process.exitCode = 1;
});
