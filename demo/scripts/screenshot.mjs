// Takes the README's screenshot of a running demo: node demo/scripts/screenshot.mjs [url] [out.png]
// (defaults http://127.0.0.1:5178/ and docs/demo.png). It lets the one-minute charts fill up, turns
// the firehose on and drops the connection once, so the picture shows a reconnect in the health panel.
// Uses the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium); never downloads one.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const url = process.argv[2] ?? 'http://127.0.0.1:5178/';
const out = process.argv[3] ?? fileURLToPath(new URL('../../docs/demo.png', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FILL_MS = Number(process.env.FILL_MS ?? 62_000);
if (!existsSync(executablePath)) {
  console.error(`No Chromium at ${executablePath}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'socketboard-shot-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1280, height: 800 },
  colorScheme: 'light',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url, { timeout: 15_000 });
  await page.waitForSelector('[data-testid="connection-status"][data-state="open"]', { timeout: 15_000 });
  // Through the API rather than the buttons: clicking would scroll them into view.
  const post = (path, body = {}) =>
    page.evaluate(
      ([p, b]) =>
        fetch(p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) }),
      [path, body],
    );
  await post('/api/firehose', { rate: 100 });
  await page.waitForTimeout(FILL_MS - 10_000);
  await post('/api/chaos/drop');
  await page.waitForTimeout(10_000);
  await post('/api/firehose', { rate: 0 });
  // A few quiet seconds: the heartbeat measures the round trip only on an idle link.
  await page.waitForTimeout(3_000);
  await page.screenshot({ path: out });
  console.log(`${out}: ${(statSync(out).size / 1024).toFixed(0)} KiB`);
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
