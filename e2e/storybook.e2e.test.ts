/*
 * Every Storybook story in headless Chromium: builds Storybook when storybook-static/ is missing or
 * older than its sources, serves it on 127.0.0.1, opens each story of index.json, waits for the
 * preview to report it finished (play function included), fails on console errors, page errors or a
 * failed play function, and saves a screenshot per story to screenshots/storybook/<id>.png. Each
 * component's docs page (autodocs) is opened the same way and must show a props table.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import type { ChromiumSession } from './chromium';
import { serveStatic } from './static-server';
import type { StaticServer } from './static-server';
import { ensureStorybookBuilt } from './storybook-build';
import { installStoryRecorder, leaveStory, openDocs, openStory } from './storybook-page';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'storybook-static');
const SHOTS = join(ROOT, 'screenshots', 'storybook');
const STORY_TIMEOUT_MS = 20_000;

interface IndexEntry {
  readonly id: string;
  readonly title: string;
  readonly name: string;
  readonly type: 'story' | 'docs';
}

// Built before the tests are collected: one test per story needs the index. Served from a private
// copy, so another run rebuilding storybook-static meanwhile cannot pull files from under this one.
await ensureStorybookBuilt(ROOT, OUT);
const SERVED = mkdtempSync(join(tmpdir(), 'socketboard-storybook-static-'));
cpSync(OUT, SERVED, { recursive: true });
const index = JSON.parse(readFileSync(join(SERVED, 'index.json'), 'utf8')) as {
  entries: Record<string, IndexEntry>;
};
const stories = Object.values(index.entries).filter((entry) => entry.type === 'story');
const docs = Object.values(index.entries).filter((entry) => entry.type === 'docs');

/** The components `@socketboard/dashboard` exports, read from its entry point. */
function exportedComponents(): string[] {
  const source = readFileSync(join(ROOT, 'packages/dashboard/src/index.ts'), 'utf8');
  const names = new Set<string>();
  for (const match of source.matchAll(/^export \{([^}]+)\} from '\.\/components\//gm)) {
    for (const name of match[1]!.split(',').map((n) => n.trim())) if (/^[A-Z][a-z]/.test(name)) names.add(name);
  }
  return [...names].sort();
}

describe('Storybook', () => {
  let server: StaticServer;
  let browser: ChromiumSession | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  /** What the test was doing with the page, to tell load errors from teardown errors. */
  let phase: 'opening' | 'screenshot' | 'leaving' = 'opening';

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    server = await serveStatic(SERVED);
    // Throws a message saying what to install when there is no Chromium; never downloads one.
    browser = await launchChromium({ viewport: { width: 1000, height: 700 }, colorScheme: 'light' });
    page = browser.page;
    // msw's service worker unregisters itself when its last page goes away, which every navigation
    // from story to story would do; the next page's msw then updates a registration that is being
    // removed and fails. A second page in the worker's scope keeps it registered, as a browser tab
    // open on Storybook would.
    const keepAlive = await browser.context.newPage();
    await keepAlive.goto(`${server.url}/project.json`);
    // The story tab must be the visible one: charts stop rendering in a hidden tab.
    await page.bringToFront();
    // No CSS animation mid-flight in a screenshot (the stylesheet honours prefers-reduced-motion).
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await installStoryRecorder(page);
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const where = message.location().url;
      pageErrors.push(`console.error: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    page.on('pageerror', (error) => pageErrors.push(`pageerror (${phase}): ${error.stack ?? error.message}`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(SERVED, { recursive: true, force: true });
  });

  it('has a story for every component the dashboard exports, a dark one, and a docs page per component', () => {
    const titles = new Map<string, string[]>();
    for (const story of stories) {
      const component = story.title.split('/').pop()!;
      titles.set(component, [...(titles.get(component) ?? []), story.name]);
    }
    const components = exportedComponents();
    expect(components.length).toBeGreaterThan(10);
    expect(components.filter((name) => !titles.has(name))).toEqual([]);
    expect(components.filter((name) => !titles.get(name)!.some((story) => /dark/i.test(story)))).toEqual([]);
    expect(docs.length).toBe(titles.size);
  });

  it.each(docs.map((entry) => [entry.id, entry] as const))(
    '%s renders its props table and stories without errors',
    async (id) => {
      pageErrors.length = 0;
      phase = 'opening';
      const outcome = await openDocs(page, server.url, id, STORY_TIMEOUT_MS);
      // Autodocs: a props table generated from the component's TypeScript props, with their JSDoc.
      const propRows = await page.locator('.docblock-argstable-body tr').count();
      phase = 'screenshot';
      await page.screenshot({ path: join(SHOTS, `${id}.png`), fullPage: true });
      phase = 'leaving';
      await leaveStory(page, STORY_TIMEOUT_MS);
      expect({ status: outcome.status, errors: [...outcome.errors, ...pageErrors] }).toEqual({
        status: 'success',
        errors: [],
      });
      expect(propRows).toBeGreaterThan(0);
    },
    STORY_TIMEOUT_MS * 2,
  );

  it.each(stories.map((story) => [story.id, story] as const))(
    '%s renders and plays without errors',
    async (id) => {
      pageErrors.length = 0;
      phase = 'opening';
      const outcome = await openStory(page, server.url, id, STORY_TIMEOUT_MS);
      phase = 'screenshot';
      await page.screenshot({ path: join(SHOTS, `${id}.png`), fullPage: true });
      phase = 'leaving';
      await leaveStory(page, STORY_TIMEOUT_MS);
      expect({ status: outcome.status, errors: [...outcome.errors, ...pageErrors] }).toEqual({
        status: 'success',
        errors: [],
      });
    },
    STORY_TIMEOUT_MS * 2,
  );
});
