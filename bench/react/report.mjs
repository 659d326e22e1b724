import { readFile, writeFile } from 'node:fs/promises';
import * as prettier from 'prettier';

export const TARGET_RATE = 10_000;
export const TARGETS = [
  { label: 'fps >= 58', check: (r) => r.fps >= 58, measured: (r) => `${r.fps.toFixed(1)} fps` },
  { label: 'latency p95 <= 33 ms', check: (r) => r.p95 <= 33, measured: (r) => `${fmtMs(r.p95)} ms` },
  { label: 'no stale value', check: (r) => r.stale === 0, measured: (r) => `${r.stale}/${r.cells} stale` },
  {
    label: 'chart misses nothing (last point = last value sent)',
    check: (r) => r.chartOk,
    measured: (r) => (r.chartOk ? 'last point shown' : 'last point missing'),
  },
];

const COLUMNS = [
  ['variant', (r) => r.variant],
  ['target msg/s', (r) => fmtInt(r.rate)],
  ['sent msg/s', (r) => fmtInt(r.sentPerSec)],
  ['received msg/s', (r) => fmtInt(r.receivedPerSec)],
  ['fps', (r) => r.fps.toFixed(1)],
  ['long frames', (r) => String(r.longFrames)],
  ['commits/s', (r) => r.commitsPerSec.toFixed(1)],
  ['React ms/s', (r) => r.renderMsPerSec.toFixed(0)],
  ['latency p50 ms', (r) => fmtMs(r.p50)],
  ['latency p95 ms', (r) => fmtMs(r.p95)],
  ['to frame p95 ms', (r) => fmtMs(r.frameP95)],
  ['renderer CPU %', (r) => fmtPct(r.cpu?.renderer)],
  ['Chromium CPU %', (r) => fmtPct(r.cpu?.total)],
  ['stale values', (r) => (r.cells === 0 ? '–' : `${r.stale}/${r.cells}`)],
  ['chart last point', (r) => (r.variant === 'ws-only' ? '–' : r.chartOk ? 'ok' : 'missing')],
];

const fmtInt = (n) => Math.round(n).toLocaleString('en-US');
const fmtPct = (n) => (n === undefined ? '–' : n.toFixed(0));
const fmtMs = (n) => (Number.isFinite(n) ? String(n) : '–');

/** Turns a run's raw figures into one table row's numbers. */
export function summarize({ variant, rate, stream, window: w, check, cpu, errors }, chartChannel) {
  const perSec = (n) => (n / w.elapsedMs) * 1000;
  return {
    variant,
    rate,
    sentPerSec: stream.perSec,
    receivedPerSec: perSec(w.received),
    fps: perSec(w.frames),
    longFrames: w.longFrames,
    maxFrameGapMs: Math.round(w.maxFrameGapMs),
    commitsPerSec: perSec(w.commits),
    renderMsPerSec: perSec(w.renderMs),
    p50: w.latency.p50,
    p95: w.latency.p95,
    latencyMax: w.latency.max,
    latencySamples: w.latency.count,
    frameP50: w.latencyToFrame.p50,
    frameP95: w.latencyToFrame.p95,
    stale: check.stale,
    cells: check.cells,
    chartOk: check.chartLast === stream.finalValues[chartChannel],
    serverMaxBufferedBytes: stream.maxBufferedBytes,
    cpu,
    errors,
  };
}

export function markdownTable(rows) {
  const head = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const rule = `| ${COLUMNS.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`;
  const body = rows.map((r) => `| ${COLUMNS.map(([, f]) => f(r)).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export function textTable(rows) {
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  return cells
    .map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '))
    .join('\n');
}

/** PASS/MISS per target for the socketboard variant at the target rate; undefined when it did not run. */
export function judgeTargets(rows) {
  const row = rows.find((r) => r.variant === 'socketboard' && r.rate === TARGET_RATE);
  if (row === undefined) return undefined;
  return TARGETS.map((t) => ({ label: t.label, pass: t.check(row), measured: t.measured(row) }));
}

/** One line per rate: socketboard's figures as ratios of the naive baseline's, measured in the same run. */
export function comparisons(rows) {
  const lines = [];
  for (const sb of rows.filter((r) => r.variant === 'socketboard')) {
    const naive = rows.find((r) => r.variant === 'naive' && r.rate === sb.rate);
    if (naive === undefined) continue;
    const ratio = (a, b) => (b > 0 && Number.isFinite(a) ? `×${(a / b).toFixed(2)}` : 'n/a');
    lines.push(
      `at ${fmtInt(sb.rate)} msg/s, socketboard ÷ naive: fps ${ratio(sb.fps, naive.fps)},` +
        ` commits ${ratio(sb.commitsPerSec, naive.commitsPerSec)}, React time ${ratio(sb.renderMsPerSec, naive.renderMsPerSec)},` +
        ` latency p95 ${ratio(sb.p95, naive.p95)}, to-frame p95 ${ratio(sb.frameP95, naive.frameP95)}`,
    );
  }
  return lines;
}

/** Rates at which even the ws-only page could not take the stream in: no React variant can do better there. */
export function transportCeilings(rows) {
  return rows
    .filter((r) => r.variant === 'ws-only' && r.receivedPerSec < 0.95 * r.sentPerSec)
    .map(
      (r) =>
        `at ${fmtInt(r.rate)} msg/s the ws-only page (no React) took in only ${fmtInt(r.receivedPerSec)} msg/s at` +
        ` ${r.fps.toFixed(1)} fps: this browser on this machine cannot carry the stream, so misses at this rate` +
        " are not the render model's.",
    );
}

const START = '<!-- bench:react:start -->';
const END = '<!-- bench:react:end -->';

export function markdownSection({ date, machine, command, options, rows, targets, notes }) {
  const lines = [
    START,
    '## React render cost in Chromium (`npm run bench:react`)',
    '',
    `Measured ${date} with \`${command}\` on ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB,` +
      ` ${machine.os}, Node ${machine.node}, ${machine.chromium} (headless, software rendering).`,
    '',
    `50 value components on 10 channels (5 per channel) and one recharts LineChart of the last 300 values of one` +
      ` channel, fed by a \`ws\` server on 127.0.0.1 streaming protocol-v1 \`msg\` frames round-robin over the 10` +
      ` channels in bursts every 5 ms, ${
        options.batch === false
          ? 'one WebSocket message per frame (`--no-batch`)'
          : 'each burst sent to the page as one WebSocket message holding a JSON array of its frames' +
            ' (a protocol-v1 batch, as @socketboard/server sends by default)'
      }. Each variant × rate runs in a freshly loaded page: ${options.warmupMs} ms warm-up, then` +
      ` a ${options.durationMs} ms window; then the server sends one last value per channel, and ${options.settleMs} ms` +
      ` later the page is checked for stale values.`,
    '',
    '- **socketboard**: `<SocketProvider url>` from @socketboard/react; each cell `useChannel(ch, { select: (s) => s.data })`' +
      " (default `deliver: 'frame'`), the chart `useChannel(ch, { history: 300 })`.",
    '- **naive**: a context provider holding `useState` of the last message per channel, set on every message' +
      ' (`setMessages(m => ({ ...m, [ch]: msg }))`); cells read the context; the chart keeps its last 300 values' +
      ' in `useState`, set on every message.',
    '- **ws-only**: calibration, no React: the same socket, `JSON.parse` of each WebSocket message and the' +
      ' latency of each of its frames on arrival. What the browser and machine can take in at that rate.',
    '',
    'Columns: *sent* is the rate the server achieved, *received* what the page took in during the window; *fps* is' +
      ' requestAnimationFrame callbacks per second; *long frames* are gaps over 50 ms between frames; *commits/s*' +
      ' and *React ms/s* come from a `<Profiler>` around the whole tree (production build of react-dom/profiling);' +
      " *latency* is from the server's `Date.now()` at send to the layout effect of the commit that shows the value" +
      ' (same machine, same clock), over every value shown; *to frame* adds the wait for the frame that shows' +
      ' that commit (socketboard commits inside the frame, the naive provider between frames); *CPU %* is CPU' +
      " time used during the window in % of one core, by the page's renderer and by all Chromium processes" +
      ' (on a busy machine, what they were given rather than what they wanted); *stale values*' +
      " counts cells not showing their channel's last value; *chart last point* whether the chart shows the" +
      ' last value sent on its channel.',
    '',
    markdownTable(rows),
    '',
  ];
  const cmp = comparisons(rows);
  if (cmp.length > 0)
    lines.push('Ratios (below 1 is fewer/lower for socketboard):', '', ...cmp.map((l) => `- ${l}`), '');
  if (targets === undefined) {
    lines.push(`Targets not judged: socketboard did not run at ${fmtInt(TARGET_RATE)} msg/s.`);
  } else {
    lines.push(`Targets, socketboard at ${fmtInt(TARGET_RATE)} msg/s:`, '');
    lines.push(...targets.map((t) => `- ${t.pass ? 'PASS' : 'MISS'}: ${t.label} (measured: ${t.measured})`));
  }
  if (notes.length > 0) lines.push('', 'Notes:', '', ...notes.map((n) => `- ${n}`));
  lines.push(END);
  return lines.join('\n');
}

/** Replaces this benchmark's section of BENCHMARKS.md (between its markers), or appends it. */
export async function writeSection(file, section) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = '# Benchmarks\n\nFigures from `npm run bench*`, each section rewritten by its own benchmark.\n';
  }
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next =
    start >= 0 && end > start
      ? text.slice(0, start) + section + text.slice(end + END.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  // Formatted as the repository's `format:check` expects.
  const config = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(next, { ...config, filepath: file }));
}
