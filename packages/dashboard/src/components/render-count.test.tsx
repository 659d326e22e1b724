import { act, fireEvent, screen, within } from '@testing-library/react';
import { createElement } from 'react';
import type { ComponentProps } from 'react';
import type * as Recharts from 'recharts';
import type { MockSocketServer } from '@socketboard/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { installIntersectionObserver, setTabVisible } from '../../test/dom';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { LiveTimeSeries } from './live-time-series';

// Count renders of the recharts chart itself: the expensive part a live chart must spare.
const chartRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock('recharts', async (importOriginal) => {
  const actual = await importOriginal<typeof Recharts>();
  return {
    ...actual,
    LineChart: (props: ComponentProps<typeof actual.LineChart>) => {
      chartRenders.count++;
      return createElement(actual.LineChart, props);
    },
  };
});

const socket = mockSocket();
const frames = fakeClockAndFrames(1_700_000_000_000);
let observer: ReturnType<typeof installIntersectionObserver>;
let server: MockSocketServer;

beforeEach(async () => {
  observer = installIntersectionObserver();
  ({ server } = socket.render(
    <LiveTimeSeries<number> title="Load" channel="load" width={480} staleAfterMs={Infinity} />,
  ));
  await settle();
  act(() => void frames.flush());
  chartRenders.count = 0;
  value = 0;
});

afterEach(() => {
  observer.restore();
  setTabVisible(true);
});

const root = () => screen.getByRole('group', { name: 'Load' });
let value = 0;
/** Publishes `n` messages and lets them all arrive (no frame runs meanwhile). */
async function burst(n: number) {
  for (let i = 0; i < n; i++) server.publish('load', value++);
  await settle();
}
const frame = () => act(() => void frames.flush());

describe('render counts', () => {
  it('renders the chart at most once for a burst of a thousand messages within one frame', async () => {
    await burst(1_000);
    expect(chartRenders.count).toBe(0);
    frame();
    expect(chartRenders.count).toBe(1);
    frame();
    expect(chartRenders.count).toBe(1);
  });

  it('renders once per frame under a steady stream, not once per message', async () => {
    for (let f = 0; f < 10; f++) {
      await burst(100);
      frame();
    }
    expect(chartRenders.count).toBe(10);
  });

  it('does not render a paused chart while it buffers, though the "new" count updates', async () => {
    await burst(10);
    frame();
    fireEvent.click(within(root()).getByRole('button', { name: 'Pause' }));
    chartRenders.count = 0;
    for (let f = 0; f < 5; f++) {
      await burst(200);
      frame();
    }
    expect(chartRenders.count).toBe(0);
    expect(within(root()).getByRole('button', { name: '1K new · Back to live' })).toBeDefined();
    fireEvent.click(within(root()).getByRole('button', { name: 'Resume' }));
    expect(chartRenders.count).toBe(1);
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('Latest: value 1,009');
  });

  it('stops rendering off screen and in a hidden tab, then catches up with one render', async () => {
    await burst(5);
    frame();
    chartRenders.count = 0;
    act(() => observer.setVisible(false));
    await burst(500);
    frame();
    expect(frames.waiting).toBe(0);
    expect(chartRenders.count).toBe(0);
    act(() => observer.setVisible(true));
    expect(chartRenders.count).toBe(1);
    expect(within(root()).getByRole('img').getAttribute('aria-label')).toContain('Latest: value 504');

    act(() => setTabVisible(false));
    await burst(10);
    frame();
    expect(chartRenders.count).toBe(1);
    act(() => setTabVisible(true));
    expect(chartRenders.count).toBe(2);
  });
});
