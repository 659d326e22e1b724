import { downsampleIndices } from './downsample';
import type { DownsampleMethod, DownsampleSource } from './downsample';
import { LiveSource } from './live-source';
import type { LiveSourceOptions, LiveViewBase } from './live-source';
import { DEFAULT_SERIES_CAPACITY, SeriesBuffer } from './series-buffer';

/** One row as recharts gets it: the time under the index key, one value (or `null` for a gap) per category. */
export type ChartRow = Readonly<Record<string, number | null>>;

/** What a chart draws: an immutable snapshot, replaced at most once per animation frame. */
export interface LiveSeriesView extends LiveViewBase {
  /** Downsampled rows of the visible window, oldest first. */
  readonly rows: readonly ChartRow[];
  /** Points in the visible window before downsampling. */
  readonly points: number;
  /** `[from, to]` of the visible window (data time), or undefined when there is no point. */
  readonly domain: readonly [number, number] | undefined;
  /** Per category, the newest value in the window (undefined for none or a gap). */
  readonly latest: readonly (number | undefined)[];
  /** Per category, the oldest value in the window. */
  readonly first: readonly (number | undefined)[];
  /** Smallest and largest value drawn, over every category; undefined when nothing is drawn. */
  readonly yMin: number | undefined;
  readonly yMax: number | undefined;
}

export interface LiveSeriesOptions extends LiveSourceOptions {
  readonly categories: readonly string[];
  /** Key of the time in each row (Tremor's `index`). Default `'time'`. */
  readonly index?: string;
  /** Most points buffered. Default 10 000. */
  readonly capacity?: number;
  /** Visible time window (ms). Default 5 minutes. */
  readonly windowMs?: number;
  /** How far back the buffer keeps points, so a wider window can be chosen later. Default: max(`windowMs`, 15 min). */
  readonly retentionMs?: number;
  /** Points drawn at most, about the plot's width in pixels. Default 600. */
  readonly maxPoints?: number;
  /** Default `'minmax'`. */
  readonly downsample?: DownsampleMethod;
}

export const DEFAULT_WINDOW_MS = 5 * 60_000;
export const DEFAULT_RETENTION_MS = 15 * 60_000;
export const DEFAULT_MAX_POINTS = 600;

const EMPTY_VIEW: LiveSeriesView = Object.freeze({
  version: 0,
  rows: [],
  points: 0,
  domain: undefined,
  latest: [],
  first: [],
  yMin: undefined,
  yMax: undefined,
  updatedAt: undefined,
});

type Row = Readonly<Record<string, unknown>>;

/**
 * The live-data engine behind every chart: a {@link SeriesBuffer} plus the pause / visibility /
 * once-per-frame publishing of {@link LiveSource}. Each view holds the visible time window, downsampled
 * to about `maxPoints`, ready for recharts.
 *
 * Framework-free: React subscribes with `useSyncExternalStore(series.subscribe, series.getView)`.
 */
export class LiveSeries extends LiveSource<LiveSeriesView> {
  readonly buffer: SeriesBuffer;
  readonly index: string;
  private windowMs: number;
  private readonly retentionMs: number;
  private maxPoints: number;
  private method: DownsampleMethod;

  constructor(options: LiveSeriesOptions) {
    super(EMPTY_VIEW, options);
    this.index = options.index ?? 'time';
    this.windowMs = positive('windowMs', options.windowMs ?? DEFAULT_WINDOW_MS);
    this.retentionMs = positive('retentionMs', options.retentionMs ?? Math.max(this.windowMs, DEFAULT_RETENTION_MS));
    this.maxPoints = Math.max(2, Math.floor(options.maxPoints ?? DEFAULT_MAX_POINTS));
    this.method = options.downsample ?? 'minmax';
    this.buffer = new SeriesBuffer({
      categories: options.categories,
      capacity: options.capacity ?? DEFAULT_SERIES_CAPACITY,
      windowMs: Math.max(this.windowMs, this.retentionMs),
    });
  }

  get categories(): readonly string[] {
    return this.buffer.categories;
  }

  /** Appends a point (`values[c]` for `categories[c]`). Returns false when refused (time went backwards). */
  push(time: number, values: ArrayLike<number>): boolean {
    if (!this.buffer.push(time, values)) return false;
    this.accepted();
    return true;
  }

  /** Appends a point read from `record[category]`. Returns false when refused. */
  pushRecord(time: number, record: Row): boolean {
    if (!this.buffer.pushRecord(time, record)) return false;
    this.accepted();
    return true;
  }

  /**
   * Brings the buffer up to date with an array of rows (the `data` prop): rows newer than the newest
   * buffered point are appended; when the array's newest row is older than that, or the array is
   * empty, the data was replaced and the buffer starts over. Publishes at once (the caller is rendering).
   */
  syncRows(rows: readonly Row[], timeOf: (row: Row) => number): void {
    const n = rows.length;
    let from = 0;
    if (this.buffer.size > 0) {
      const last = this.buffer.lastTime;
      if (n === 0 || timeOf(rows[n - 1]!) < last) {
        this.buffer.clear();
        this.resetted();
      } else {
        from = n;
        while (from > 0 && timeOf(rows[from - 1]!) > last) from--;
      }
    }
    let pushed = 0;
    for (let i = from; i < n; i++) if (this.buffer.pushRecord(timeOf(rows[i]!), rows[i]!)) pushed++;
    this.acceptedNow(pushed);
  }

  setWindow(windowMs: number): void {
    positive('windowMs', windowMs);
    if (windowMs === this.windowMs) return;
    this.windowMs = windowMs;
    this.buffer.setWindow(Math.max(windowMs, this.retentionMs));
    this.refresh();
  }

  setMaxPoints(maxPoints: number): void {
    const next = Math.max(2, Math.floor(maxPoints));
    if (!Number.isFinite(next) || next === this.maxPoints) return;
    this.maxPoints = next;
    this.refresh();
  }

  setDownsample(method: DownsampleMethod): void {
    if (method === this.method) return;
    this.method = method;
    this.refresh();
  }

  /** Forgets every point. */
  clear(): void {
    this.buffer.clear();
    this.resetted();
  }

  protected acceptedTotal(): number {
    return this.buffer.total;
  }

  protected computeView(hidden: number, version: number, updatedAt: number | undefined): LiveSeriesView {
    const buffer = this.buffer;
    const categories = buffer.categories;
    const end = Math.max(0, buffer.size - hidden);
    if (end === 0) return { ...EMPTY_VIEW, version, updatedAt };
    const to = buffer.timeAt(end - 1);
    const start = Math.min(buffer.lowerBound(to - this.windowMs), end - 1);
    const count = end - start;
    const source: DownsampleSource = {
      length: count,
      seriesCount: categories.length,
      x: (i) => buffer.timeAt(start + i),
      y: (i, s) => buffer.valueAt(start + i, s),
    };
    const picks = downsampleIndices(source, this.maxPoints, this.method);
    const rows = new Array<ChartRow>(picks.length);
    let yMin = Infinity;
    let yMax = -Infinity;
    for (let k = 0; k < picks.length; k++) {
      const i = start + picks[k]!;
      const row: Record<string, number | null> = { [this.index]: buffer.timeAt(i) };
      for (let c = 0; c < categories.length; c++) {
        const v = buffer.valueAt(i, c);
        if (Number.isNaN(v)) {
          row[categories[c]!] = null;
          continue;
        }
        row[categories[c]!] = v;
        if (v < yMin) yMin = v;
        if (v > yMax) yMax = v;
      }
      rows[k] = row;
    }
    const valuesAt = (i: number) =>
      categories.map((_, c) => {
        const v = buffer.valueAt(i, c);
        return Number.isNaN(v) ? undefined : v;
      });
    return {
      version,
      rows,
      points: count,
      domain: [to - this.windowMs, to],
      latest: valuesAt(end - 1),
      first: valuesAt(start),
      yMin: yMin === Infinity ? undefined : yMin,
      yMax: yMax === -Infinity ? undefined : yMax,
      updatedAt,
    };
  }
}

function positive(option: string, value: number): number {
  if (!(value > 0)) throw new RangeError(`LiveSeries ${option} must be > 0, got ${value}.`);
  return value;
}
