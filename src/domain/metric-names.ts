/**
 * One source of truth for metric and dimension names. The processor, the alarms in `infra/`, the
 * dashboard body and `backfill --put-metrics` all use these; a test fails if the dashboard names
 * anything not listed here.
 */

/** Default CloudWatch namespace (configurable). */
export const DEFAULT_NAMESPACE = 'OIDCWatch';

/** Metric names. */
export const METRIC = {
  /** One per failed role assumption (a `FAILURE_CAUSES` result). */
  AssumeRoleFailures: 'AssumeRoleFailures',
  /** One per finding on any result, successes included. */
  TrustPolicyFindings: 'TrustPolicyFindings',
  /** One per result whose IAM enrichment failed (`ENRICHMENT_FAILED`) or was served stale. */
  EnrichmentErrors: 'EnrichmentErrors',
  /** One per input record that could not be read. */
  MalformedEvents: 'MalformedEvents',
  /** One per IAM configuration change seen (trust policy, provider). */
  ConfigurationChanges: 'ConfigurationChanges',
  /**
   * One per PagerDuty event the notifier could not deliver after its retries (the page still went
   * to the pages topic). Emitted by the notifier, with no dimension; not on the dashboard.
   */
  PagerDutyDeliveryFailures: 'PagerDutyDeliveryFailures',
  /**
   * One per failing job the annotator handled, by `Outcome` (posted, unmatched, not_installed,
   * failed). Emitted by the annotator when it is deployed.
   */
  Annotations: 'Annotations',
  /**
   * One per canary call that came through CloudTrail → rule → processor (the monitor's heartbeat);
   * never a failure. Dimension sets `[]` and `[Account, Region]` (the opted-in targets: bounded).
   */
  CanaryHeartbeat: 'CanaryHeartbeat',
  /** One per record whose envelope account does not match the record (forged or misrouted). */
  UntrustedEvents: 'UntrustedEvents',
} as const;

/** A metric name. */
export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** Dimension names: only bounded sets (never repository, role, sub or event id). */
export const DIMENSION = {
  Cause: 'Cause',
  Account: 'Account',
  Region: 'Region',
  ErrorCode: 'ErrorCode',
  Finding: 'Finding',
  ChangeType: 'ChangeType',
  /** What became of a failing job in the annotator (`ANNOTATION_OUTCOMES`). */
  Outcome: 'Outcome',
} as const;

/** A dimension name. */
export type DimensionName = (typeof DIMENSION)[keyof typeof DIMENSION];

/**
 * The dimension sets `AssumeRoleFailures` is published with (at most three, README "Metrics and logs").
 * `[]` is the total, `[Cause]` the breakdown, `[Account, Region]` the where.
 */
export const FAILURE_DIMENSION_SETS: readonly (readonly DimensionName[])[] = [
  [],
  [DIMENSION.Cause],
  [DIMENSION.Account, DIMENSION.Region],
];

/** Dimension sets of `TrustPolicyFindings`. */
export const FINDING_DIMENSION_SETS: readonly (readonly DimensionName[])[] = [
  [],
  [DIMENSION.Finding],
];

/** Dimension sets of `EnrichmentErrors` and `MalformedEvents` (total only). */
export const TOTAL_ONLY_DIMENSION_SETS: readonly (readonly DimensionName[])[] = [[]];

/**
 * Dimension sets of `ConfigurationChanges`: the total and per `ChangeType` (the bounded values of
 * `CHANGE_TYPES` in `src/domain/changes/change-types.ts`).
 */
export const CHANGE_DIMENSION_SETS: readonly (readonly DimensionName[])[] = [
  [],
  [DIMENSION.ChangeType],
];

/** The `Outcome` values of `Annotations` (bounded). */
export const ANNOTATION_OUTCOMES = ['posted', 'unmatched', 'not_installed', 'failed'] as const;

/** Dimension sets of `Annotations`: per `Outcome` only. */
export const ANNOTATION_DIMENSION_SETS: readonly (readonly DimensionName[])[] = [
  [DIMENSION.Outcome],
];

/** Dimension sets of `CanaryHeartbeat`: the total and per `[Account, Region]` probed. */
export const CANARY_DIMENSION_SETS: readonly (readonly DimensionName[])[] = [
  [],
  [DIMENSION.Account, DIMENSION.Region],
];
