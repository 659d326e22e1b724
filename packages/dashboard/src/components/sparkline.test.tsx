import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeClockAndFrames } from '../../test/manual-frames';
import { mockSocket, settle } from '../../test/mock-socket';
import { Sparkline } from './sparkline';

const socket = mockSocket();
const frames = fakeClockAndFrames();

describe('Sparkline', () => {
  it('is an img with a spoken summary of the trend and draws a line and an area', () => {
    render(<Sparkline data={[1, 4, null, 9]} unit="ms" />);
    const img = screen.getByRole('img');
    expect(img.getAttribute('aria-label')).toBe('Trend from 1\u00a0ms to 9\u00a0ms');
    expect(img.getAttribute('data-state')).toBe('live');
    expect(img.querySelectorAll('path')).toHaveLength(2);
  });

  it('says there is no data when empty, and hides itself when decorative', () => {
    const { rerender, container } = render(<Sparkline data={[]} />);
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Trend, no data');
    expect(screen.getByRole('img').getAttribute('data-state')).toBe('empty');
    rerender(<Sparkline data={[1, 2]} decorative />);
    expect(screen.queryByRole('img')).toBeNull();
    expect(container.firstElementChild!.getAttribute('aria-hidden')).toBe('true');
  });

  it('takes the threshold colour of the newest value', () => {
    render(
      <Sparkline
        data={[
          { time: 1, value: 10 },
          { time: 2, value: 99 },
        ]}
        thresholds={{
          mode: 'absolute',
          steps: [
            { value: null, color: 'success' },
            { value: 90, color: 'danger', label: 'critical' },
          ],
        }}
      />,
    );
    const img = screen.getByRole('img');
    expect(img.getAttribute('data-threshold')).toBe('critical');
    expect(img.querySelector<SVGPathElement>('path[fill="none"]')!.style.stroke).toBe('var(--sb-color-danger)');
  });

  it('draws what a channel sends, once per frame', async () => {
    const { server } = socket.render(<Sparkline channel="rtt" />);
    await settle();
    server.publish('rtt', 5);
    server.publish('rtt', 7);
    await settle();
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Trend, no data');
    act(() => void frames.flush());
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Trend from 5 to 7');
  });
});
