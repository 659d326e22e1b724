// Written as an app's own test would be: a small dashboard on @socketboard/react, tested through
// the public entry of @socketboard/testing.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { useState } from 'react';
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { createSocketHooks } from '@socketboard/react';
import { createMockSocketServer } from '@socketboard/testing';
import { renderWithSocket } from '@socketboard/testing/react';

type Channels = {
  cpu: { load: number };
  chat: { from: string; text: string };
};
const { useChannel, useConnectionStatus } = createSocketHooks<Channels>();

function CpuMeter() {
  const { data } = useChannel('cpu');
  const status = useConnectionStatus((state) => state.status);
  return (
    <section>
      <p>{status}</p>
      <p>{data === undefined ? 'waiting for data' : `CPU ${Math.round(data.load * 100)} %`}</p>
    </section>
  );
}

function Chat() {
  const { data, publish } = useChannel('chat', { deliver: 'every' });
  const [outcome, setOutcome] = useState('');
  const send = (text: string) => setOutcome(publish({ from: 'ada', text }));
  const sendChecked = (text: string) => {
    publish({ from: 'ada', text }, { ack: true }).then(
      () => setOutcome('delivered'),
      (error: Error & { reason?: string }) => setOutcome(`refused: ${error.reason ?? error.message}`),
    );
  };
  return (
    <section>
      <button onClick={() => send('hello')}>send</button>
      <button onClick={() => sendChecked('buy cheap pills')}>send checked</button>
      <p>{outcome}</p>
      <p>{data === undefined ? 'no messages' : `${data.from}: ${data.text}`}</p>
    </section>
  );
}

function Backoff() {
  const { status, attempt, nextRetryAt } = useConnectionStatus();
  return (
    <p data-testid="backoff">
      {status} attempt {attempt} next {nextRetryAt ?? '-'}
    </p>
  );
}

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  msw.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => msw.close());

describe('testing components with renderWithSocket', () => {
  it('shows the data a component subscribed to', async () => {
    const { server } = renderWithSocket(<CpuMeter />, { msw });
    expect(screen.getByText('waiting for data')).toBeTruthy();

    await server.whenSubscribed('cpu');
    act(() => void server.publish('cpu', { load: 0.42 }));

    expect(await screen.findByText('CPU 42 %')).toBeTruthy();
    expect(screen.getByText('open')).toBeTruthy();
  });

  it('shows reconnecting after drop(), then the data continues, missed messages included', async () => {
    const { server } = renderWithSocket(<CpuMeter />, { msw, reconnect: { initialDelayMs: 200 }, random: () => 0.5 });
    await server.whenSubscribed('cpu');
    act(() => void server.publish('cpu', { load: 0.1 }));
    await screen.findByText('CPU 10 %');

    act(() => {
      server.refuseNext(Infinity); // stays down until the test lets it up
      server.drop();
    });
    expect(await screen.findByText('reconnecting')).toBeTruthy();
    expect(screen.getByText('CPU 10 %')).toBeTruthy();
    act(() => void server.publish('cpu', { load: 0.2 })); // missed by the client: replayed on resubscribe

    act(() => server.refuseNext(0));
    expect(await screen.findByText('CPU 20 %')).toBeTruthy();
    expect(screen.getByText('open')).toBeTruthy();
    act(() => void server.publish('cpu', { load: 0.3 }));
    expect(await screen.findByText('CPU 30 %')).toBeTruthy();
  });

  it('delivers a publish made while the connection is down once it is back', async () => {
    const { server, connection } = renderWithSocket(<Chat />, {
      msw,
      reconnect: { initialDelayMs: 200 },
      random: () => 0.5,
    });
    await server.whenSubscribed('chat');
    act(() => {
      server.refuseNext(Infinity);
      server.drop();
    });
    await vi.waitFor(() => expect(connection.store.getState().status).toBe('reconnecting'));

    fireEvent.click(screen.getByText('send'));
    expect(screen.getByText('queued')).toBeTruthy();
    expect(server.received('chat')).toEqual([]);

    act(() => server.refuseNext(0));
    // The server echoes publishes to the channel's subscribers, so the component sees its own message.
    expect(await screen.findByText('ada: hello')).toBeTruthy();
    expect(server.received('chat')).toEqual([{ from: 'ada', text: 'hello' }]);
  });

  it('shows the error of a publish the server nacks', async () => {
    const { server } = renderWithSocket(<Chat />, { msw });
    server.nack((publish) => JSON.stringify(publish.data).includes('pills'), { code: 'forbidden', reason: 'no spam' });
    await server.whenSubscribed('chat');

    fireEvent.click(screen.getByText('send checked'));

    expect(await screen.findByText('refused: no spam')).toBeTruthy();
    expect(server.received()).toEqual([]);
    expect(server.sent('nack')).toMatchObject([{ t: 'nack', code: 'forbidden', reason: 'no spam' }]);
  });

  it('makes the backoff schedule observable with fake timers, without real waiting', async () => {
    vi.useFakeTimers({ now: 0 });
    // random 0.5: each wait is half its ceiling, 500 ms × 2^(attempt − 1).
    const { server, connection } = renderWithSocket(<Backoff />, { msw, random: () => 0.5 });
    const backoff = () => screen.getByTestId('backoff').textContent;
    // msw runs on microtasks: a zero advance lets them settle without moving the clock.
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(backoff()).toBe('open attempt 0 next -');
    expect(connection.store.getState().openedAt).toBe(0);

    server.refuseNext(3);
    server.drop();
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(backoff()).toBe('reconnecting attempt 1 next 250');

    const schedule: [number, number, string | null][] = [];
    for (const wait of [249, 1, 500, 1_000, 2_000]) {
      await act(() => vi.advanceTimersByTimeAsync(wait));
      schedule.push([Date.now(), server.connections, backoff()]);
    }
    expect(schedule).toEqual([
      [249, 1, 'reconnecting attempt 1 next 250'],
      [250, 2, 'reconnecting attempt 2 next 750'],
      [750, 3, 'reconnecting attempt 3 next 1750'],
      [1_750, 4, 'reconnecting attempt 4 next 3750'],
      [3_750, 5, 'open attempt 4 next -'],
    ]);
  });
});

describe('renderWithSocket', () => {
  it('uses a mock server made and registered by the test, and returns the provider connection', async () => {
    const server = createMockSocketServer('wss://elsewhere.test/live');
    msw.use(server.handler);
    const { connection } = renderWithSocket(<CpuMeter />, { server, strict: true });

    await server.whenSubscribed('cpu');
    expect(connection.store.getState().status).toBe('open');
    expect(server.connections).toBe(1);
    expect(server.inbound('sub')).toEqual([{ t: 'sub', ch: 'cpu' }]);
  });

  it('keeps the provider around the ui on rerender', async () => {
    const { server, rerender } = renderWithSocket(<CpuMeter />, { msw });
    await server.whenSubscribed('cpu');
    rerender(<Chat />);
    await server.whenSubscribed('chat');

    expect(server.connections).toBe(1);
  });

  it('says what is missing when it has neither msw nor a server', () => {
    expect(() => renderWithSocket(<CpuMeter />)).toThrow(/needs `msw`/);
  });
});
