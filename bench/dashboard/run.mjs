// LiveTimeSeries frame cost in Chromium: one chart in data-props mode with 1 000 and 10 000 points in
// its window while new points arrive, with downsampling (the default, `minmax` to the plot's width) and
// without (`downsample="none"`). Per configuration: React Profiler actualDuration of each commit and
// rAF-to-rAF frame time. Prints a table and rewrites its section of BENCHMARKS.md. Exit code 0
// whenever it ran: a missed target is a finding, not a crash.
//
//   node bench/dashboard/run.mjs [--points 1000,10000] [--rate 1000] [--warmup 1500] [--duration 4000]
//                                [--repeats 2] [--no-write]
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  loadNote,
  machineLine,
  markdownTable,
  median,
  nowUtc,
  percentile,
  textTable,
  writeSection,
} from '../core/section.mjs';
import { describeMachine } from '../lib/machine.mjs';
import { buildAndServePage } from '../lib/build-page.mjs';
import { ask, bounded, chromiumPath, launchChromium, requireChromium, sleep, waitInPage } from '../lib/chromium.mjs';

const WHO = 'bench:dashboard';
const MODES = ['minmax', 'none'];
const WATCHDOG_MS = 170_000;

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '1000,10000' },
    rate: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '1500' },
    duration: { type: 'string', default: '4000' },
    repeats: { type: 'string', default: '2' },
    'no-write': { type: 'boolean', default: false },
  },
});
const pointCounts = args.points.split(',').map(Number);
const rate = Number(args.rate);
const warmupMs = Number(args.warmup);
const durationMs = Number(args.duration);
const repeats = Number(args.repeats);
if (pointCounts.some((n) => !(n >= 10)) || !(rate > 0) || !(durationMs > 0) || !(repeats >= 1)) {
  console.error(`${WHO}: --points takes numbers >= 10, --rate, --duration and --repeats positive numbers`);
  process.exit(2);
}
requireChromium(WHO);

const pageDir = fileURLToPath(new URL('./page/', import.meta.url));

async function measure(page, baseUrl, points, downsample) {
  const errors = [];
  const onError = (error) => errors.push(String(error?.message ?? error));
  page.on('pageerror', onError);
  try {
    await page.goto(`${baseUrl}?points=${points}&rate=${rate}&downsample=${downsample}`);
    await waitInPage(page, 'the chart to draw', () => window.__bench?.ready() === true);
    await sleep(warmupMs);
    await ask(page, 'start', () => window.__bench.start());
    await sleep(durationMs);
    const result = await ask(page, 'stop', () => window.__bench.stop());
    if (errors.length > 0) throw new Error(`page errors: ${errors.slice(0, 3).join(' | ')}`);
    return result;
  } finally {
    page.off('pageerror', onError);
    await page.goto('about:blank').catch(() => {});
  }
}

await bounded(WHO, WATCHDOG_MS, async (cleanups) => {
  const startedAt = Date.now();
  const machine = describeMachine(chromiumPath);
  const loadBefore = os.loadavg()[0];
  const siteUrl = await buildAndServePage(WHO, pageDir, cleanups);
  const browser = await launchChromium();
  cleanups.push(browser.close);

  // Configurations in order, then in reverse order, so drift in machine load spreads over all of them.
  const configs = pointCounts.flatMap((points) => MODES.map((downsample) => ({ points, downsample })));
  const runs = new Map(
    configs.map((c) => [
      `${c.points}/${c.downsample}`,
      { ...c, frameMs: [], reactMs: [], commits: 0, elapsedMs: 0, drawn: 0, inWindow: 0 },
    ]),
  );
  const notes = [];
  for (let r = 0; r < repeats; r++) {
    for (const c of r % 2 === 0 ? configs : [...configs].reverse()) {
      process.stdout.write(`${WHO}: ${c.points} points, downsample ${c.downsample}… `);
      try {
        const res = await measure(browser.page, siteUrl, c.points, c.downsample);
        const run = runs.get(`${c.points}/${c.downsample}`);
        run.frameMs.push(...res.frameMs);
        run.reactMs.push(...res.reactMs);
        run.commits += res.commits;
        run.elapsedMs += res.elapsedMs;
        run.drawn = res.drawnPoints;
        run.inWindow = res.pointsInWindow;
        console.log(`${res.frameMs.length} frames, ${res.commits} commits`);
      } catch (error) {
        console.log('failed');
        notes.push(`${c.points} points, downsample ${c.downsample}, pass ${r + 1} did not complete: ${error.message}`);
      }
    }
  }

  const rows = [...runs.values()].map((run) => ({
    ...run,
    fps: (run.frameMs.length / run.elapsedMs) * 1000,
    commitsPerFrame: run.commits / run.frameMs.length,
    reactP50: median(run.reactMs),
    reactP95: percentile(run.reactMs, 0.95),
    frameP50: median(run.frameMs),
    frameP95: percentile(run.frameMs, 0.95),
  }));
  const ratios = pointCounts.map((points) => {
    const down = rows.find((r) => r.points === points && r.downsample === 'minmax');
    const raw = rows.find((r) => r.points === points && r.downsample === 'none');
    return { points, react: down.reactP50 / raw.reactP50, frame: down.frameP50 / raw.frameP50 };
  });

  const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '–');
  const header = [
    'points in window',
    'downsample',
    'points drawn',
    'fps',
    'frame ms p50',
    'frame ms p95',
    'React ms/frame p50',
    'React ms/frame p95',
    'commits/frame',
  ];
  const cells = rows.map((r) => [
    r.points.toLocaleString('en-US'),
    r.downsample === 'none' ? 'none' : 'minmax (default)',
    r.drawn.toLocaleString('en-US'),
    fmt(r.fps),
    fmt(r.frameP50),
    fmt(r.frameP95),
    fmt(r.reactP50),
    fmt(r.reactP95),
    fmt(r.commitsPerFrame),
  ]);
  const ratioLines = ratios.map(
    (q) =>
      `${q.points.toLocaleString('en-US')} points: downsampled ÷ undownsampled: frame time p50 ×${fmt(q.frame, 2)},` +
      ` React time per frame p50 ×${fmt(q.react, 2)}`,
  );
  const loadAfter = os.loadavg()[0];
  notes.unshift(loadNote(loadBefore, loadAfter, machine.cpus));

  console.log(`\n${textTable(header, cells)}\n`);
  for (const l of ratioLines) console.log(l);
  for (const n of notes) console.log(`note: ${n}`);

  if (!args['no-write']) {
    const body = [
      '## LiveTimeSeries frame cost in Chromium (`npm run bench:dashboard`)',
      '',
      `Measured ${nowUtc()} with \`node bench/dashboard/run.mjs\` (part of \`npm run bench\`) on` +
        ` ${machineLine(machine, { chromium: true })}.`,
      '',
      `One \`<LiveTimeSeries data={rows} width={800} height={300}>\` from @socketboard/dashboard (data-props mode,` +
        ` production build, react-dom/profiling), its window sized to hold the given number of points while` +
        ` ${rate.toLocaleString('en-US')} new points/s arrive: every animation frame the app appends the points due and` +
        ' hands the chart a new array of the last N rows. **minmax** is the default (downsampled to about the' +
        ' plot width in pixels, keeping each bucket’s first, last, min and max); **none** is `downsample="none"`,' +
        ' every point drawn. Each configuration runs in a freshly loaded page:' +
        ` ${warmupMs} ms warm-up, then ${durationMs} ms measured, ${repeats} pass(es) in alternating order, pooled.`,
      '',
      'Columns: _points drawn_ counts the vertices of the SVG line at the end of the window; _fps_ and _frame ms_' +
        ' come from requestAnimationFrame-to-requestAnimationFrame intervals (everything a frame cost: the app,' +
        ' React, recharts, layout and paint of the SVG, in software rendering); _React ms/frame_ sums the React' +
        ' Profiler `actualDuration` of the chart’s commits within each of those intervals; _commits/frame_ is how' +
        ' many commits of the chart one frame’s data update caused: the app’s own commit (the chart’s memoised' +
        ' plot skips it), the chart’s re-render with the new rows (the `data` prop is synced into its series in' +
        ' a layout effect), and two nested commits recharts 3 makes itself as its internal store catches up in' +
        ' layout effects; only the second and those two draw.',
      '',
      markdownTable(header, cells),
      '',
      'Ratios (below 1: downsampling saves that much):',
      '',
      ...ratioLines.map((l) => `- ${l}`),
      '',
      'Notes:',
      '',
      ...notes.map((n) => `- ${n}`),
    ].join('\n');
    await writeSection('dashboard', body);
    console.log(`${WHO}: BENCHMARKS.md updated.`);
  }
  console.log(`${WHO}: done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s.`);
});
