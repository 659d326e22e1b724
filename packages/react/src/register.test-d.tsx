import { describe, expectTypeOf, it } from 'vitest';
import type { SendResult } from '@socketboard/core';
import { useChannel, useSocket } from './index';
import type { RegisteredChannels } from './index';
// Registers TestChannels through `declare module … { interface Register … }` on the package entry.
import type { TestChannels } from '../test/channels';

describe('a channel map registered by module augmentation', () => {
  it('is what the package exports are typed with', () => {
    expectTypeOf<RegisteredChannels>().toEqualTypeOf<{ [K in keyof TestChannels]: TestChannels[K] }>();
  });

  it('gives useChannel its payload type from the name', () => {
    expectTypeOf(useChannel('cpu').data).toEqualTypeOf<{ load: number } | undefined>();
    expectTypeOf(useChannel('a').data).toEqualTypeOf<number | undefined>();
    expectTypeOf(useChannel('chat', { select: (s) => s.data?.text })).toEqualTypeOf<string | undefined>();
    // @ts-expect-error 'memory' is not registered
    useChannel('memory');
  });

  it('makes a wrong publish payload a type error', () => {
    const { publish } = useChannel('cpu');
    expectTypeOf(publish({ load: 1 })).toEqualTypeOf<SendResult>();
    // @ts-expect-error load is a number
    void publish({ load: 'high' });
    // @ts-expect-error useSocket().publish is typed the same way
    useSocket().publish('chat', { from: 'ada' });
  });
});
