// Bundle sizes (min + gzip) of the built packages, through size-limit and the budgets in
// .size-limit.json (the same check `npm run size` makes in `npm test`). Prints a table and rewrites the
// "Bundle size" section of BENCHMARKS.md with each budget and the target next to the measured
// size. Exit code 0 whenever it measured: budgets are enforced by `npm run size`, not here.
//
//   node bench/core/size.mjs [--no-write] [--set-budgets]
//
// --set-budgets rewrites every limit in .size-limit.json to the size measured now plus 5 %, rounded up
// to 0.1 kB: for when a budget is first set, or when a change really needs more (say why in its commit).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { markdownTable, nowUtc, textTable, writeSection } from './section.mjs';

const WHO = 'bench:size';
const root = fileURLToPath(new URL('../../', import.meta.url));
// The targets, by check name in .size-limit.json (bytes; size-limit's kB is 1 000 bytes).
const TARGETS = {
  '@socketboard/core + @socketboard/react (every export of react, createConnection)': 5_000,
};

const MARGIN = 1.05;

const { values: args } = parseArgs({
  options: {
    'no-write': { type: 'boolean', default: false },
    'set-budgets': { type: 'boolean', default: false },
  },
});
const configFile = join(root, '.size-limit.json');

const require = createRequire(import.meta.url);
const bin = join(dirname(require.resolve('size-limit/package.json')), 'bin.js');
const result = spawnSync(process.execPath, [bin, '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
let measured;
try {
  measured = JSON.parse(result.stdout);
} catch {
  console.error(`${WHO}: size-limit gave no report (exit ${result.status ?? result.signal}):\n${result.stderr}`);
  process.exit(1);
}
const config = JSON.parse(readFileSync(configFile, 'utf8'));
if (args['set-budgets']) {
  for (const check of config) {
    const m = measured.find((x) => x.name === check.name);
    if (m === undefined) continue;
    check.limit = `${(Math.ceil((m.size * MARGIN) / 100) / 10).toFixed(1)} kB`;
    m.passed = true;
  }
  const options = { ...((await prettier.resolveConfig(configFile)) ?? {}), filepath: configFile };
  writeFileSync(configFile, await prettier.format(JSON.stringify(config), options));
  console.log(`${WHO}: budgets in .size-limit.json set to the measured sizes + ${Math.round((MARGIN - 1) * 100)} %.`);
}
const budgets = new Map(config.map((c) => [c.name, c]));

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const header = ['bundle', 'min+gz', 'budget', 'budget status', 'target', 'target status'];
const rows = measured.map((m) => {
  const target = TARGETS[m.name];
  return [
    m.name,
    kB(m.size),
    budgets.get(m.name)?.limit ?? '–',
    m.passed ? 'within' : '**OVER**',
    target === undefined ? '–' : kB(target),
    target === undefined
      ? '–'
      : m.size <= target
        ? 'met'
        : `missed by ${kB(m.size - target)} (×${(m.size / target).toFixed(1)})`,
  ];
});
console.log(`\n${textTable(header, rows)}\n`);
const over = measured.filter((m) => !m.passed).length;
if (over > 0) console.log(`${WHO}: ${over} bundle(s) over budget: \`npm run size\` (and so \`npm test\`) fails.`);

if (!args['no-write']) {
  const body = [
    '## Bundle size (`npm run size`)',
    '',
    `Measured ${nowUtc()} with \`node bench/core/size.mjs\` (part of \`npm run bench\`), which runs size-limit over` +
      ' the built `dist/` with the budgets of `.size-limit.json`.',
    '',
    'Each bundle is what esbuild makes of the imports named (minified, tree-shaken, everything the packages depend' +
      ' on included, e.g. zustand), gzipped at level 9. React, react-dom and recharts are peers the app has' +
      ' anyway, so they are left out. Each budget is the size measured when it was set plus about 5 %: growth past' +
      ' it fails `npm run size`, part of `npm test`. When a change really needs more, raise the budget in the same' +
      ' commit and say why.',
    '',
    markdownTable(header, rows),
  ].join('\n');
  await writeSection('size', body);
  console.log(`${WHO}: BENCHMARKS.md updated.`);
}
