import { RingBuffer } from '@socketboard/core';
import type { ConnectionState, ConnectionStatus } from '@socketboard/core';

/** Whether the link was usable: `unknown` covers time nobody asked for a connection (idle, closed by the app). */
export type Health = 'up' | 'down' | 'unknown';

/** A block of the tracker: `degraded` had both up and down time. */
export type HealthBlockState = 'up' | 'degraded' | 'down' | 'unknown';

export interface HealthBlock {
  readonly from: number;
  readonly to: number;
  readonly state: HealthBlockState;
  readonly upMs: number;
  readonly downMs: number;
}

export interface HealthTransition {
  readonly at: number;
  readonly health: Health;
}

/** `open` is up; trying or having given up is down; idle and closed (the app's choice) are unknown. */
export function healthOf(status: ConnectionStatus): Health {
  switch (status) {
    case 'open':
      return 'up';
    case 'connecting':
    case 'reconnecting':
    case 'failed':
      return 'down';
    default:
      return 'unknown';
  }
}

/**
 * Health from the connection's state, using its notion of an outage (`downSince`): up when open, down
 * from the first drop (or failed first attempt) until the next open, unknown otherwise — idle, closed by
 * the app, and a page's first connect, which is not an outage.
 */
export function healthOfState(state: Pick<ConnectionState, 'status' | 'downSince'>): Health {
  if (state.status === 'open') return 'up';
  return state.downSince === undefined ? 'unknown' : 'down';
}

/** Default transitions kept: far more than any tracker shows, still a few kilobytes. */
export const DEFAULT_HEALTH_CAPACITY = 1024;

/**
 * Up/down history of a connection as a bounded list of transitions, cut into equal blocks for the
 * {@link HealthBlock} tracker. Framework-free: feed it from the connection store's status.
 */
export class HealthHistory {
  private readonly transitions: RingBuffer<HealthTransition>;
  private changes = 0;

  constructor(capacity = DEFAULT_HEALTH_CAPACITY) {
    this.transitions = new RingBuffer<HealthTransition>(capacity);
  }

  get size(): number {
    return this.transitions.size;
  }

  /** Time of the newest transition, or undefined before the first. */
  get lastAt(): number | undefined {
    return this.transitions.last()?.at;
  }

  /** Bumped by every recorded transition: a cheap snapshot for `useSyncExternalStore`. */
  get revision(): number {
    return this.changes;
  }

  /** Records that health became `health` at `at`. Repeats are ignored; a clock that steps back is clamped. */
  record(health: Health, at: number): void {
    const last = this.transitions.last();
    if (last !== undefined && last.health === health) return;
    this.transitions.push({ at: last === undefined ? at : Math.max(at, last.at), health });
    this.changes++;
  }

  /** The transitions kept, oldest first. */
  toArray(): HealthTransition[] {
    return this.transitions.toArray();
  }

  /** `count` consecutive blocks of `blockMs` up to `now`, oldest first (see {@link healthBlocks}). */
  blocks(now: number, blockMs: number, count: number, align = false): HealthBlock[] {
    return healthBlocks(this.transitions.toArray(), now, blockMs, count, align);
  }

  clear(): void {
    this.transitions.clear();
    this.changes++;
  }
}

/**
 * Cuts a transition list into `count` blocks of `blockMs` (oldest first), summing the up and down time
 * inside each up to `now`. The last block ends at `now`, or with `align` at the next multiple of
 * `blockMs` (so blocks keep their boundaries as time passes). Time before the first transition is unknown.
 */
export function healthBlocks(
  transitions: readonly HealthTransition[],
  now: number,
  blockMs: number,
  count: number,
  align = false,
): HealthBlock[] {
  const blocks: HealthBlock[] = [];
  const end = align ? Math.ceil(now / blockMs) * blockMs : now;
  const start = end - blockMs * count;
  let k = 0;
  for (let b = 0; b < count; b++) {
    const from = start + b * blockMs;
    const to = from + blockMs;
    // Skip the transitions whose segment ended before this block.
    while (k + 1 < transitions.length && transitions[k + 1]!.at <= from) k++;
    let upMs = 0;
    let downMs = 0;
    for (let j = k; j < transitions.length; j++) {
      const t = transitions[j]!;
      if (t.at >= to) break;
      const segEnd = Math.min(transitions[j + 1]?.at ?? now, to, now);
      const segStart = Math.max(t.at, from);
      const ms = segEnd - segStart;
      if (ms <= 0) continue;
      if (t.health === 'up') upMs += ms;
      else if (t.health === 'down') downMs += ms;
    }
    const state: HealthBlockState =
      upMs > 0 && downMs > 0 ? 'degraded' : upMs > 0 ? 'up' : downMs > 0 ? 'down' : 'unknown';
    blocks.push({ from, to, state, upMs, downMs });
  }
  return blocks;
}

/** Share of known time that was up over the blocks (0–1), or undefined when none is known. */
export function uptimeRatio(blocks: readonly HealthBlock[]): number | undefined {
  let up = 0;
  let known = 0;
  for (const block of blocks) {
    up += block.upMs;
    known += block.upMs + block.downMs;
  }
  return known === 0 ? undefined : up / known;
}
