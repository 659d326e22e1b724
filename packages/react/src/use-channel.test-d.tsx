import { describe, expectTypeOf, it } from 'vitest';
import type { MessageMeta, SubscribeOptions } from '@socketboard/core';
import { useChannel } from './index';
import type { UseChannelOptions } from './index';
import '../test/channels';

describe('useChannel since (backfill on mount)', () => {
  it('takes a seq number, alone or with select, and leaves the result type as it was', () => {
    expectTypeOf(useChannel('cpu', { since: 0, history: 60 }).history).toEqualTypeOf<readonly { load: number }[]>();
    expectTypeOf(useChannel('cpu', { since: 0, select: (s) => s.history.length })).toEqualTypeOf<number>();
    // @ts-expect-error since is a seq, not a flag
    useChannel('cpu', { since: true });
  });

  it('is the same option as core subscribe’s, and listeners see whether a message was replayed', () => {
    expectTypeOf<UseChannelOptions<number>['since']>().toEqualTypeOf<SubscribeOptions<number>['since']>();
    expectTypeOf<MessageMeta['replayed']>().toEqualTypeOf<boolean>();
  });
});
