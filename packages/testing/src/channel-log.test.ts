import { describe, expect, it } from 'vitest';
import { ChannelLog } from './channel-log';

function logWith(count: number, limit = 100): ChannelLog {
  const log = new ChannelLog('cpu', limit);
  for (let i = 1; i <= count; i++) log.append(i);
  return log;
}

const seqs = (log: ChannelLog, since: number | undefined) => log.replay(since).messages.map((m) => m.seq);

describe('ChannelLog', () => {
  it('numbers messages 1, 2, 3… and encodes each as a msg frame', () => {
    const log = new ChannelLog('cpu', 10);
    expect(log.append({ load: 1 })).toEqual({ seq: 1, frame: '{"t":"msg","ch":"cpu","seq":1,"d":{"load":1}}' });
    expect(log.append(null).seq).toBe(2);
  });

  it('replays nothing without since, and nothing when since is the current seq; both resumed', () => {
    const log = logWith(3);
    expect(log.replay(undefined)).toEqual({ messages: [], seq: 3, resumed: true });
    expect(log.replay(3)).toEqual({ messages: [], seq: 3, resumed: true });
  });

  it('replays the messages after since, in order', () => {
    const log = logWith(5);
    expect(seqs(log, 2)).toEqual([3, 4, 5]);
    expect(log.replay(2).resumed).toBe(true);
    expect(seqs(log, 0)).toEqual([1, 2, 3, 4, 5]);
  });

  it('replays what it still holds but reports resumed: false once the buffer no longer reaches since + 1', () => {
    const log = logWith(5, 2);
    expect(log.replay(3)).toMatchObject({ seq: 5, resumed: true });
    expect(seqs(log, 1)).toEqual([4, 5]);
    expect(log.replay(1).resumed).toBe(false);
    expect(logWith(5, 0).replay(4)).toEqual({ messages: [], seq: 5, resumed: false });
  });

  it('reports resumed: false for a since above the current seq (the server lost the channel state)', () => {
    expect(logWith(2).replay(7)).toEqual({ messages: [], seq: 2, resumed: false });
  });
});
