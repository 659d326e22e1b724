import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Exits with a helpful message when there is no Chromium: these benchmarks never download one. */
export function requireChromium(who) {
  if (existsSync(chromiumPath)) return;
  console.error(
    `${who}: no Chromium at ${chromiumPath}. Install it (Debian: apt-get install chromium) or set ` +
      'CHROMIUM_PATH to a Chromium/Chrome binary. This benchmark never downloads a browser.',
  );
  process.exit(1);
}

/**
 * Headless Chromium on a fresh profile. Returns `{ context, page, close }`;
 * `close` shuts the browser and removes the profile.
 */
export async function launchChromium({ extraArgs = [] } = {}) {
  const profileDir = await mkdtemp(join(os.tmpdir(), 'socketboard-bench-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: chromiumPath,
      headless: true,
      // The benchmarks' own handlers close the browser and then remove its profile.
      handleSIGINT: false,
      handleSIGTERM: false,
      viewport: { width: 1280, height: 720 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...extraArgs,
      ],
    });
  } catch (error) {
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    profileDir,
    async close() {
      await context.close().catch(() => {});
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/** page.evaluate that gives up when the page's main thread is too busy to answer within `timeoutMs`. */
export async function ask(page, what, fn, arg, timeoutMs = 20_000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the page did not answer "${what}" within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([page.evaluate(fn, arg), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `fn` in the page until it returns true. */
export async function waitInPage(page, what, fn, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ask(page, what, fn, undefined, timeoutMs).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `main(cleanups)` under a watchdog: past `limitMs`, or on SIGINT/SIGTERM, every cleanup pushed
 * so far runs (last first) and the process exits 1. Cleanups also run when `main` ends.
 */
export async function bounded(who, limitMs, main) {
  const cleanups = [];
  const cleanup = async () => {
    while (cleanups.length > 0)
      await cleanups
        .pop()()
        .catch(() => {});
  };
  const abort = (why) => {
    console.error(`${who}: ${why}; closing the browser and servers.`);
    void cleanup().finally(() => process.exit(1));
  };
  const watchdog = setTimeout(() => abort(`still running after ${Math.round(limitMs / 1000)} s`), limitMs);
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));
  // Output piped into `head` and the like: a closed pipe must not skip the cleanup.
  process.stdout.on('error', () => {});
  try {
    await main(cleanups);
  } catch (error) {
    console.error(`${who}: could not run:`, error);
    process.exitCode = 1;
  } finally {
    clearTimeout(watchdog);
    await cleanup();
  }
}
