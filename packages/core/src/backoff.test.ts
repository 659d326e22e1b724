import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOSE_CODES, backoffDelay, createClassifyClose, defaultClassifyClose } from './backoff';
import { SocketboardConfigError } from './errors';

const defaults = { initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 };
const ceilingOf = (attempt: number, o = defaults) =>
  Math.min(o.maxDelayMs, o.initialDelayMs * o.factor ** (attempt - 1));
const ALMOST_ONE = 1 - Number.EPSILON / 2; // the largest double below 1
const attempts = Array.from({ length: 20 }, (_, i) => i + 1);

describe('backoffDelay', () => {
  it('gives 0 ms for every attempt when random is 0', () => {
    expect(attempts.map((a) => backoffDelay(a, defaults, () => 0))).toEqual(attempts.map(() => 0));
  });

  it('gives half the ceiling when random is 0.5', () => {
    expect(attempts.map((a) => backoffDelay(a, defaults, () => 0.5))).toEqual(
      attempts.map((a) => Math.floor(ceilingOf(a) / 2)),
    );
  });

  it('stays strictly below the ceiling when random is just under 1', () => {
    const delays = attempts.map((a) => backoffDelay(a, defaults, () => ALMOST_ONE));
    expect(delays).toEqual(attempts.map((a) => ceilingOf(a) - 1));
  });

  it('doubles the ceiling per attempt until it reaches maxDelayMs', () => {
    const top = attempts.map((a) => backoffDelay(a, defaults, () => ALMOST_ONE) + 1);
    expect(top.slice(0, 8)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(new Set(top.slice(6))).toEqual(new Set([30_000]));
  });

  it('never exceeds maxDelayMs however large the attempt (no overflow to Infinity or NaN)', () => {
    for (const attempt of [100, 1_100, 1e6, Number.MAX_SAFE_INTEGER]) {
      expect(backoffDelay(attempt, defaults, () => ALMOST_ONE)).toBe(29_999);
    }
  });

  it('caps an infinite maxDelayMs at the largest delay setTimeout honours', () => {
    const delay = backoffDelay(2_000, { initialDelayMs: 500, maxDelayMs: Infinity, factor: 2 }, () => ALMOST_ONE);
    expect(delay).toBe(2_147_483_646);
  });

  it('keeps the delay inside [0, ceiling) even for a random that returns 1 or more', () => {
    expect(backoffDelay(3, defaults, () => 1)).toBe(1_999);
    expect(backoffDelay(3, defaults, () => 7)).toBe(1_999);
  });

  it('treats a negative or NaN random as 0', () => {
    expect(backoffDelay(3, defaults, () => -0.5)).toBe(0);
    expect(backoffDelay(3, defaults, () => Number.NaN)).toBe(0);
  });

  it('treats attempts below 1 as the first attempt', () => {
    expect(backoffDelay(0, defaults, () => ALMOST_ONE)).toBe(499);
  });

  it('gives 0 when initialDelayMs is 0', () => {
    expect(backoffDelay(5_000, { initialDelayMs: 0, maxDelayMs: 30_000, factor: 2 }, () => 0.9)).toBe(0);
  });

  it('spreads delays over the whole window: 0 <= delay < ceiling for any options and random (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2_000 }),
        fc.double({ min: 1, max: 10_000, noNaN: true }),
        fc.double({ min: 1, max: 1e7, noNaN: true }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, initialDelayMs, extra, factor, r) => {
          const options = { initialDelayMs, maxDelayMs: initialDelayMs + extra, factor };
          const delay = backoffDelay(attempt, options, () => r);
          const ceiling = ceilingOf(attempt, options);
          expect(Number.isInteger(delay)).toBe(true);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(ceiling);
        },
      ),
    );
  });

  it('grows monotonically with the attempt for a fixed random (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, r) => {
          expect(backoffDelay(a + 1, defaults, () => r)).toBeGreaterThanOrEqual(backoffDelay(a, defaults, () => r));
        },
      ),
    );
  });
});

describe('defaultClassifyClose', () => {
  it.each([1000, 1002, 1003, 1007, 1008, 1009, 1010, 4000, 4002, 4003, 4050, 4099])('stops on %i', (code) => {
    expect(defaultClassifyClose(code, '')).toBe('stop');
  });

  it('reauths on 4001 (auth expired)', () => {
    expect(defaultClassifyClose(4001, 'token expired')).toBe('reauth');
  });

  it.each([1001, 1004, 1005, 1006, 1011, 1012, 1013, 1014, 1015, 3000, 3999, 4100, 4999, 0, 999, 65535])(
    'retries on %i',
    (code) => {
      expect(defaultClassifyClose(code, '')).toBe('retry');
    },
  );

  it('ignores the reason', () => {
    expect(defaultClassifyClose(1006, 'stop now')).toBe('retry');
  });
});

describe('DEFAULT_CLOSE_CODES', () => {
  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_CLOSE_CODES)).toBe(true);
  });

  it('lists the whole 4000–4099 application range', () => {
    const app = Object.keys(DEFAULT_CLOSE_CODES)
      .map(Number)
      .filter((c) => c >= 4000);
    expect(app).toHaveLength(100);
    expect(Math.max(...app)).toBe(4099);
  });

  it('agrees with defaultClassifyClose on every listed code', () => {
    for (const [code, action] of Object.entries(DEFAULT_CLOSE_CODES)) {
      expect(defaultClassifyClose(Number(code), '')).toBe(action);
    }
  });
});

describe('createClassifyClose', () => {
  it('overrides single codes and keeps the default table for the rest', () => {
    const classify = createClassifyClose({ retry: [4003], reauth: [4401], stop: [1013] });
    expect(classify(4003, '')).toBe('retry');
    expect(classify(4401, '')).toBe('reauth');
    expect(classify(1013, '')).toBe('stop');
    expect(classify(4002, '')).toBe('stop');
    expect(classify(4001, '')).toBe('reauth');
    expect(classify(1006, '')).toBe('retry');
    expect(classify(4500, '')).toBe('retry');
  });

  it('can turn the default reauth code into a stop', () => {
    expect(createClassifyClose({ stop: [4001] })(4001, '')).toBe('stop');
  });

  it('with no overrides classifies like the default', () => {
    const classify = createClassifyClose({});
    for (const code of [1000, 1006, 4001, 4050, 4200]) expect(classify(code, '')).toBe(defaultClassifyClose(code, ''));
  });

  it('does not change the default table', () => {
    createClassifyClose({ retry: [1000] });
    expect(defaultClassifyClose(1000, '')).toBe('stop');
  });

  it('rejects a code listed under two actions', () => {
    expect(() => createClassifyClose({ stop: [4003], retry: [4003] })).toThrow(SocketboardConfigError);
    expect(() => createClassifyClose({ stop: [4003], retry: [4003] })).toThrow(/4003 is also listed under `stop`/);
  });

  it('accepts a code repeated under the same action', () => {
    expect(createClassifyClose({ retry: [4003, 4003] })(4003, '')).toBe('retry');
  });

  it('rejects a code that is not an integer', () => {
    expect(() => createClassifyClose({ reauth: [4001.5] })).toThrow(SocketboardConfigError);
  });
});
