/**
 * Failures per time bucket, stacked by cause, with a bucket width chosen so the series stays
 * readable (≤ {@link MAX_AUTO_BUCKETS} buckets) without keeping one entry per record.
 */

import type { Cause } from '../causes.js';
import { isoSeconds } from '../time-format.js';
import type { TimeBucket, TimeSeries } from './report-types.js';

/**
 * Automatic bucket widths in minutes, 1 minute … 1 day. Each divides the next (and a day), so
 * counts move to a coarser width exactly, and every bucket is aligned to UTC midnight.
 */
export const AUTO_BUCKET_MINUTES = [1, 5, 15, 30, 60, 180, 360, 720, 1440] as const;

/** The automatic width keeps the series at or under this many buckets. */
export const MAX_AUTO_BUCKETS = 60;

/**
 * Widths past a day, for long spans: 2, 4, 8 … days (each divides the next), up to one that keeps
 * the whole range of JavaScript dates within {@link MAX_AUTO_BUCKETS} buckets.
 */
const LONG_SPAN_MINUTES = Array.from({ length: 24 }, (_, k) => 1440 * 2 ** (k + 1));
const LEVELS: readonly number[] = [...AUTO_BUCKET_MINUTES, ...LONG_SPAN_MINUTES];

/** Day buckets are kept for spans up to a year; longer spans take wider buckets. */
const MAX_DAY_BUCKETS = 366;

/** Buckets kept at most with a fixed width; past that the width doubles. */
export const DEFAULT_MAX_BUCKETS = 10_000;

const MINUTE_MS = 60_000;

/**
 * Accumulates failures into time buckets. With automatic width it starts at 1 minute and
 * coarsens as the time span grows; the result is the finest width that fits, whatever the input
 * order. A fixed width doubles when the span would need more than `maxBuckets` buckets, so memory
 * stays bounded whatever the span.
 */
export class TimeBucketAccumulator {
  readonly #fixed: number | null;
  readonly #maxBuckets: number;
  /** Doublings of the fixed width. */
  #factor = 1;
  #level = 0;
  #buckets = new Map<number, Map<Cause, number>>();
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;
  #untimed = 0;

  /**
   * @param bucketMinutes - A fixed bucket width in minutes; automatic when omitted.
   * @throws RangeError when `bucketMinutes` is not a positive finite number.
   */
  constructor(bucketMinutes?: number, maxBuckets = DEFAULT_MAX_BUCKETS) {
    if (bucketMinutes !== undefined && !(Number.isFinite(bucketMinutes) && bucketMinutes > 0)) {
      throw new RangeError(`"bucketMinutes" must be a positive number, got ${bucketMinutes}`);
    }
    this.#fixed = bucketMinutes ?? null;
    this.#maxBuckets = Math.max(MAX_AUTO_BUCKETS, maxBuckets);
  }

  /** Says so when the fixed width had to be made coarser; `null` otherwise. */
  coarsened(): string | null {
    if (this.#fixed === null || this.#factor === 1) return null;
    return `time buckets are ${this.#fixed * this.#factor} minutes wide, not the ${this.#fixed} asked for: the span would need more than ${this.#maxBuckets} buckets`;
  }

  /** Adds one failure at `ms` (`null`: no readable time, counted as untimed). */
  add(cause: Cause, ms: number | null): void {
    if (ms === null) {
      this.#untimed += 1;
      return;
    }
    this.#min = Math.min(this.#min, ms);
    this.#max = Math.max(this.#max, ms);
    this.#coarsenToFit();
    const start = bucketStart(ms, this.#widthMs());
    let byCause = this.#buckets.get(start);
    if (byCause === undefined) {
      byCause = new Map();
      this.#buckets.set(start, byCause);
    }
    byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
  }

  /** The series, contiguous from the first bucket to the last. */
  result(): TimeSeries {
    const width = this.#widthMs();
    const totals = new Map<Cause, number>();
    const buckets: TimeBucket[] = [];
    if (this.#buckets.size > 0) {
      const last = bucketStart(this.#max, width);
      for (let start = bucketStart(this.#min, width); start <= last; start += width) {
        const byCause: Partial<Record<Cause, number>> = {};
        let failures = 0;
        const counts = this.#buckets.get(start);
        for (const [cause, n] of [...(counts ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))) {
          byCause[cause] = n;
          failures += n;
          totals.set(cause, (totals.get(cause) ?? 0) + n);
        }
        buckets.push({ start: isoSeconds(start), failures, byCause });
      }
    }
    const causes = [...totals]
      .sort(([ca, a], [cb, b]) => b - a || (ca < cb ? -1 : ca > cb ? 1 : 0))
      .map(([cause]) => cause);
    return { bucketMinutes: width / MINUTE_MS, buckets, causes, untimed: this.#untimed };
  }

  #widthMs(): number {
    return this.#fixed !== null
      ? this.#fixed * this.#factor * MINUTE_MS
      : (LEVELS[this.#level] as number) * MINUTE_MS;
  }

  #coarsenToFit(): void {
    const before = this.#widthMs();
    if (this.#fixed !== null) {
      while (bucketCount(this.#min, this.#max, this.#widthMs()) > this.#maxBuckets)
        this.#factor *= 2;
    } else {
      // Up to a day, ≤ 60 buckets; days are kept up to a year (366), then 2, 4, 8 … days.
      while (
        this.#level < LEVELS.length - 1 &&
        bucketCount(this.#min, this.#max, this.#widthMs()) >
          ((LEVELS[this.#level] as number) < 1440 ? MAX_AUTO_BUCKETS : MAX_DAY_BUCKETS)
      )
        this.#level += 1;
    }
    if (this.#widthMs() === before) {
      return;
    }
    const width = this.#widthMs();
    const coarser = new Map<number, Map<Cause, number>>();
    for (const [start, counts] of this.#buckets) {
      const target = bucketStart(start, width);
      let merged = coarser.get(target);
      if (merged === undefined) {
        merged = new Map();
        coarser.set(target, merged);
      }
      for (const [cause, n] of counts) {
        merged.set(cause, (merged.get(cause) ?? 0) + n);
      }
    }
    this.#buckets = coarser;
  }
}

function bucketStart(ms: number, widthMs: number): number {
  return Math.floor(ms / widthMs) * widthMs;
}

function bucketCount(min: number, max: number, widthMs: number): number {
  return (bucketStart(max, widthMs) - bucketStart(min, widthMs)) / widthMs + 1;
}
