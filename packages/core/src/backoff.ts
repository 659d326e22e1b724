import { SocketboardConfigError } from './errors';
import type { ClassifyClose, CloseAction, ReconnectOptions } from './options';

/** `setTimeout` treats anything above 2^31 − 1 ms (about 24.8 days) as 1 ms, so no delay may exceed it. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The wait before reconnect attempt `attempt` (1-based), with "full jitter" (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"): a uniform random pick in `[0, ceiling)`, where
 * `ceiling = min(maxDelayMs, initialDelayMs × factor^(attempt − 1))`.
 *
 * Full jitter can pick a near-zero delay for one attempt; that is intended. It spreads a crowd of
 * clients reconnecting after an outage over the whole window, which is what keeps a server from
 * being stampeded, and the expected delay (`ceiling / 2`) still grows with every attempt, so a
 * single client cannot spin in a tight loop either.
 *
 * Large attempts cannot overflow: `factor^attempt` reaching `Infinity` is capped like any other
 * ceiling. Options are assumed validated at creation; a ceiling that is not positive gives `0`.
 *
 * @param random A value in `[0, 1)`; anything outside is clamped into the window.
 */
export function backoffDelay(
  attempt: number,
  options: Pick<ReconnectOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor'>,
  random: () => number,
): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** exponent, MAX_TIMER_MS);
  if (!(ceiling > 0)) return 0;
  const r = random();
  const delay = r > 0 ? Math.floor(r * ceiling) : 0;
  // Rounding of `r × ceiling` (or an injected random ≥ 1) could reach the ceiling itself.
  return Math.min(delay, Math.ceil(ceiling) - 1);
}

/**
 * What the engine does after each close code by default. Codes not listed retry. Frozen; build a
 * variant with {@link createClassifyClose}.
 */
export const DEFAULT_CLOSE_CODES: Readonly<Record<number, CloseAction>> = Object.freeze({
  // 4000–4099: the application's own policy refusals (bad request, forbidden, …). Retrying cannot
  // help, so they stop, except 4001 below.
  ...codeRange(4000, 4099, 'stop'),
  1000: 'stop', // Normal closure: the server ended the session on purpose.
  1001: 'retry', // Going away: server shutdown or restart (or the page navigating away).
  1002: 'stop', // Protocol error: the peer broke the WebSocket protocol; a retry would repeat it.
  1003: 'stop', // Unsupported data: the peer cannot accept this kind of frame.
  1005: 'retry', // No status received: the close frame carried no code.
  1006: 'retry', // Abnormal closure: the connection dropped without a close frame (network loss).
  1007: 'stop', // Invalid frame payload data, e.g. text that is not UTF-8.
  1008: 'stop', // Policy violation, e.g. a rate limit or a refused origin.
  1009: 'stop', // Message too big: resending it would fail again.
  1010: 'stop', // Mandatory extension: the server did not negotiate an extension the client requires.
  1011: 'retry', // Internal error: the server hit an unexpected condition.
  1012: 'retry', // Service restart.
  1013: 'retry', // Try again later: the server is overloaded.
  1014: 'retry', // Bad gateway: a proxy got an invalid response upstream.
  1015: 'retry', // TLS handshake failure (reported locally, never sent on the wire).
  4001: 'reauth', // Auth expired: fetch a fresh token, then reconnect.
});

function codeRange(from: number, to: number, action: CloseAction): Record<number, CloseAction> {
  const table: Record<number, CloseAction> = {};
  for (let code = from; code <= to; code++) table[code] = action;
  return table;
}

/** Classifies a close code by {@link DEFAULT_CLOSE_CODES}; unlisted codes retry. */
export const defaultClassifyClose: ClassifyClose = (code) => DEFAULT_CLOSE_CODES[code] ?? 'retry';

/** Close codes to classify differently from {@link DEFAULT_CLOSE_CODES}. */
export interface CloseCodeOverrides {
  stop?: readonly number[];
  reauth?: readonly number[];
  retry?: readonly number[];
}

/**
 * A `classifyClose` that applies `overrides` on top of {@link DEFAULT_CLOSE_CODES}, e.g.
 * `createClassifyClose({ retry: [4003], reauth: [4401] })`. Throws a `SocketboardConfigError` when a
 * code is not an integer or appears under two actions.
 */
export function createClassifyClose(overrides: CloseCodeOverrides): ClassifyClose {
  const table = new Map<number, CloseAction>();
  for (const [code, action] of Object.entries(DEFAULT_CLOSE_CODES)) table.set(Number(code), action);
  const seen = new Map<number, CloseAction>();
  for (const action of ['stop', 'reauth', 'retry'] as const) {
    for (const code of overrides[action] ?? []) {
      if (!Number.isInteger(code)) {
        throw new SocketboardConfigError(action, `close codes must be integers, got ${String(code)}.`);
      }
      const earlier = seen.get(code);
      if (earlier !== undefined && earlier !== action) {
        throw new SocketboardConfigError(
          action,
          `close code ${code} is also listed under \`${earlier}\`; list each code once.`,
        );
      }
      seen.set(code, action);
      table.set(code, action);
    }
  }
  return (code) => table.get(code) ?? 'retry';
}
