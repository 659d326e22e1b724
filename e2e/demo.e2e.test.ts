import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, collectPageErrors, launchChromium } from './chromium';
import type { ChromiumSession } from './chromium';
import { buildDemo, REPO_ROOT, startDemo } from './demo-process';
import type { DemoProcess } from './demo-process';

// The demo as a first-time visitor meets it: built and started as `npm run demo` does, in headless
// Chromium, its connection broken on purpose from the chaos panel. Every wait is bounded.

const BUILD_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'socketboard-e2e', 'demo');
const SCREENSHOTS = join(REPO_ROOT, 'screenshots', 'demo');
// Long enough for the banner (shown after 2 s down) to be seen during a restart, even on a busy machine.
const RESTART_DELAY_MS = 5_000;

const STATUS = '[data-testid="connection-status"]';
// After a reconnect the data must flow again; a little slack over the first check's 3 s for a busy machine.
const RESUME_MS = 5_000;

let demo: DemoProcess | undefined;
let browser: ChromiumSession | undefined;
let page: Page;
let errors: string[] = [];

/** What moves on the page: the newest sample's time and the CPU chart's drawing. */
async function liveReading(): Promise<{ sampleAt: string | null; cpuPath: string | null }> {
  return page.evaluate(() => ({
    sampleAt: document.querySelector('.demo-toolbar .sb-last-updated time')?.getAttribute('datetime') ?? null,
    cpuPath: document.querySelector('[data-testid="cpu-chart"] .recharts-area-curve')?.getAttribute('d') ?? null,
  }));
}

/** Resolves once every part of the reading changed, or fails after `withinMs`. */
async function expectLiveWithin(withinMs: number): Promise<void> {
  const before = await liveReading();
  const deadline = Date.now() + withinMs;
  let now = before;
  while (Date.now() < deadline) {
    await page.waitForTimeout(200);
    now = await liveReading();
    if (
      now.sampleAt !== null &&
      now.sampleAt !== before.sampleAt &&
      now.cpuPath !== null &&
      now.cpuPath !== before.cpuPath
    ) {
      return;
    }
  }
  expect.fail(
    `The page did not change within ${withinMs} ms: before ${JSON.stringify(before)}, after ${JSON.stringify(now)}`,
  );
}

/** Records every status the header badge shows from now on into `window.__statuses`. */
async function recordStatuses(): Promise<void> {
  await page.evaluate((selector) => {
    const badge = document.querySelector(selector)!;
    const seen: string[] = [badge.getAttribute('data-state') ?? ''];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    new MutationObserver(() => seen.push(badge.getAttribute('data-state') ?? '')).observe(badge, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  }, STATUS);
}

async function statuses(): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
}

async function reconnects(): Promise<number> {
  const text = await page.evaluate(
    () =>
      [...document.querySelectorAll('.sb-stat')]
        .find((s) => s.querySelector('.sb-stat__label')?.textContent === 'Reconnects')
        ?.querySelector('.sb-stat__value')?.textContent,
  );
  return Number(text);
}

async function eventLogText(): Promise<string> {
  return (await page.locator('[data-testid="event-log"]').textContent()) ?? '';
}

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe('the demo in Chromium', () => {
  beforeAll(async () => {
    assertChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
    await buildDemo(BUILD_DIR);
    demo = await startDemo(BUILD_DIR, { DEMO_RESTART_DELAY_MS: String(RESTART_DELAY_MS) });
    // Tall enough that every card is on screen: charts off screen do not render.
    browser = await launchChromium({ viewport: { width: 1440, height: 1900 } });
    page = browser.page;
    errors = collectPageErrors(page);
  }, 110_000);

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it('serves the page from one process, opens the socket and shows values that change within 3 s', async () => {
    const response = await page.goto(demo!.url, { timeout: 15_000 });
    expect(response?.status()).toBe(200);
    await page.waitForSelector(`${STATUS}[data-state="open"]`, { timeout: 10_000 });
    await page.waitForSelector('[data-testid="cpu-chart"] .recharts-area-curve', { timeout: 10_000 });
    await expectLiveWithin(3_000);
    expect(await page.locator('.demo-toolbar h1').textContent()).not.toBe('This machine'); // the hostname, from /api/info
  });

  it('streams the firehose at the rate picked on the page', async () => {
    await page.getByRole('radio', { name: '1k' }).click();
    await page.waitForFunction(
      () => {
        const received = [...document.querySelectorAll('[data-testid="firehose-panel"] .sb-stat')].find(
          (s) => s.querySelector('.sb-stat__label')?.textContent === 'Received',
        );
        return parseFloat(received?.querySelector('.sb-stat__value')?.textContent ?? '0') >= 100;
      },
      undefined,
      { timeout: 8_000 },
    );
    await shoot('demo-light');
    // Off again: the machine running the tests has enough to do.
    await page.getByRole('radio', { name: 'Off' }).click();
  });

  it('shows reconnecting when the server drops every connection, then open again, and the charts go on', async () => {
    const before = await reconnects();
    await recordStatuses();
    await page.locator('[data-action="drop"]').click();
    await page.waitForFunction(
      () => (window as unknown as { __statuses: string[] }).__statuses.includes('reconnecting'),
      undefined,
      { timeout: 10_000 },
    );
    await page.waitForSelector(`${STATUS}[data-state="open"]`, { timeout: 15_000 });
    expect(await statuses()).toEqual(expect.arrayContaining(['open', 'reconnecting']));
    await expectLiveWithin(RESUME_MS);
    expect(await reconnects()).toBe(before + 1);
  });

  it('rides out a server restart: banner while down, then open, with what it missed replayed and its queue flushed', async () => {
    await recordStatuses();
    await page.locator('[data-action="restart"]').click();
    await page.waitForSelector('.demo-banner[data-state="reconnecting"]', { timeout: 10_000 });
    expect(await page.locator(STATUS).getAttribute('data-state')).toBe('reconnecting');
    await shoot('demo-reconnecting');
    await page.waitForSelector(`${STATUS}[data-state="open"]`, { timeout: 20_000 });
    await expectLiveWithin(RESUME_MS);
    // Published while the socket server was down, so only the replay can have brought it.
    await expect.poll(eventLogText, { timeout: 5_000 }).toMatch(/disconnected: 1012 demo: server restart/);
    // The reports the page published while down were queued and arrived after the reconnect.
    await expect.poll(eventLogText, { timeout: 5_000 }).toMatch(/delivered \d+ reports? it had queued while offline/);
    await page.waitForSelector('.demo-banner[data-state="hidden"]', { state: 'attached', timeout: 5_000 });
  });

  it('switches to the dark theme and remembers it across a reload', async () => {
    await page.locator('[data-theme-toggle]').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForSelector(`${STATUS}[data-state="open"]`, { timeout: 15_000 });
    await page.waitForSelector('[data-testid="cpu-chart"] .recharts-area-curve', { timeout: 15_000 });
    await expectLiveWithin(RESUME_MS);
    await shoot('demo-dark');
  });

  it('logs no console error and throws no uncaught exception along the way', () => {
    expect(errors).toEqual([]);
  });
});
