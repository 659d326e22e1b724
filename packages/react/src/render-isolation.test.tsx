import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Profiler, useEffect } from 'react';
import type { ReactNode } from 'react';
import { createConnection } from '@socketboard/core';
import type { Connection } from '@socketboard/core';
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import '../test/channels';
import { manualFrames } from '../test/fake-socket';
import { mockSocketServerPerTest } from '../test/mock-socket';
import { renderStrict } from '../test/render';
import type { Deliver } from './channel-view';
import { SocketProvider } from './socket-provider';
import { useChannel } from './use-channel';
import { useConnectionMetrics } from './use-connection-metrics';
import { useConnectionStatus } from './use-connection-status';

const server = mockSocketServerPerTest();

let frames: ReturnType<typeof manualFrames>;
let connection: Connection;

beforeEach(() => {
  // Frames run only when a test says so: "within one frame" is then exact, not a matter of speed.
  frames = manualFrames();
  vi.stubGlobal('requestAnimationFrame', frames.requestAnimationFrame);
  vi.stubGlobal('cancelAnimationFrame', frames.cancelAnimationFrame);
  connection = createConnection({ url: server.current.url, heartbeat: false });
  connection.connect();
});

afterEach(() => {
  cleanup();
  connection.close();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Commits per Profiler id (StrictMode's double render is one commit). */
function commitCounter() {
  const commits = new Map<string, number>();
  return {
    onRender: (id: string) => commits.set(id, (commits.get(id) ?? 0) + 1),
    of: (id: string) => commits.get(id) ?? 0,
    reset: () => commits.clear(),
  };
}

function Reader({ channel, id, deliver }: { channel: 'a' | 'b'; id: string; deliver?: Deliver }) {
  const { data } = useChannel(channel, { deliver });
  return <p data-testid={id}>{data ?? '-'}</p>;
}

function mount(children: ReactNode) {
  return renderStrict(<SocketProvider connection={connection}>{children}</SocketProvider>);
}

/** Runs frames until every listed channel is subscribed on screen and on the server. */
async function untilSubscribed(...channels: Array<'a' | 'b'>) {
  await waitFor(() => {
    act(() => {
      frames.frame();
    });
    for (const channel of channels) {
      expect(connection.channel(channel).getState().status).toBe('subscribed');
      expect(server.current.subscribers(channel)).toBe(1);
    }
  });
  act(() => {
    frames.frame();
  });
}

async function publishBurst(channel: 'a' | 'b', count: number) {
  const before = connection.channel(channel).getState().count;
  for (let i = 1; i <= count; i++) server.current.publish(channel, i);
  await waitFor(() => expect(connection.channel(channel).getState().count).toBe(before + count));
}

describe('render isolation', () => {
  it('a message on channel A renders no component of channel B', async () => {
    const commits = commitCounter();
    mount(
      <>
        <Profiler id="A" onRender={commits.onRender}>
          <Reader channel="a" id="a" />
        </Profiler>
        <Profiler id="B" onRender={commits.onRender}>
          <Reader channel="b" id="b" />
          <Reader channel="b" id="b2" />
        </Profiler>
      </>,
    );
    await untilSubscribed('a', 'b');
    commits.reset();
    await publishBurst('a', 1);
    act(() => {
      frames.frame();
    });
    expect(screen.getByTestId('a').textContent).toBe('1');
    expect(commits.of('A')).toBe(1);
    expect(commits.of('B')).toBe(0);
  });

  it("renders each component at most once for a burst of 1 000 messages within one frame ('frame')", async () => {
    const commits = commitCounter();
    function Load() {
      const load = useChannel('a', { select: (s) => ({ value: s.data ?? 0 }) });
      return <p data-testid="selected">{load.value}</p>;
    }
    mount(
      <>
        {['r1', 'r2', 'r3'].map((id) => (
          <Profiler key={id} id={id} onRender={commits.onRender}>
            <Reader channel="a" id={id} />
          </Profiler>
        ))}
        <Profiler id="selected" onRender={commits.onRender}>
          <Load />
        </Profiler>
      </>,
    );
    await untilSubscribed('a');
    commits.reset();
    await publishBurst('a', 1_000);
    for (const id of ['r1', 'r2', 'r3', 'selected']) expect(commits.of(id)).toBe(0);
    act(() => {
      frames.frame();
    });
    for (const id of ['r1', 'r2', 'r3', 'selected']) {
      expect(commits.of(id)).toBe(1);
      expect(screen.getByTestId(id).textContent).toBe('1000');
    }
  });

  it("renders every one of 1 000 messages in order ('every'), and passes each to onMessage", async () => {
    const rendered: number[] = [];
    const received: number[] = [];
    function Every() {
      const { data } = useChannel('a', { deliver: 'every', onMessage: (d) => received.push(d) });
      useEffect(() => {
        if (data !== undefined) rendered.push(data);
      }, [data]);
      return <p data-testid="every">{data ?? '-'}</p>;
    }
    mount(<Every />);
    await untilSubscribed('a');
    const expected = Array.from({ length: 1_000 }, (_, i) => i + 1);
    await publishBurst('a', 1_000);
    expect(received).toEqual(expected);
    await waitFor(() => expect(rendered).toHaveLength(1_000));
    expect(rendered).toEqual(expected);
    expect(screen.getByTestId('every').textContent).toBe('1000');
  });

  it('calls onMessage for every message without rendering', async () => {
    const commits = commitCounter();
    const received: number[] = [];
    function Listener() {
      useChannel('b', { onMessage: (d) => received.push(d), select: (s) => s.status });
      return null;
    }
    mount(
      <Profiler id="listener" onRender={commits.onRender}>
        <Listener />
      </Profiler>,
    );
    await untilSubscribed('b');
    commits.reset();
    await publishBurst('b', 50);
    act(() => {
      frames.frame();
    });
    expect(received).toHaveLength(50);
    expect(commits.of('listener')).toBe(0);
  });
});

describe('selectors that build fresh objects', () => {
  it('neither loop nor re-render when the selection is equal', async () => {
    const errors = vi.spyOn(console, 'error');
    const commits = commitCounter();
    function Fresh() {
      const channel = useChannel('a', { select: (s) => ({ status: s.status }) });
      const status = useConnectionStatus((s) => ({ status: s.status, online: s.online }));
      const metrics = useConnectionMetrics((m) => ({ samples: m.samples.length > 0 }));
      return (
        <p data-testid="fresh">
          {channel.status}/{status.status}/{String(metrics.samples)}
        </p>
      );
    }
    function FreshByIdentity() {
      // Object.is on a fresh object would re-render on every change, but must still not loop.
      const value = useChannel('a', { select: (s) => ({ data: s.data }), isEqual: Object.is });
      return <p data-testid="identity">{value.data ?? '-'}</p>;
    }
    mount(
      <>
        <Profiler id="fresh" onRender={commits.onRender}>
          <Fresh />
        </Profiler>
        <FreshByIdentity />
      </>,
    );
    await untilSubscribed('a');
    await waitFor(() => expect(screen.getByTestId('fresh').textContent).toBe('subscribed/open/false'));
    commits.reset();
    await publishBurst('a', 20);
    act(() => {
      frames.frame();
    });
    expect(screen.getByTestId('identity').textContent).toBe('20');
    expect(commits.of('fresh')).toBe(0);
    expect(errors).not.toHaveBeenCalled();
  });
});
