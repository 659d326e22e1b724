import { describe, expect, it } from 'vitest';
import { formatDuration, formatValue, formatValueParts } from './format';

const en = { locale: 'en-US' };

describe('formatValue', () => {
  it('shows noValue for undefined, null and NaN', () => {
    expect(formatValue(undefined)).toBe('–');
    expect(formatValue(null, { noValue: 'No data' })).toBe('No data');
    expect(formatValue(NaN, { noValue: 'n/a' })).toBe('n/a');
  });

  it('picks decimals by magnitude unless decimals is given', () => {
    expect(formatValue(1.23456, en)).toBe('1.23');
    expect(formatValue(12.3456, en)).toBe('12.3');
    expect(formatValue(1234.5, en)).toBe('1,235');
    expect(formatValue(2, { ...en, decimals: 2 })).toBe('2.00');
  });

  it('scales bytes in IEC steps and byte rates per second', () => {
    expect(formatValue(1536, { ...en, unit: 'bytes' })).toBe('1.5\u00a0KiB');
    expect(formatValue(5 * 1024 * 1024, { ...en, unit: 'Bps' })).toBe('5\u00a0MiB/s');
    expect(formatValue(2_500_000, { ...en, unit: 'bps' })).toBe('2.5\u00a0Mb/s');
  });

  it('scales durations and formats percentages of both kinds', () => {
    expect(formatValue(42, { ...en, unit: 'ms' })).toBe('42\u00a0ms');
    expect(formatValue(2_500, { ...en, unit: 'ms' })).toBe('2.5\u00a0s');
    expect(formatValue(90, { ...en, unit: 's' })).toBe('1.5\u00a0min');
    expect(formatValue(42.5, { ...en, unit: 'percent', decimals: 1 })).toBe('42.5%');
    expect(formatValue(0.425, { ...en, unit: 'percentunit', decimals: 1 })).toBe('42.5%');
  });

  it('uses an unknown unit as a suffix and valueFormatter over everything', () => {
    expect(formatValueParts(21.5, { ...en, unit: '°C' })).toEqual({ value: '21.5', unit: '°C' });
    expect(formatValue(3, { unit: 'bytes', valueFormatter: (v) => `${v} things` })).toBe('3 things');
  });

  it('compacts large numbers for short and msgps', () => {
    expect(formatValue(12_345, { ...en, unit: 'short' })).toBe('12.3K');
    expect(formatValue(1_500_000, { ...en, unit: 'msgps' })).toBe('1.5M\u00a0msg/s');
  });
});

describe('formatDuration', () => {
  it('states a span in its largest sensible unit', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(90 * 60_000)).toBe('1 h 30 min');
    expect(formatDuration(3 * 86_400_000)).toBe('3 d');
  });
});
