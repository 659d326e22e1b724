// Package gate (`npm run check:packages`): packs every publishable workspace package exactly as
// `npm publish` would, then lints the tarball with publint (package.json fields vs. the files really
// shipped; warnings count as errors) and with Are the Types Wrong (`esm-only` profile: the packages
// are ESM only, so CommonJS `require` and node10 resolution are out of scope). Fails with a readable
// summary. Run after `npm run build`. Offline, bounded in time, removes its temp dir.
//
//   node scripts/check-packages.mjs [package-name-or-dir …]
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const PACK_TIMEOUT_MS = 60_000;
const ATTW_TIMEOUT_MS = 120_000;
const TOTAL_TIMEOUT_MS = 300_000;
// attw resolution modes an ESM-only package does not serve (what `--profile esm-only` ignores).
const IGNORED_RESOLUTIONS = new Set(['node10', 'node16-cjs']);
// Development-only files that must never ship (their declarations included).
const DEV_ONLY = /(^|\/)(test|tests|__tests__|stories)\/|\.(test|spec|stories|test-d)\.|(^|\/)story-[^/]*$/;
const ATTW_DOCS = 'https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems';
const HINTS = {
  InternalResolutionError:
    'a .d.ts imports a relative path without its extension (`./x` instead of `./x.js`), which TypeScript' +
    ' cannot resolve under moduleResolution node16/nodenext: those users get `any`. Emit `.js` extensions' +
    ' in the declarations (or bundle them into one file per entry).',
  NoResolution: 'an export subpath resolves to no file for this mode (missing file, or a bad `exports` target).',
  UntypedResolution: 'the JavaScript resolves but no types do: add a `types` condition (first) to that export.',
  FalseESM: 'the types say ESM but the JavaScript is CommonJS (or the other way round, see FalseCJS).',
  FalseCJS: 'the types say CommonJS but the JavaScript is ESM: the `.d.ts` needs the same module format.',
  FallbackCondition: 'a resolution only works through a fallback array entry; list one target per condition.',
};

const watchdog = setTimeout(() => {
  console.error(`check:packages: still running after ${TOTAL_TIMEOUT_MS / 1000} s; giving up.`);
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

function publishablePackages() {
  const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const wanted = process.argv.slice(2);
  return rootPkg.workspaces
    .map((dir) => ({ dir: join(root, dir), pkg: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.private !== true)
    .filter(({ dir, pkg }) => wanted.length === 0 || wanted.includes(pkg.name) || wanted.includes(relative(root, dir)));
}

/** `npm pack` into `dest` (no lifecycle scripts); returns the tarball's path and its file count. */
function pack(dir, dest) {
  const result = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], {
    cwd: dir,
    encoding: 'utf8',
    timeout: PACK_TIMEOUT_MS,
  });
  if (result.status !== 0) {
    throw new Error(`npm pack failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr.trim()}`);
  }
  const [info] = JSON.parse(result.stdout);
  return {
    tarball: join(dest, info.filename),
    files: info.entryCount,
    bytes: info.size,
    paths: info.files.map((f) => f.path),
  };
}

async function runPublint(tarball, pkg) {
  const data = readFileSync(tarball);
  const { messages } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  const line = (m) => `publint ${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`;
  return {
    errors: messages.filter((m) => m.type === 'error').map(line),
    notes: messages.filter((m) => m.type !== 'error').map(line),
  };
}

/** Export subpaths that are not JavaScript (stylesheets, say): attw would report them as untyped. */
function nonCodeEntrypoints(pkg) {
  const exports = pkg.exports;
  if (exports === null || typeof exports !== 'object') return [];
  return Object.entries(exports)
    .filter(
      ([key, target]) =>
        key.startsWith('.') && typeof target === 'string' && /\.(css|scss|sass|less|svg|png|woff2?)$/.test(target),
    )
    .map(([key]) => key);
}

function runAttw(tarball, pkg, tmp) {
  const bin = join(dirname(require.resolve('@arethetypeswrong/cli/package.json')), 'dist', 'index.js');
  const exclude = nonCodeEntrypoints(pkg);
  const args = [bin, tarball, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'json'];
  if (exclude.length > 0) args.push('--exclude-entrypoints', ...exclude);
  // To a file, not a pipe: attw exits right after writing and a pipe would cut long JSON short.
  const outFile = join(tmp, `${pkg.name.replace(/\W+/g, '_')}.attw.json`);
  const fd = openSync(outFile, 'w');
  let result;
  try {
    result = spawnSync(process.execPath, args, {
      stdio: ['ignore', fd, 'pipe'],
      encoding: 'utf8',
      timeout: ATTW_TIMEOUT_MS,
    });
  } finally {
    closeSync(fd);
  }
  if (result.error !== undefined || (result.status !== 0 && result.status !== 1)) {
    return {
      errors: [
        `attw could not check the package (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr.trim()}`,
      ],
      notes: [],
    };
  }
  const report = JSON.parse(readFileSync(outFile, 'utf8'));
  if (report.analysis?.types === false) return { errors: ['attw: the package ships no types'], notes: [] };
  const problems = Object.values(report.problems ?? {})
    .flat()
    .filter((p) => !IGNORED_RESOLUTIONS.has(p.resolutionKind));
  const byKind = new Map();
  for (const p of problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  const errors = [];
  for (const [kind, list] of byKind) {
    const places = [
      ...new Set(
        list.map((p) =>
          p.fileName !== undefined
            ? `${p.fileName.replace(/^\/node_modules\/(@[^/]+\/)?[^/]+\//, '')} → "${p.moduleSpecifier}"`
            : `"${p.entrypoint ?? '?'}" (${p.resolutionKind ?? p.resolutionOption ?? 'all modes'})`,
        ),
      ),
    ];
    const where = places.slice(0, 4);
    const more = places.length > where.length ? `, and ${places.length - where.length} more` : '';
    errors.push(
      `attw ${kind} ×${list.length}: ${HINTS[kind] ?? `see ${ATTW_DOCS}/${kind}.md`}\n      e.g. ${where.join('; ')}${more}`,
    );
  }
  const notes = exclude.length > 0 ? [`attw: not checked as code: ${exclude.join(', ')}`] : [];
  return { errors, notes };
}

async function main() {
  const packages = publishablePackages();
  if (packages.length === 0) {
    console.error('check:packages: no publishable package matched.');
    process.exit(2);
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'socketboard-check-packages-'));
  let failed = 0;
  try {
    for (const { dir, pkg } of packages) {
      const started = Date.now();
      const errors = [];
      const notes = [];
      if (!existsSync(join(dir, 'dist'))) {
        errors.push(`no dist/ in ${relative(root, dir)}: run \`npm run build\` first`);
      } else {
        try {
          const packed = pack(dir, tmp);
          notes.push(`${packed.files} files, ${(packed.bytes / 1024).toFixed(1)} KiB packed`);
          const devOnly = packed.paths.filter((p) => DEV_ONLY.test(p));
          if (devOnly.length > 0) {
            errors.push(
              `${devOnly.length} test or story file(s) would ship (exclude them from the build's tsconfig or from` +
                ` "files"): ${devOnly.slice(0, 4).join(', ')}${devOnly.length > 4 ? ', …' : ''}`,
            );
          }
          const lint = await runPublint(packed.tarball, pkg);
          const types = runAttw(packed.tarball, pkg, tmp);
          errors.push(...lint.errors, ...types.errors);
          notes.push(...lint.notes, ...types.notes);
        } catch (error) {
          errors.push(String(error?.message ?? error));
        }
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`${errors.length === 0 ? 'ok  ' : 'FAIL'} ${pkg.name} (${seconds} s; ${notes[0] ?? ''})`);
      for (const n of notes.slice(1)) console.log(`      ${n}`);
      for (const e of errors) console.log(`    ✗ ${e}`);
      if (errors.length > 0) failed++;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (failed > 0) {
    console.error(`\ncheck:packages: ${failed} of ${packages.length} package(s) would publish with problems (above).`);
    process.exitCode = 1;
  } else {
    console.log(`\ncheck:packages: all ${packages.length} packages pass publint and attw (esm-only).`);
  }
}

main()
  .catch((error) => {
    console.error('check:packages: could not run:', error);
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(watchdog));
