/**
 * Units after Grafana's: a known id scales and suffixes the value, any other string is used as a
 * suffix as is (`'°C'`, `'req'`).
 *
 * - `none`: the number only. `short`: compact (1.2K, 3.4M).
 * - `percent`: a value 0–100. `percentunit`: a ratio 0–1 shown as percent.
 * - `ms`, `s`: durations, scaled up to minutes and hours.
 * - `bytes` (IEC: KiB, MiB…), `decbytes` (SI: kB, MB…), `Bps` (bytes per second, IEC), `bps` (bits per second, SI).
 * - `msgps`: messages per second, compact.
 */
export type KnownUnit =
  'none' | 'short' | 'percent' | 'percentunit' | 'ms' | 's' | 'bytes' | 'decbytes' | 'Bps' | 'bps' | 'msgps';

export type Unit = KnownUnit | (string & {});

/** Formats a number for display; replaces the unit handling entirely (Tremor's `valueFormatter`). */
export type ValueFormatter = (value: number) => string;

/** The field options every value-showing component takes. */
export interface FormatOptions {
  /** How to scale and suffix the value. Default `'none'`. */
  unit?: Unit;
  /** Fraction digits. Default: automatic (2 below 10, 1 below 100, 0 above). */
  decimals?: number;
  /** Replaces `unit` and `decimals` when given. */
  valueFormatter?: ValueFormatter;
  /** Shown when there is no value (`undefined`, `null`, `NaN`). Default `'–'`. */
  noValue?: string;
  /** BCP 47 locale for `Intl.NumberFormat`. Default: the runtime's. */
  locale?: string;
}

/** A formatted value split for typesetting: the number and its unit, shown smaller. */
export interface FormattedParts {
  readonly value: string;
  readonly unit: string;
}

export const DEFAULT_NO_VALUE = '–';

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${options.minimumFractionDigits ?? ''}|${options.maximumFractionDigits ?? ''}|${options.notation ?? ''}`;
  let format = cache.get(key);
  if (format === undefined) {
    // Intl formatters are expensive to build and cheap to reuse; a handful of keys covers every chart.
    format = new Intl.NumberFormat(locale, options);
    if (cache.size > 64) cache.clear();
    cache.set(key, format);
  }
  return format;
}

function autoDecimals(value: number): number {
  const abs = Math.abs(value);
  if (abs === 0 || abs >= 100) return 0;
  if (abs >= 10) return 1;
  return 2;
}

function plain(value: number, decimals: number | undefined, locale: string | undefined): string {
  const digits = decimals ?? autoDecimals(value);
  const fixed = decimals !== undefined;
  return numberFormat(locale, {
    minimumFractionDigits: fixed ? digits : 0,
    maximumFractionDigits: digits,
  }).format(value);
}

function compact(value: number, decimals: number | undefined, locale: string | undefined): string {
  if (Math.abs(value) < 1000) return plain(value, decimals, locale);
  return numberFormat(locale, {
    notation: 'compact',
    minimumFractionDigits: decimals ?? 0,
    maximumFractionDigits: decimals ?? 1,
  }).format(value);
}

function scaled(
  value: number,
  base: number,
  units: readonly string[],
  decimals: number | undefined,
  locale: string | undefined,
): FormattedParts {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return { value: plain(v, decimals, locale), unit: units[i]! };
}

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
const SI_BYTES = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
const IEC_RATE = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'];
const SI_BITS = ['b/s', 'kb/s', 'Mb/s', 'Gb/s', 'Tb/s'];

function duration(ms: number, decimals: number | undefined, locale: string | undefined): FormattedParts {
  const abs = Math.abs(ms);
  if (abs < 1000) return { value: plain(ms, decimals, locale), unit: 'ms' };
  if (abs < 60_000) return { value: plain(ms / 1000, decimals, locale), unit: 's' };
  if (abs < 3_600_000) return { value: plain(ms / 60_000, decimals, locale), unit: 'min' };
  return { value: plain(ms / 3_600_000, decimals, locale), unit: 'h' };
}

/** True when `value` is a number worth showing (not `undefined`, `null` or `NaN`). */
export function hasValue(value: number | null | undefined): value is number {
  return typeof value === 'number' && !Number.isNaN(value);
}

/**
 * Splits a formatted value into number and unit. With `valueFormatter` the whole text is the value
 * and the unit is empty. Without a value, the value is `noValue`.
 */
export function formatValueParts(value: number | null | undefined, options: FormatOptions = {}): FormattedParts {
  if (!hasValue(value)) return { value: options.noValue ?? DEFAULT_NO_VALUE, unit: '' };
  if (options.valueFormatter !== undefined) return { value: options.valueFormatter(value), unit: '' };
  const { decimals, locale } = options;
  const unit = options.unit ?? 'none';
  if (!Number.isFinite(value)) return { value: value > 0 ? '∞' : '-∞', unit: unit === 'none' ? '' : unit };
  switch (unit) {
    case 'none':
      return { value: plain(value, decimals, locale), unit: '' };
    case 'short':
      return { value: compact(value, decimals, locale), unit: '' };
    case 'percent':
      return { value: plain(value, decimals, locale), unit: '%' };
    case 'percentunit':
      return { value: plain(value * 100, decimals, locale), unit: '%' };
    case 'ms':
      return duration(value, decimals, locale);
    case 's':
      return duration(value * 1000, decimals, locale);
    case 'bytes':
      return scaled(value, 1024, IEC, decimals, locale);
    case 'decbytes':
      return scaled(value, 1000, SI_BYTES, decimals, locale);
    case 'Bps':
      return scaled(value, 1024, IEC_RATE, decimals, locale);
    case 'bps':
      return scaled(value, 1000, SI_BITS, decimals, locale);
    case 'msgps':
      return { value: compact(value, decimals, locale), unit: 'msg/s' };
    default:
      return { value: plain(value, decimals, locale), unit };
  }
}

/** The value as one string, e.g. `'1.5 MiB/s'`, `'42%'`, `'–'`. */
export function formatValue(value: number | null | undefined, options: FormatOptions = {}): string {
  const parts = formatValueParts(value, options);
  if (parts.unit === '') return parts.value;
  // Percent hugs the number, as typeset; other units take a (non-breaking) space.
  return parts.unit === '%' ? `${parts.value}%` : `${parts.value}\u00a0${parts.unit}`;
}

/** A formatter bound to `options`, for recharts' `tickFormatter` and tooltips. */
export function createFormatter(options: FormatOptions): (value: number) => string {
  return (value) => formatValue(value, options);
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** Clock time for axis ticks and tooltips, e.g. `14:03:07`. Seconds are dropped for windows over an hour. */
export function formatTime(ms: number, options: { locale?: string; seconds?: boolean } = {}): string {
  const seconds = options.seconds ?? true;
  const key = `${options.locale ?? ''}|${seconds}`;
  let format = timeFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(options.locale, {
      hour: '2-digit',
      minute: '2-digit',
      ...(seconds ? { second: '2-digit' } : {}),
      hour12: false,
    });
    timeFormats.set(key, format);
  }
  return format.format(ms);
}

/** A span in words for labels and announcements: `'45 s'`, `'5 min'`, `'2 h'`, `'3 d'`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 60_000) return `${Math.round(ms / 1000)} s`;
  if (abs < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (abs < 86_400_000) {
    const h = Math.floor(abs / 3_600_000);
    const m = Math.round((abs % 3_600_000) / 60_000);
    return m === 0 || h >= 10 ? `${h} h` : `${h} h ${m} min`;
  }
  return `${Math.round(ms / 86_400_000)} d`;
}
