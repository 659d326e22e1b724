/*
 * Data for the Storybook stories (not part of the package): deterministic series, metric samples, log
 * lines and health blocks, so every story looks the same on every load.
 */
import { EMPTY_METRICS } from '@socketboard/core';
import type { MetricsSnapshot } from '@socketboard/core';
import type { HealthBlockState } from '../health-history';
import type { Thresholds } from '../thresholds';
import type { EventLevel, EventLogItem } from './event-log';

/** A repeatable pseudo-random number in [0, 1) for step `i` (a hash, so any step can be asked for alone). */
export function noise(i: number, seed = 1): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(seed, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0x27d4eb2d);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

/** CPU load in percent at step `i`: a slow wave with jitter, `user` above `system`. */
export function cpuAt(i: number): { user: number; system: number } {
  const user = 38 + 16 * Math.sin(i / 11) + 9 * noise(i, 1);
  const system = 12 + 5 * Math.sin(i / 7 + 1) + 4 * noise(i, 2);
  return { user: round1(user), system: round1(system) };
}

/** Round trip in ms at step `i`: around 40 ms with a spike every so often. */
export function latencyAt(i: number): number {
  const spike = i % 37 > 31 ? 90 + 60 * noise(i, 3) : 0;
  return round1(38 + 10 * Math.sin(i / 6) + 12 * noise(i, 4) + spike);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The time of step `i` of a series that ends at `end` (the newest step, `count - 1`). */
const stepTime = (end: number, stepMs: number, count: number, i: number) => end - (count - 1 - i) * stepMs;

/** Aligns `now` down to a multiple of `stepMs`, so rebuilt series share the times of their older rows. */
export function alignedNow(stepMs: number, now = Date.now()): number {
  return Math.floor(now / stepMs) * stepMs;
}

/** `count` CPU rows `{ time, user, system }`, one per `stepMs`, the newest at `end`. */
export function cpuRows(count: number, stepMs: number, end: number): { time: number; user: number; system: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const time = stepTime(end, stepMs, count, i);
    return { time, ...cpuAt(Math.round(time / stepMs)) };
  });
}

/** `count` latency rows `{ time, value }`, one per `stepMs`, the newest at `end`. */
export function latencyRows(count: number, stepMs: number, end: number): { time: number; value: number }[] {
  return Array.from({ length: count }, (_, i) => {
    const time = stepTime(end, stepMs, count, i);
    return { time, value: latencyAt(Math.round(time / stepMs)) };
  });
}

/** Plain values for sparklines and cards: the `user` CPU series. */
export function cpuValues(count: number, offset = 0): number[] {
  return Array.from({ length: count }, (_, i) => cpuAt(i + offset).user);
}

/** Latency thresholds: green below 80 ms, amber to 150 ms, red above. */
export const LATENCY_THRESHOLDS: Thresholds = {
  mode: 'absolute',
  steps: [
    { value: null, color: 'success' },
    { value: 80, color: 'warning', label: 'slow' },
    { value: 150, color: 'danger', label: 'critical' },
  ],
};

/** Load thresholds in percent of min…max: green, amber from 70%, red from 90%. */
export const LOAD_THRESHOLDS: Thresholds = {
  mode: 'percentage',
  steps: [
    { value: null, color: 'success' },
    { value: 70, color: 'warning', label: 'high' },
    { value: 90, color: 'danger', label: 'critical' },
  ],
};

/** Connection metric samples, one per `stepMs`, the newest at `end`: steady traffic with a latency spike. */
export function metricsSamples(count: number, stepMs: number, end: number): MetricsSnapshot[] {
  let messagesIn = 12_000;
  let messagesOut = 900;
  let bytesIn = 3_400_000;
  let bytesOut = 120_000;
  const samples: MetricsSnapshot[] = [];
  for (let i = 0; i < count; i++) {
    const at = stepTime(end, stepMs, count, i);
    const step = Math.round(at / stepMs);
    const inRate = Math.round(180 + 60 * Math.sin(step / 8) + 40 * noise(step, 5));
    const outRate = Math.round(14 + 6 * Math.sin(step / 5) + 4 * noise(step, 6));
    const seconds = stepMs / 1000;
    messagesIn += inRate * seconds;
    messagesOut += outRate * seconds;
    bytesIn += inRate * 310 * seconds;
    bytesOut += outRate * 140 * seconds;
    const rtt = latencyAt(step);
    samples.push({
      ...EMPTY_METRICS,
      at,
      messagesIn,
      messagesOut,
      bytesIn,
      bytesOut,
      messagesInPerSec: inRate,
      messagesOutPerSec: outRate,
      bytesInPerSec: inRate * 310,
      bytesOutPerSec: outRate * 140,
      rttMs: rtt,
      rttEwmaMs: rtt,
      rttP50Ms: 42,
      rttP95Ms: round1(95 + 10 * Math.sin(step / 20)),
      uptimeMs: 3_720_000 + i * stepMs,
    });
  }
  return samples;
}

const MESSAGES: readonly [EventLevel, string, string][] = [
  ['info', 'api', 'GET /orders 200 in 38 ms'],
  ['success', 'deploy', 'Release 2.14.0 is live on 12 of 12 nodes'],
  ['info', 'socket', 'Client 7f3a subscribed to cpu'],
  ['warning', 'queue', 'Queue depth above 500 for 30 s'],
  ['info', 'api', 'POST /orders 201 in 64 ms'],
  ['error', 'db', 'Replica db-2 missed 3 heartbeats'],
  ['debug', 'cache', 'Evicted 128 keys (LRU)'],
  ['success', 'db', 'Replica db-2 is back in sync'],
  ['info', 'socket', 'Client 91bc resumed its session, 4 messages replayed'],
  ['warning', 'api', 'p95 latency 180 ms on /search'],
];

/** The `n`-th event of the story log (any `n`, repeating the message set). */
export function eventAt(n: number, time: number): EventLogItem {
  const [level, source, message] = MESSAGES[n % MESSAGES.length]!;
  return { id: n, time, level, source, message };
}

/** `count` events, one per `stepMs`, the newest at `end`, oldest first. */
export function eventItems(count: number, stepMs: number, end: number): EventLogItem[] {
  return Array.from({ length: count }, (_, i) => eventAt(i, stepTime(end, stepMs, count, i)));
}

/** 30 health blocks: mostly up, a short incident a third of the way in and a wobble near the end. */
export const INCIDENT_BLOCKS: readonly HealthBlockState[] = [
  ...Array<HealthBlockState>(9).fill('up'),
  'degraded',
  'down',
  'down',
  'degraded',
  ...Array<HealthBlockState>(12).fill('up'),
  'degraded',
  ...Array<HealthBlockState>(4).fill('up'),
];

/** 30 health blocks, all up. */
export const ALL_UP_BLOCKS: readonly HealthBlockState[] = Array<HealthBlockState>(30).fill('up');

/** 30 health blocks: the first ones before the app ran (no data), then up. */
export const SINCE_START_BLOCKS: readonly HealthBlockState[] = [
  ...Array<HealthBlockState>(18).fill('unknown'),
  ...Array<HealthBlockState>(12).fill('up'),
];
