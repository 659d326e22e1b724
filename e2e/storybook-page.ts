import type { Page } from 'playwright-core';

/** What the preview said about one story, read from its channel. */
export interface StoryOutcome {
  /** `storyFinished`'s status: `success`, or `error` when rendering, the play function or a report failed. */
  readonly status: 'success' | 'error' | 'missing';
  /** Channel events that mean something went wrong (render errors, play function exceptions…), as text. */
  readonly errors: readonly string[];
}

/** Preview channel events that report a failure, Storybook 10 names (storybook/internal/core-events). */
const FAILURE_EVENTS = [
  'storyErrored',
  'storyThrewException',
  'playFunctionThrewException',
  'unhandledErrorsWhilePlaying',
  'storyMissing',
] as const;

interface Recorder {
  finished: { status: 'success' | 'error' } | undefined;
  /** A docs page (`viewMode=docs`) finished rendering. */
  docsRendered: boolean;
  missing: boolean;
  errors: string[];
}

declare global {
  interface Window {
    __storybookE2E?: Recorder;
  }
}

/**
 * Runs in every page before Storybook's code: traps the assignment of the preview channel
 * (`window.__STORYBOOK_ADDONS_CHANNEL__`) to listen from its very first event, and records
 * `storyFinished` and every failure event in `window.__storybookE2E`.
 */
function recordPreviewChannel(failureEvents: readonly string[]): void {
  const recorder: Recorder = { finished: undefined, docsRendered: false, missing: false, errors: [] };
  window.__storybookE2E = recorder;
  const text = (payload: unknown): string => {
    if (payload === undefined) return '';
    if (typeof payload === 'string') return payload;
    const error = payload as { message?: unknown; stack?: unknown; title?: unknown; description?: unknown };
    if (typeof error.stack === 'string' && error.stack !== '') return error.stack;
    if (typeof error.message === 'string') return error.message;
    if (typeof error.title === 'string') {
      return typeof error.description === 'string' ? `${error.title}: ${error.description}` : error.title;
    }
    try {
      return JSON.stringify(payload);
    } catch {
      return Object.prototype.toString.call(payload);
    }
  };
  // Playwright reports a rejection by native code as a bare "TypeError: "; say where and when it was.
  let leaving = false;
  window.addEventListener('pagehide', () => {
    leaving = true;
  });
  window.addEventListener('unhandledrejection', (event) => {
    recorder.errors.push(`unhandledrejection${leaving ? ' while leaving' : ''}: ${text(event.reason)}`);
  });
  type Channel = { on(event: string, listener: (payload: unknown) => void): void };
  let channel: Channel | undefined;
  Object.defineProperty(window, '__STORYBOOK_ADDONS_CHANNEL__', {
    configurable: true,
    get: () => channel,
    set(next: Channel | undefined) {
      if (next === channel) return;
      channel = next;
      if (next === undefined || next === null) return;
      next.on('storyFinished', (payload) => {
        recorder.finished = { status: (payload as { status: 'success' | 'error' }).status };
      });
      next.on('docsRendered', () => {
        recorder.docsRendered = true;
      });
      for (const event of failureEvents) {
        next.on(event, (payload) => {
          if (event === 'storyMissing') recorder.missing = true;
          const list = Array.isArray(payload) ? payload : [payload];
          for (const item of list) recorder.errors.push(`${event}: ${text(item)}`);
        });
      }
    },
  });
}

/** Installs the channel recorder in every page `page`'s context opens from now on. */
export async function installStoryRecorder(page: Page): Promise<void> {
  await page.addInitScript(recordPreviewChannel, FAILURE_EVENTS);
}

/**
 * Opens one story in `page` (`iframe.html?id=…&viewMode=story`) and waits until the preview reports it
 * finished (rendered, play function done) or missing. Throws on timeout.
 */
export async function openStory(page: Page, baseUrl: string, id: string, timeoutMs: number): Promise<StoryOutcome> {
  await page.goto(`${baseUrl}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story`, {
    waitUntil: 'domcontentloaded',
    timeout: timeoutMs,
  });
  await page.waitForFunction(
    () => {
      const r = window.__storybookE2E;
      return r !== undefined && (r.finished !== undefined || r.missing);
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  const recorder = await page.evaluate(() => window.__storybookE2E!);
  // Let the last animation frame paint (charts render once per frame).
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
  return {
    status: recorder.missing ? 'missing' : recorder.finished!.status,
    errors: recorder.errors,
  };
}

/**
 * Opens one docs page (`iframe.html?id=…&viewMode=docs`: the component's description, its props table
 * and every story inline), waits until the preview reports it rendered or missing, and scrolls it
 * through so every inline story renders. Throws on timeout.
 */
export async function openDocs(page: Page, baseUrl: string, id: string, timeoutMs: number): Promise<StoryOutcome> {
  await page.goto(`${baseUrl}/iframe.html?id=${encodeURIComponent(id)}&viewMode=docs`, {
    waitUntil: 'domcontentloaded',
    timeout: timeoutMs,
  });
  await page.waitForFunction(
    () => {
      const r = window.__storybookE2E;
      return r !== undefined && (r.docsRendered || r.missing);
    },
    undefined,
    { timeout: timeoutMs, polling: 50 },
  );
  // Docs pages render their stories lazily, as they scroll into view: scroll through the page (it
  // grows as stories render) so every story renders, and its errors count, before the screenshot.
  await page.evaluate(async () => {
    const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 120));
    for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
      window.scrollTo(0, y);
      await pause();
    }
    window.scrollTo(0, 0);
    await pause();
  });
  const recorder = await page.evaluate(() => window.__storybookE2E!);
  return { status: recorder.missing ? 'missing' : 'success', errors: recorder.errors };
}

/**
 * Unloads the story (navigates to about:blank), so that whatever its teardown reports (unmount,
 * closing sockets) is counted against it and not against the next story.
 */
export async function leaveStory(page: Page, timeoutMs: number): Promise<void> {
  await page.goto('about:blank', { timeout: timeoutMs });
}
