// Shared by the core, dashboard, soak and bundle-size benchmarks: statistics, tables, and rewriting
// one marked section of BENCHMARKS.md (the React benchmark's report.mjs does the same for its own).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

export const BENCHMARKS_MD = fileURLToPath(new URL('../../BENCHMARKS.md', import.meta.url));

/** Nearest-rank percentile of `values` (q in [0, 1]); NaN for none. */
export function percentile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const median = (values) => percentile(values, 0.5);

/** Least-squares line through (x, y): `{ slope, intercept }`; slope NaN with fewer than two points. */
export function linearFit(xs, ys) {
  const n = xs.length;
  if (n < 2) return { slope: Number.NaN, intercept: ys[0] ?? Number.NaN };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? Number.NaN : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Fixed-width text table: first column left-aligned, the others right-aligned. */
export function textTable(header, rows) {
  const cells = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => String(row[i]).length)));
  return cells
    .map((row) => row.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '))
    .join('\n');
}

export function markdownTable(header, rows) {
  const line = (row) => `| ${row.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** "2 × Xeon …, 23.5 GiB, Linux …, Node v20…" (plus Chromium when the benchmark used it). */
export function machineLine(machine, { chromium = false } = {}) {
  return (
    `${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}` +
    (chromium ? `, ${machine.chromium} (headless, software rendering)` : '')
  );
}

export const nowUtc = () => new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

/** A note on how busy the machine was; every figure here is a ratio taken within one run for that reason. */
export function loadNote(before, after, cpus) {
  const text = `1-min load average ${before.toFixed(1)} before and ${after.toFixed(1)} after the run on ${cpus} CPUs`;
  return Math.max(before, after) > cpus / 2
    ? `${text}: the machine was busy with other work, so absolute figures are pessimistic; the ratios compare variants measured side by side in the same run.`
    : `${text}.`;
}

/**
 * Replaces the section of BENCHMARKS.md between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->`
 * with `body` (appended when the markers are missing), leaving every other section alone.
 */
export async function writeSection(name, body, file = BENCHMARKS_MD) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = '# Benchmarks\n\nFigures from `npm run bench*`, each section rewritten by its own benchmark.\n';
  }
  const section = `${start}\n\n${body.trim()}\n\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  const next =
    from >= 0 && to > from
      ? text.slice(0, from) + section + text.slice(to + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  // Formatted as the repository's `format:check` expects.
  const config = (await prettier.resolveConfig(file)) ?? {};
  await writeFile(file, await prettier.format(next, { ...config, filepath: file }));
}
