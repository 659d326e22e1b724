// `npm run bench`: every benchmark, one after the other, each bounded in time and on loopback only.
// Each prints its table and refreshes its section of BENCHMARKS.md. Builds the packages first when a
// dist/ is missing (a fresh clone after `npm ci`).
//
//   node bench/run.mjs [name …]   e.g. `npm run bench -- core soak` runs only those (names below)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Past this a benchmark is stopped; each also bounds itself well within it.
const BENCH_TIMEOUT_MS = 15 * 60_000;

const benches = [
  { key: 'size', name: 'bundle size', script: 'core/size.mjs' },
  { key: 'core', name: 'core routing throughput', script: 'core/run.mjs' },
  { key: 'react', name: 'react render (Chromium)', script: 'react/run.mjs' },
  { key: 'dashboard', name: 'LiveTimeSeries frame cost (Chromium)', script: 'dashboard/run.mjs' },
  { key: 'soak', name: 'memory soak (Chromium)', script: 'soak/run.mjs' },
  // Written separately; runs once it exists.
  { key: 'server', name: 'server fan-out', script: 'server/run.mjs', optional: true },
].filter((b) => !b.optional || existsSync(fileURLToPath(new URL(b.script, import.meta.url))));

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !benches.some((b) => b.key === w));
if (unknown.length > 0) {
  console.error(
    `bench: unknown benchmark(s) ${unknown.join(', ')}; choose from ${benches.map((b) => b.key).join(', ')}`,
  );
  process.exit(2);
}
const selected = wanted.length === 0 ? benches : benches.filter((b) => wanted.includes(b.key));

/** Every publishable workspace package must have its build output; a fresh clone has none. */
function missingBuilds() {
  const { workspaces } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return workspaces.filter((dir) => {
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    return pkg.private !== true && !existsSync(join(root, dir, pkg.main ?? 'dist/index.js'));
  });
}

const missing = missingBuilds();
if (missing.length > 0) {
  console.log(`bench: no build in ${missing.join(', ')}; running \`npm run build\` first.`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', timeout: 10 * 60_000 });
  if (build.status !== 0) {
    console.error(`bench: \`npm run build\` failed (${build.status ?? build.signal}); nothing benchmarked.`);
    process.exit(1);
  }
}

let failed = 0;
for (const bench of selected) {
  console.log(`\n=== ${bench.name} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL(bench.script, import.meta.url))], {
    stdio: 'inherit',
    timeout: BENCH_TIMEOUT_MS,
    killSignal: 'SIGTERM',
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${bench.name} exited with ${result.status ?? result.signal}`);
  } else {
    console.log(`(${bench.name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
}
if (failed > 0) console.error(`\nbench: ${failed} of ${selected.length} benchmark(s) failed to run.`);
process.exit(failed === 0 ? 0 : 1);
