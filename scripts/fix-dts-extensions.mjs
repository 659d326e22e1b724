// Adds `.js` (or `/index.js`) to relative imports in emitted declarations. The sources use
// extensionless imports (moduleResolution "Bundler"), which TypeScript consumers on node16/nodenext
// resolution cannot follow: without this they would see `any` for most types.
// Usage: node scripts/fix-dts-extensions.mjs <dist folder>
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist');
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*?)\2/g;

function* declarations(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* declarations(path);
    else if (name.endsWith('.d.ts')) yield path;
  }
}

let changed = 0;
for (const file of declarations(root)) {
  const source = readFileSync(file, 'utf8');
  const fixed = source.replace(SPECIFIER, (match, lead, quote, specifier) => {
    if (/\.(js|mjs|cjs|json|css)$/.test(specifier)) return match;
    const base = resolve(dirname(file), specifier);
    if (existsSync(`${base}.d.ts`)) return `${lead}${quote}${specifier}.js${quote}`;
    if (existsSync(join(base, 'index.d.ts'))) return `${lead}${quote}${specifier}/index.js${quote}`;
    return match;
  });
  if (fixed !== source) {
    writeFileSync(file, fixed);
    changed++;
  }
}
console.log(`fix-dts-extensions: ${changed} declaration file(s) updated in ${root}`);
