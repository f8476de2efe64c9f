/**
 * The processor's metrics, rebuilt from past results for `PutMetricData`: the same metric names,
 * dimension sets and values as `EmfResultMetrics` (one value per result), aggregated per minute
 * and dimension combination into statistic sets. A statistic set of n values of 1 is what
 * CloudWatch would hold had the processor seen those n results, so `Sum` and `SampleCount`
 * graphs join the live data without a seam.
 */
import { isFailureCause } from '../../domain/failing-job.js';
import {
  DIMENSION,
  type DimensionName,
  FAILURE_DIMENSION_SETS,
  FINDING_DIMENSION_SETS,
  METRIC,
  type MetricName,
  TOTAL_ONLY_DIMENSION_SETS,
} from '../../domain/metric-names.js';
import type { Diagnosis } from '../../domain/types.js';

/** CloudWatch refuses data points older than two weeks. */
export const MAX_PAST_AGE_MS = 14 * 86_400_000;

/** The width of an aggregate: CloudWatch's standard resolution. */
export const MINUTE_MS = 60_000;

/** Statistic set of one metric, dimension combination and minute. */
export interface StatisticSet {
  sampleCount: number;
  sum: number;
  minimum: number;
  maximum: number;
}

/** One aggregated data point. */
export interface MetricPoint {
  readonly metric: MetricName;
  /** In the order of the dimension set. */
  readonly dimensions: readonly { readonly name: DimensionName; readonly value: string }[];
  /** The start of the minute, ms since the epoch. */
  readonly minuteMs: number;
  readonly stats: Readonly<StatisticSet>;
}

/** Results that produced no point. */
export interface SkippedResults {
  /** Results older than the oldest time CloudWatch accepts. */
  readonly tooOld: number;
  /** Results without a readable `eventTime`. */
  readonly untimed: number;
  /** The newest time among the results too old, or `null`. */
  readonly newestTooOldMs: number | null;
}

/** One metric value a result contributes (before aggregation). */
interface Contribution {
  readonly metric: MetricName;
  readonly sets: readonly (readonly DimensionName[])[];
  readonly values: Partial<Record<DimensionName, string>>;
  readonly value: number;
}

/** What `EmfResultMetrics.record` emits for one result, as data. */
function contributions(d: Diagnosis): Contribution[] {
  const out: Contribution[] = [];
  if (isFailureCause(d.cause))
    out.push({
      metric: METRIC.AssumeRoleFailures,
      sets: FAILURE_DIMENSION_SETS,
      values: {
        [DIMENSION.Cause]: d.cause,
        [DIMENSION.Account]: d.account ?? 'unknown',
        [DIMENSION.Region]: d.region ?? 'unknown',
      },
      value: 1,
    });
  const byCode = new Map<string, number>();
  for (const f of d.findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  for (const [code, n] of byCode)
    out.push({
      metric: METRIC.TrustPolicyFindings,
      sets: FINDING_DIMENSION_SETS,
      values: { [DIMENSION.Finding]: code },
      value: n,
    });
  if (d.cause === 'ENRICHMENT_FAILED' || d.stale)
    out.push({
      metric: METRIC.EnrichmentErrors,
      sets: TOTAL_ONLY_DIMENSION_SETS,
      values: {},
      value: 1,
    });
  if (d.cause === 'MALFORMED_EVENT')
    out.push({
      metric: METRIC.MalformedEvents,
      sets: TOTAL_ONLY_DIMENSION_SETS,
      values: {},
      value: 1,
    });
  return out;
}

/**
 * Aggregates results into per-minute data points.
 *
 * @example
 * ```ts
 * const history = new MetricHistory({ oldestAcceptedMs: Date.now() - MAX_PAST_AGE_MS });
 * for (const d of diagnoses) history.add(d);
 * history.points(); // ready for PutMetricData
 * ```
 */
export class MetricHistory {
  readonly #oldestAcceptedMs: number;
  readonly #points = new Map<string, MetricPoint & { stats: StatisticSet }>();
  #tooOld = 0;
  #untimed = 0;
  #newestTooOldMs: number | null = null;

  /** @param options.oldestAcceptedMs - results before this time are counted as too old */
  constructor(options: { readonly oldestAcceptedMs: number }) {
    this.#oldestAcceptedMs = options.oldestAcceptedMs;
  }

  /** Adds one result's metric values. Returns `false` when it cannot be placed in time. */
  add(d: Diagnosis): boolean {
    const parts = contributions(d);
    if (parts.length === 0) return true;
    const ms = d.eventTime === null ? Number.NaN : Date.parse(d.eventTime);
    if (!Number.isFinite(ms)) {
      this.#untimed++;
      return false;
    }
    const minuteMs = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
    if (minuteMs < this.#oldestAcceptedMs) {
      this.#tooOld++;
      this.#newestTooOldMs = Math.max(this.#newestTooOldMs ?? ms, ms);
      return false;
    }
    for (const part of parts)
      for (const set of part.sets) {
        const dimensions = set.map((name) => ({ name, value: part.values[name] ?? 'unknown' }));
        const key = `${part.metric}\u0000${minuteMs}\u0000${JSON.stringify(dimensions)}`;
        const point = this.#points.get(key);
        if (point === undefined)
          this.#points.set(key, {
            metric: part.metric,
            dimensions,
            minuteMs,
            stats: { sampleCount: 1, sum: part.value, minimum: part.value, maximum: part.value },
          });
        else {
          point.stats.sampleCount++;
          point.stats.sum += part.value;
          point.stats.minimum = Math.min(point.stats.minimum, part.value);
          point.stats.maximum = Math.max(point.stats.maximum, part.value);
        }
      }
    return true;
  }

  /** The data points, oldest minute first. */
  points(): MetricPoint[] {
    return [...this.#points.values()].sort((a, b) => a.minuteMs - b.minuteMs);
  }

  /** What was left out, and why. */
  skipped(): SkippedResults {
    return { tooOld: this.#tooOld, untimed: this.#untimed, newestTooOldMs: this.#newestTooOldMs };
  }
}
