// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { act, cleanup, screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { createSocketHooks } from '@socketboard/react';
import { renderWithSocket } from '@socketboard/testing/react';

const { useChannel } = createSocketHooks<{ ticker: number }>();

function Ticker() {
  const { data } = useChannel('ticker');
  return <p>{data === undefined ? 'no price' : `price ${data}`}</p>;
}

const msw = setupServer();
beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  cleanup();
  msw.resetHandlers();
});
afterAll(() => msw.close());

it('serves a component in happy-dom as in jsdom', async () => {
  const { server } = renderWithSocket(<Ticker />, { msw });
  await server.whenSubscribed('ticker');
  act(() => void server.publish('ticker', 101));

  expect(await screen.findByText('price 101')).toBeTruthy();
  expect(server.inbound().map((frame) => frame.t)).toEqual(['hello', 'sub']);
});
