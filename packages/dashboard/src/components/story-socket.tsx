/*
 * Story helpers (not part of the package): a mock Socketboard server per story on msw's WebSocket
 * interception, so socket-fed stories need no server, and a clock for data-prop stories that move.
 */
import { useEffect, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import type { Decorator } from '@storybook/react-vite';
import type { WebSocketHandler } from 'msw';
import type { SetupWorker } from 'msw/browser';
import type { ConnectionOptions } from '@socketboard/core';
import { SocketProvider, useChannel } from '@socketboard/react';
import { createMockSocketServer } from '@socketboard/testing';
import type { MockSocketServer } from '@socketboard/testing';
import { alignedNow, cpuAt, eventAt } from './story-data';

/** Starts publishing (or scripting faults) on `server`; returns what stops it. Runs while the story is mounted. */
export type Feed = (server: MockSocketServer) => () => void;

export interface MockSocketOptions {
  /** What the server does while the story is shown. */
  feed?: Feed;
  /** Options of the story's `SocketProvider` (anything but `url`). */
  connection?: Omit<ConnectionOptions, 'url'>;
  /** Channels to subscribe to without showing them, so the connection has traffic (health stories). */
  sink?: readonly string[];
}

export interface MockSocket {
  readonly server: MockSocketServer;
  /** Spread into a story: the msw handler (`parameters.msw.handlers`) and the provider decorator. */
  readonly story: {
    readonly parameters: { readonly msw: { readonly handlers: WebSocketHandler[] } };
    readonly decorators: Decorator[];
  };
}

function ChannelSink({ channel }: { channel: string }): null {
  // Subscribes; the selected value never changes, so this never re-renders.
  useChannel(channel, { select: () => 0 });
  return null;
}

function SocketStory({
  socket,
  options,
  children,
}: {
  socket: MockSocketServer;
  options: MockSocketOptions;
  children: ReactNode;
}): ReactElement {
  const { feed } = options;
  useEffect(() => feed?.(socket), [feed, socket]);
  return (
    <SocketProvider {...options.connection} url={socket.url}>
      {options.sink?.map((channel) => (
        <ChannelSink key={channel} channel={channel} />
      ))}
      {children}
    </SocketProvider>
  );
}

/**
 * A mock server at `wss://<name>.stories.socketboard.test/socket` for one story. msw-storybook-addon's
 * loader registers its handler from `parameters.msw.handlers` before the story renders; on a docs
 * page, where every story's loader resets the handlers of the one before, the decorator puts it back.
 */
export function mockSocket(name: string, options: MockSocketOptions = {}): MockSocket {
  const server = createMockSocketServer(`wss://${name}.stories.socketboard.test/socket`);
  const decorator: Decorator = (Story, context) => {
    const worker = (context as { msw?: SetupWorker }).msw;
    if (worker !== undefined && !worker.listHandlers().includes(server.handler)) worker.use(server.handler);
    return (
      <SocketStory socket={server} options={options}>
        <Story />
      </SocketStory>
    );
  };
  return { server, story: { parameters: { msw: { handlers: [server.handler] } }, decorators: [decorator] } };
}

/** Runs `tick` every `intervalMs` once `channel` has a subscriber, after `backfill` (history) once. */
function publisher(
  server: MockSocketServer,
  channel: string,
  intervalMs: number,
  tick: () => void,
  backfill?: () => void,
): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;
  void server.whenSubscribed(channel).then(() => {
    if (stopped) return;
    backfill?.();
    tick();
    timer = setInterval(tick, intervalMs);
  });
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}

/** A CPU sample as the story server publishes it on `cpu`. */
export interface CpuMessage {
  readonly at: number;
  readonly user: number;
  readonly system: number;
}

/** Publishes `{ at, user, system }` on `cpu` every `intervalMs`, after `backfillMs` of history. */
export function cpuFeed(intervalMs = 500, backfillMs = 60_000): Feed {
  return (server) => {
    let at = alignedNow(intervalMs);
    const publish = (time: number) =>
      server.publish('cpu', { at: time, ...cpuAt(Math.round(time / intervalMs)) } satisfies CpuMessage);
    return publisher(
      server,
      'cpu',
      intervalMs,
      () => {
        at = Math.max(at + intervalMs, Date.now());
        publish(at);
      },
      () => {
        for (let time = at - backfillMs; time < at; time += intervalMs) publish(time);
      },
    );
  };
}

/** Publishes a log line on `events` every `intervalMs`, after `backfill` lines of history. */
export function eventsFeed(intervalMs = 900, backfill = 8): Feed {
  return (server) => {
    let n = 0;
    return publisher(
      server,
      'events',
      intervalMs,
      () => server.publish('events', eventAt(n++, Date.now())),
      () => {
        const now = Date.now();
        for (; n < backfill; n++) server.publish('events', eventAt(n, now - (backfill - n) * 4_000));
      },
    );
  };
}

/**
 * Traffic for the connection-health stories, in 500 ms cycles: a few messages on `ticks` every 100 ms
 * for 300 ms, then 200 ms of quiet in which the heartbeat (interval 200 ms or less) pings. The server
 * answers a little later each cycle (`delay`), so the round trip moves; every 500 ms sample of the
 * metrics sees one whole cycle, so the rates stay smooth.
 */
export const trafficFeed: Feed = (server) => {
  let tick = 0;
  return publisher(server, 'ticks', 100, () => {
    const phase = tick % 5;
    const cycle = Math.floor(tick / 5);
    tick++;
    if (phase === 0) server.delay(Math.round(20 + 25 * Math.abs(Math.sin(cycle / 5)) + (cycle % 13 === 0 ? 90 : 0)));
    if (phase > 2) return;
    const count = 2 + ((cycle + phase) % 3);
    for (let i = 0; i < count; i++) server.publish('ticks', { cycle, phase, i, pad: 'x'.repeat(120) });
  });
};

/** Keeps the server refusing every connection, as during an outage, until the story ends. */
export const outageFeed: Feed = (server) => {
  server.refuseNext(Infinity);
  server.drop();
  return () => server.refuseNext(0);
};

/**
 * Up for `upMs`, then down (refusing) for `downMs`, repeatedly: a flapping link for the health tracker.
 */
export function flappingFeed(upMs: number, downMs: number): Feed {
  return (server) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const down = () => {
      server.refuseNext(Infinity);
      server.drop();
      timer = setTimeout(up, downMs);
    };
    const up = () => {
      server.refuseNext(0);
      timer = setTimeout(down, upMs);
    };
    timer = setTimeout(down, upMs);
    return () => {
      clearTimeout(timer);
      server.refuseNext(0);
    };
  };
}

/** The clock, re-read every `intervalMs`: data-prop stories rebuild their data from it, so they move. */
export function useTicker(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Points in the first line (or area outline) a chart under `root` draws: play functions wait for a few. */
export function drawnPoints(root: Element): number {
  const d = root.querySelector('path.recharts-line-curve, path.recharts-area-curve')?.getAttribute('d') ?? '';
  return d.match(/[ML]/g)?.length ?? 0;
}
