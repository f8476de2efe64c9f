/**
 * The per-repository report (`oidcwatch report`): plain JSON-serialisable values, built by
 * `aggregateReport` and drawn by the CLI's renderers. Times are ISO 8601 UTC strings.
 */
import type { Cause } from '../causes.js';
import type { Remedy } from '../remedy/remedy-types.js';

/** Label used for results whose `repository` is `null`. */
export const UNKNOWN_REPOSITORY = '(unknown)';

/** Label used for failures whose record names no role (`ROLE_UNRESOLVED`). */
export const UNRESOLVED_ROLE = '(unresolved)';

/** Counts over every record read. */
export interface ReportTotals {
  /** Every record read, malformed ones included. */
  readonly records: number;
  /** Results whose cause is in `FAILURE_CAUSES`. */
  readonly failures: number;
  /** Failures counted once per failing job (retries of one job collapse). */
  readonly failingJobs: number;
  readonly successes: number;
  readonly ignored: number;
  readonly malformed: number;
  /** Repositories with at least one failure (`(unknown)` included). */
  readonly repositories: number;
  /** Earliest `eventTime` of any record, or `null` when none had one. */
  readonly firstSeen: string | null;
  /** Latest `eventTime` of any record, or `null` when none had one. */
  readonly lastSeen: string | null;
}

/** A fix with the explanation of its earliest occurrence. */
export interface ReportFix {
  readonly fix: string;
  readonly explanation: string;
  readonly cause: Cause;
  readonly detail: string | null;
  /** Failures that carried this fix. */
  readonly count: number;
  /** The remedy (the fix as data) of its earliest occurrence, `null` when it carried none. */
  readonly remedy: Remedy | null;
}

/** One cause (and detail) within a repository. */
export interface RepositoryCause {
  readonly cause: Cause;
  readonly detail: string | null;
  readonly failures: number;
  /** Explanation of the earliest failure carrying {@link fix} (or the earliest failure). */
  readonly explanation: string;
  /** Most frequent fix among these failures, `null` when none carried one. */
  readonly fix: string | null;
  /** The remedy behind {@link fix} (its earliest occurrence), `null` when none was computed. */
  readonly remedy: Remedy | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

/** The failures of one repository. */
export interface RepositoryReport {
  /** `owner/name`, or `(unknown)` when the records named none. */
  readonly repository: string;
  readonly failures: number;
  readonly failingJobs: number;
  /** Successful calls of the same repository, for context. */
  readonly successes: number;
  /** Ordered by failures desc, then cause, then detail. */
  readonly causes: readonly RepositoryCause[];
  /** Most frequent fix among the repository's failures, `null` when none carried one. */
  readonly topFix: ReportFix | null;
  /** Role ARNs involved in its failures (`(unresolved)` for none), sorted. */
  readonly roles: readonly string[];
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
}

/** One detail of a cause. */
export interface CauseDetailCount {
  readonly detail: string | null;
  readonly failures: number;
}

/** The failures of one cause, across repositories. */
export interface CauseReport {
  readonly cause: Cause;
  readonly failures: number;
  readonly failingJobs: number;
  /** Distinct repositories with this cause. */
  readonly repositories: number;
  /** Ordered by failures desc, then detail. */
  readonly details: readonly CauseDetailCount[];
}

/** The failures against one role. */
export interface RoleReport {
  /** The role ARN, or `(unresolved)`. */
  readonly role: string;
  readonly account: string | null;
  readonly failures: number;
  readonly failingJobs: number;
  /** Repositories failing against it, sorted. */
  readonly repositories: readonly string[];
  /** Causes seen against it, ordered by failures desc then cause. */
  readonly causes: readonly { readonly cause: Cause; readonly failures: number }[];
}

/** A configuration change and the failures it explains (`Diagnosis.change`). */
export interface ChangeReport {
  /** The change type (`TRUST_POLICY_UPDATED`, `PROVIDER_DELETED`, …). */
  readonly kind: string;
  readonly eventName: string;
  readonly eventId: string | null;
  /** When the change was made. */
  readonly at: string;
  /** Who made it. */
  readonly by: string | null;
  readonly roleArn: string | null;
  readonly providerArn: string | null;
  /** `explains`, or `unverified` when the configuration before it was unknown. */
  readonly verdict: 'explains' | 'unverified';
  /** The annotation of the first failure, said of the first failure. */
  readonly summary: string;
  readonly removed: readonly string[];
  readonly added: readonly string[];
  /** Failures annotated with this change. */
  readonly failures: number;
  readonly failingJobs: number;
  /** Their repositories, sorted. */
  readonly repositories: readonly string[];
  readonly firstFailure: string | null;
  readonly lastFailure: string | null;
  /** Whole minutes from the change to the first failure. */
  readonly minutesBeforeFirstFailure: number;
}

/** Failures in one time bucket. */
export interface TimeBucket {
  /** Bucket start (UTC, aligned to the epoch). */
  readonly start: string;
  readonly failures: number;
  /** Failures by cause; causes absent from the bucket are omitted. */
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
}

/** Failures over time, stacked by cause. */
export interface TimeSeries {
  readonly bucketMinutes: number;
  /** Contiguous from the first failure's bucket to the last's (empty buckets included). */
  readonly buckets: readonly TimeBucket[];
  /** Causes present in the series, ordered by failures desc then cause (the stacking order). */
  readonly causes: readonly Cause[];
  /** Failures without a readable `eventTime` (not in any bucket). */
  readonly untimed: number;
}

/** What the memory budget left out of a report. */
export interface ReportBounds {
  /** `true` when every figure is exact and every item listed. */
  readonly exact: boolean;
  /** What is estimated or left out, in words (empty when `exact`). */
  readonly notes: readonly string[];
  /** The budget the report was built within. */
  readonly limits: Readonly<Record<string, number>>;
}

/** The whole report. */
export interface Report {
  readonly totals: ReportTotals;
  /** Repositories with failures, by failures desc then name. */
  readonly repositories: readonly RepositoryReport[];
  /** Failure causes, by failures desc then cause. */
  readonly causes: readonly CauseReport[];
  /** Roles with failures, by failures desc then ARN. */
  readonly roles: readonly RoleReport[];
  /** Configuration changes that explain failures, most recent first. */
  readonly changes: readonly ChangeReport[];
  readonly timeSeries: TimeSeries;
  /** The memory budget and what it left out (absent in reports written before it existed). */
  readonly bounds?: ReportBounds;
}
