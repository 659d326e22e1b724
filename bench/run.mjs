// `npm run bench`: every benchmark, one after the other, each bounded in time and on loopback only.
// Each prints its table and refreshes its section of BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benches = [{ name: 'react render (Chromium)', script: 'react/run.mjs' }];

let failed = 0;
for (const bench of benches) {
  console.log(`\n=== ${bench.name} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(new URL(bench.script, import.meta.url))], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${bench.name} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
