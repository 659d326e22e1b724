import { act, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { EMPTY_METRICS } from '@socketboard/core';
import type { MetricsSnapshot } from '@socketboard/core';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { ConnectionHealthPanel } from './connection-health-panel';
import { HealthTracker } from './health-tracker';
import { LatencyChart, ThroughputChart } from './metrics-charts';

const mock = mockSocket();
const T0 = 1_700_000_000_000;
// Frames run only when a test flushes them: nothing renders behind its back.
fakeClockAndFrames(T0);

const metrics: MetricsSnapshot = {
  ...EMPTY_METRICS,
  at: T0,
  rttMs: 42,
  rttP95Ms: 180,
  messagesInPerSec: 1_250,
  messagesOutPerSec: 3,
  bytesInPerSec: 2 * 1024 * 1024,
  bytesOutPerSec: 512,
  reconnects: 2,
  lastReconnectMs: 1_500,
  uptimeMs: 125_000,
  queueDepth: 4,
  dropped: 1,
};

const stat = (panel: HTMLElement, label: string) => {
  const term = within(panel).getByText(label, { selector: 'dt' });
  return term.parentElement!.querySelector('dd')!.textContent;
};

describe('ConnectionHealthPanel', () => {
  it('lists status, round trip now and p95, rates in and out, uptime, reconnects, queue and last close', () => {
    render(
      <ConnectionHealthPanel
        state={{
          status: 'open',
          openedAt: T0 - 125_000,
          lastClose: { code: 1006, reason: '', wasClean: false, at: T0 - 126_000 },
        }}
        metrics={metrics}
        locale="en-US"
      />,
    );
    const panel = screen.getByRole('region', { name: 'Connection' });
    expect(panel.getAttribute('data-state')).toBe('open');
    expect(within(panel).getByRole('status').getAttribute('data-state')).toBe('open');
    expect(stat(panel, 'Round trip')).toBe('42\u00a0msp95 180\u00a0ms');
    expect(stat(panel, 'Messages in')).toContain('1.3K\u00a0msg/s');
    expect(stat(panel, 'Messages out')).toContain('3\u00a0msg/s');
    expect(stat(panel, 'Bytes in')).toContain('2\u00a0MiB/s');
    expect(stat(panel, 'Bytes out')).toContain('512\u00a0B/s');
    expect(stat(panel, 'Uptime')).toContain('2 min');
    expect(stat(panel, 'Reconnects')).toBe('2last took 2 s');
    expect(stat(panel, 'Queue')).toBe('41 dropped');
    expect(stat(panel, 'Last close')).toBe('1006not clean');
  });

  it('shows dashes before any measurement', () => {
    render(<ConnectionHealthPanel state={{ status: 'idle' }} />);
    const panel = screen.getByRole('region', { name: 'Connection' });
    expect(stat(panel, 'Round trip')).toBe('–p95 –');
    expect(stat(panel, 'Last close')).toBe('–');
  });

  it('reads the provider connection and its metrics samples', async () => {
    const { server } = mock.render(<ConnectionHealthPanel title="Socket" />);
    await settle();
    act(() => server.broadcast({ t: 'msg', ch: 'x', seq: 1, d: 1 }));
    await act(async () => void (await vi.advanceTimersByTimeAsync(1_000)));
    const panel = screen.getByRole('region', { name: 'Socket' });
    expect(panel.getAttribute('data-state')).toBe('open');
    // The server's welcome and the message.
    expect(stat(panel, 'Messages in')).toContain('2 total');
  });
});

const samples = (n: number): MetricsSnapshot[] =>
  Array.from({ length: n }, (_, i) => ({
    ...EMPTY_METRICS,
    at: T0 - (n - i) * 1_000,
    rttMs: 10 + i,
    rttP95Ms: 50,
    messagesInPerSec: 100 * i,
    messagesOutPerSec: i,
  }));

describe('LatencyChart and ThroughputChart', () => {
  it('draws RTT and p95 from samples with ms on the axis', () => {
    render(<LatencyChart samples={samples(30)} width={480} />);
    const chart = screen.getByRole('group', { name: 'Round trip' });
    expect(chart.getAttribute('data-state')).toBe('live');
    expect(within(chart).getByRole('img').getAttribute('aria-label')).toBe(
      'Line chart of the last 5 min. Latest: RTT 39\u00a0ms, p95 50\u00a0ms.',
    );
    expect(chart.querySelectorAll('.recharts-line-curve')).toHaveLength(2);
  });

  it('is empty before the first sample and marks a latency threshold', () => {
    const { rerender } = render(<LatencyChart samples={[]} width={480} />);
    expect(screen.getByRole('group', { name: 'Round trip' }).getAttribute('data-state')).toBe('empty');
    expect(screen.getByRole('group', { name: 'Round trip' }).textContent).toContain('No round trips measured yet');
    rerender(
      <LatencyChart
        samples={samples(5)}
        width={480}
        thresholds={{
          mode: 'absolute',
          steps: [
            { value: null, color: 'success' },
            { value: 40, color: 'warning', label: 'slow' },
          ],
        }}
      />,
    );
    expect(screen.getByRole('group', { name: 'Round trip' }).getAttribute('data-threshold')).toBe('slow');
  });

  it('draws messages in and out as areas, or bytes when asked', () => {
    const { rerender } = render(<ThroughputChart samples={samples(10)} width={480} />);
    const chart = () => screen.getByRole('group', { name: /per second/ });
    expect(chart().querySelectorAll('.recharts-area-area')).toHaveLength(2);
    expect(within(chart()).getByRole('img').getAttribute('aria-label')).toContain(
      'In 900\u00a0msg/s, Out 9\u00a0msg/s',
    );
    rerender(<ThroughputChart samples={samples(10)} width={480} metric="bytes" />);
    expect(screen.getByRole('group', { name: 'Bytes per second' })).toBeDefined();
  });

  it('labels a byte-rate axis in round KiB/s steps', () => {
    const bytes = samples(10).map((s, i) => ({ ...s, bytesInPerSec: i * 7_800 }));
    render(<ThroughputChart samples={bytes} width={480} metric="bytes" />);
    const ticks = [
      ...screen
        .getByRole('group', { name: 'Bytes per second' })
        .querySelectorAll('text.recharts-cartesian-axis-tick-value[orientation="left"]'),
    ];
    expect(ticks.map((t) => t.textContent.replace('\u00a0', ' '))).toEqual([
      '0 B/s',
      '20 KiB/s',
      '40 KiB/s',
      '60 KiB/s',
      '80 KiB/s',
    ]);
  });

  it('reads the provider metrics samples', async () => {
    mock.render(<ThroughputChart width={480} />);
    await settle();
    await act(async () => void (await vi.advanceTimersByTimeAsync(3_000)));
    expect(screen.getByRole('group', { name: 'Messages per second' }).getAttribute('data-state')).toBe('live');
  });
});

describe('HealthTracker', () => {
  it('summarises given blocks for screen readers and colours each block by data-state', () => {
    render(<HealthTracker blocks={['up', 'up', 'degraded', 'down', 'up', 'unknown']} blockMs={60_000} />);
    const group = screen.getByRole('group', { name: 'Uptime' });
    const img = within(group).getByRole('img');
    expect(img.getAttribute('aria-label')).toBe('Uptime 70% over the last 6 min: 3 up, 1 partly down, 1 down');
    expect([...img.children].map((b) => b.getAttribute('data-state'))).toEqual([
      'up',
      'up',
      'degraded',
      'down',
      'up',
      'unknown',
    ]);
    expect(group.getAttribute('data-state')).toBe('unknown');
  });

  it('says there is no data when nothing is known', () => {
    render(<HealthTracker blocks={['unknown', 'unknown']} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('No uptime data for the last 2 min');
  });

  it('does not count the first connect as downtime and shows a new open within a second', async () => {
    // The url takes 2 s to resolve (a token fetch, say): the page spends them connecting.
    const server = mock.server();
    const url = () => new Promise<string>((resolve) => setTimeout(() => resolve(server.url), 2_000));
    mock.render(<HealthTracker />, { server, url });
    await act(async () => void (await vi.advanceTimersByTimeAsync(2_000)));
    await settle();
    await act(async () => void (await vi.advanceTimersByTimeAsync(1_000)));
    const img = screen.getByRole('img');
    expect(img.getAttribute('aria-label')).toBe('Uptime 100% over the last 30 min: 1 up, 0 partly down, 0 down');
    expect(img.lastElementChild!.getAttribute('data-state')).toBe('up');
  });

  it('records the provider connection going down and up', async () => {
    const { server } = mock.render(<HealthTracker blockMs={1_000} count={10} />);
    await settle();
    await act(async () => void (await vi.advanceTimersByTimeAsync(3_000)));
    // Down for good: every retry is refused.
    server.refuseNext(Infinity);
    act(() => server.drop(1006));
    await act(async () => void (await vi.advanceTimersByTimeAsync(2_000)));
    const states = [...screen.getByRole('img').children].map((b) => b.getAttribute('data-state'));
    expect(states.slice(-5)).toEqual(['up', 'up', 'up', 'down', 'down']);
    expect(screen.getByRole('group', { name: 'Uptime' }).getAttribute('data-state')).toBe('down');
  });
});
