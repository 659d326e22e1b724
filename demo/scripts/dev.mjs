// `npm run dev`: Vite's dev server for the page (hot reload) on http://127.0.0.1:5173, proxying /socket
// and /api to the demo server on DEMO_API_PORT (default 5179), which runs in API-only mode and is
// rebuilt and restarted whenever a file under demo/server or demo/shared changes.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createServer } from 'vite';

const demoDir = fileURLToPath(new URL('../', import.meta.url));
const configFile = join(demoDir, 'vite.config.ts');
const apiPort = process.env.DEMO_API_PORT ?? '5179';

/** @type {import('node:child_process').ChildProcess | undefined} */
let api;

async function restartApi() {
  if (api !== undefined && api.exitCode === null && api.signalCode === null) {
    const exited = once(api, 'exit');
    api.kill('SIGTERM');
    await exited;
  }
  api = spawn(process.execPath, ['--enable-source-maps', join(demoDir, 'dist', 'server', 'main.js')], {
    env: { ...process.env, DEMO_API_ONLY: '1', PORT: apiPort },
    stdio: 'inherit',
  });
}

// The server bundle, rebuilt on change; each finished build (re)starts the API process.
const watcher = await build({
  configFile,
  logLevel: 'warn',
  build: { ssr: 'server/main.ts', watch: {} },
});
watcher.on('event', (event) => {
  if (event.code === 'BUNDLE_END') {
    event.result?.close();
    restartApi().catch((error) => console.error('dev: could not restart the demo server:', error));
  } else if (event.code === 'ERROR') {
    event.result?.close();
    console.error('dev: the demo server does not build:', event.error);
  }
});

const vite = await createServer({ configFile });
await vite.listen();
console.log(`\n  Socketboard demo (dev): the page hot-reloads; /socket and /api go to 127.0.0.1:${apiPort}\n`);
vite.printUrls();

let stopping = false;
async function stop() {
  if (stopping) process.exit(130);
  stopping = true;
  // The API process first: whatever happens while closing the rest, it must not outlive this one.
  if (api !== undefined && api.exitCode === null && api.signalCode === null) {
    const exited = once(api, 'exit');
    api.kill('SIGTERM');
    await exited;
  }
  await Promise.allSettled([watcher.close(), vite.close()]);
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
process.on('exit', () => api?.kill('SIGTERM'));
