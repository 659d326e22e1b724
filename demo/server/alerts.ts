import type { DemoEventLevel, SystemSample } from '../shared/channels';

export interface AlertRule {
  readonly name: string;
  /** Raised when the value stayed at or above this… */
  readonly raiseAt: number;
  /** …for this many samples in a row (a single spike is not news), … */
  readonly forSamples: number;
  /** …and cleared once it falls below this, so a value hovering at the line alerts once. */
  readonly clearAt: number;
  readonly read: (sample: SystemSample) => number;
  readonly format: (value: number) => string;
}

export interface AlertEvent {
  readonly level: DemoEventLevel;
  readonly message: string;
}

const pct = (value: number) => `${value.toFixed(0)} %`;

export const DEFAULT_ALERT_RULES: readonly AlertRule[] = [
  { name: 'CPU', raiseAt: 80, forSamples: 5, clearAt: 65, read: (s) => s.cpu.total, format: pct },
  { name: 'Memory', raiseAt: 90, forSamples: 5, clearAt: 85, read: (s) => s.memory.percent, format: pct },
  {
    name: 'Event-loop delay (p99)',
    raiseAt: 100,
    forSamples: 3,
    clearAt: 50,
    read: (s) => s.loop.p99,
    format: (v) => `${v.toFixed(0)} ms`,
  },
];

/**
 * Threshold alerts after Grafana's: a rule fires once its value held above the line for `forSamples`
 * samples, and resolves once it fell below `clearAt` (hysteresis), one event each way.
 */
export class Alerts {
  private readonly above = new Map<string, number>();
  private readonly raised = new Set<string>();

  constructor(private readonly rules: readonly AlertRule[] = DEFAULT_ALERT_RULES) {}

  check(sample: SystemSample): AlertEvent[] {
    const events: AlertEvent[] = [];
    for (const rule of this.rules) {
      const value = rule.read(sample);
      const streak = value >= rule.raiseAt ? (this.above.get(rule.name) ?? 0) + 1 : 0;
      this.above.set(rule.name, streak);
      if (!this.raised.has(rule.name) && streak >= rule.forSamples) {
        this.raised.add(rule.name);
        events.push({
          level: 'warning',
          message: `${rule.name} at ${rule.format(value)}: above ${rule.format(rule.raiseAt)} for ${rule.forSamples} s`,
        });
      } else if (this.raised.has(rule.name) && value < rule.clearAt) {
        this.raised.delete(rule.name);
        events.push({ level: 'success', message: `${rule.name} back to ${rule.format(value)}` });
      }
    }
    return events;
  }
}
