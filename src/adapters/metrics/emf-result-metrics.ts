/**
 * Metrics of results as CloudWatch Embedded Metric Format, written to stdout through Powertools
 * Metrics: no CloudWatch API call on the hot path, and the library validates EMF's limits.
 * Dimensions come only from bounded sets (README, "Metrics and logs"): never repository, role, sub or event id.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { CanaryProbe } from '../../domain/canary/canary-probe.js';
import type { ConfigurationChange } from '../../domain/changes/change-types.js';
import { isFailureCause } from '../../domain/failing-job.js';
import {
  CANARY_DIMENSION_SETS,
  CHANGE_DIMENSION_SETS,
  DIMENSION,
  type DimensionName,
  FAILURE_DIMENSION_SETS,
  FINDING_DIMENSION_SETS,
  METRIC,
  type MetricName,
} from '../../domain/metric-names.js';
import type { Diagnosis } from '../../domain/types.js';

/** What the processor counts per result. */
export interface ResultMetrics {
  /** Counts one result. */
  record(d: Diagnosis): void;
  /** Counts one IAM configuration change (`ConfigurationChanges` by `ChangeType`). */
  recordChange?(change: ConfigurationChange): void;
  /** Counts one canary heartbeat (`CanaryHeartbeat` by account and Region), never a failure. */
  recordCanary?(probe: CanaryProbe): void;
  /** Counts one record whose envelope does not match it (`UntrustedEvents`). */
  recordUntrusted?(): void;
  /** Writes anything still buffered (called on error paths too). */
  flush(): void;
}

/** Options of `EmfResultMetrics`. */
export interface EmfResultMetricsOptions {
  readonly namespace: string;
  /** The Powertools instance (injectable for tests). */
  readonly metrics?: Metrics;
}

/** `ResultMetrics` as EMF through Powertools. One EMF document per metric and dimension value. */
export class EmfResultMetrics implements ResultMetrics {
  readonly #metrics: Metrics;

  constructor(opts: EmfResultMetricsOptions) {
    this.#metrics =
      opts.metrics ?? new Metrics({ namespace: opts.namespace, serviceName: 'oidcwatch' });
    // No `service` dimension: metrics carry only the documented bounded dimensions.
    this.#metrics.clearDefaultDimensions();
  }

  #emit(
    name: MetricName,
    sets: readonly (readonly DimensionName[])[],
    values: Partial<Record<DimensionName, string>>,
    count = 1
  ): void {
    for (const set of sets) {
      const dims: Record<string, string> = {};
      for (const d of set) dims[d] = values[d] ?? 'unknown';
      this.#metrics.addDimensions(dims);
    }
    this.#metrics.addMetric(name, MetricUnit.Count, count);
    this.#metrics.publishStoredMetrics();
  }

  record(d: Diagnosis): void {
    if (isFailureCause(d.cause))
      this.#emit(METRIC.AssumeRoleFailures, FAILURE_DIMENSION_SETS, {
        [DIMENSION.Cause]: d.cause,
        [DIMENSION.Account]: d.account ?? 'unknown',
        [DIMENSION.Region]: d.region ?? 'unknown',
      });
    const byCode = new Map<string, number>();
    for (const f of d.findings) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
    for (const [code, n] of byCode)
      this.#emit(
        METRIC.TrustPolicyFindings,
        FINDING_DIMENSION_SETS,
        { [DIMENSION.Finding]: code },
        n
      );
    if (d.cause === 'ENRICHMENT_FAILED' || d.stale) this.#emit(METRIC.EnrichmentErrors, [[]], {});
    if (d.cause === 'MALFORMED_EVENT') this.#emit(METRIC.MalformedEvents, [[]], {});
  }

  recordChange(change: ConfigurationChange): void {
    this.#emit(METRIC.ConfigurationChanges, CHANGE_DIMENSION_SETS, {
      [DIMENSION.ChangeType]: change.type,
    });
  }

  recordCanary(probe: CanaryProbe): void {
    this.#emit(METRIC.CanaryHeartbeat, CANARY_DIMENSION_SETS, {
      [DIMENSION.Account]: probe.account ?? 'unknown',
      [DIMENSION.Region]: probe.region ?? 'unknown',
    });
  }

  recordUntrusted(): void {
    this.#emit(METRIC.UntrustedEvents, [[]], {});
  }

  flush(): void {
    if (this.#metrics.hasStoredMetrics()) this.#metrics.publishStoredMetrics();
  }
}
