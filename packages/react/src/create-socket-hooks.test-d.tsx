import { describe, expectTypeOf, it } from 'vitest';
import type { Ack, ChannelState, Connection, SendResult } from '@socketboard/core';
import { createSocketHooks } from './create-socket-hooks';
import type { ChannelResult } from './use-channel';

type Channels = {
  trades: { price: number; size: number };
  orders: { id: string; side: 'buy' | 'sell' };
};

const { useChannel, useSocket, SocketProvider } = createSocketHooks<Channels>();

describe('createSocketHooks<Channels>()', () => {
  it('infers the payload of a channel from its name', () => {
    const trades = useChannel('trades');
    expectTypeOf(trades).toEqualTypeOf<ChannelResult<{ price: number; size: number }>>();
    expectTypeOf(trades.data).toEqualTypeOf<{ price: number; size: number } | undefined>();
    expectTypeOf(trades.history).toEqualTypeOf<readonly { price: number; size: number }[]>();
  });

  it('rejects a channel that is not in the map', () => {
    // @ts-expect-error 'quotes' is not a channel
    useChannel('quotes');
  });

  it('checks what publish sends and types its result', () => {
    const { publish } = useChannel('orders');
    expectTypeOf(publish({ id: 'o1', side: 'buy' })).toEqualTypeOf<SendResult>();
    expectTypeOf(publish({ id: 'o1', side: 'sell' }, { ack: true })).toEqualTypeOf<Promise<Ack>>();
    // @ts-expect-error side must be 'buy' or 'sell'
    void publish({ id: 'o1', side: 'hold' });
    // @ts-expect-error a trade is not an order
    void publish({ price: 1, size: 2 });
  });

  it('types select, isEqual and onMessage from the channel', () => {
    const price = useChannel('trades', {
      select: (s) => s.data?.price,
      isEqual: (a, b) => {
        expectTypeOf(a).toEqualTypeOf<number | undefined>();
        return a === b;
      },
      onMessage: (data, meta) => {
        expectTypeOf(data).toEqualTypeOf<{ price: number; size: number }>();
        expectTypeOf(meta.seq).toEqualTypeOf<number | undefined>();
      },
    });
    expectTypeOf(price).toEqualTypeOf<number | undefined>();
    const state = useChannel('trades', { select: (s) => s });
    expectTypeOf(state).toEqualTypeOf<ChannelState<{ price: number; size: number }>>();
  });

  it('types the connection and publish of useSocket', () => {
    const socket = useSocket();
    expectTypeOf(socket.connection).toEqualTypeOf<Connection<Channels>>();
    expectTypeOf(socket.publish('trades', { price: 1, size: 1 })).toEqualTypeOf<SendResult>();
    // @ts-expect-error the payload of 'trades' has no `id`
    socket.publish('trades', { id: 'x' });
    // @ts-expect-error 'quotes' is not a channel
    socket.publish('quotes', {});
  });

  it('takes a typed shared connection or connection options', () => {
    const connection = {} as Connection<Channels>;
    expectTypeOf(SocketProvider).toBeCallableWith({ connection });
    expectTypeOf(SocketProvider).toBeCallableWith({ url: 'wss://x', reconnect: { maxRetries: 3 } });
    // @ts-expect-error a shared connection takes no connection options
    SocketProvider({ connection, url: 'wss://x' });
  });
});
