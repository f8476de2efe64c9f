/**
 * Aggregates diagnoses into the per-repository report, in one streaming pass whose memory is
 * bounded by {@link ReportLimits}, never by the input: past a limit the largest entries are kept,
 * the rest are counted as "other", and the report says which figures are estimates
 * (`Report.bounds`).
 */

import type { Cause } from '../causes.js';
import { eventTimeMs, FailingJobCounter, isFailureCause } from '../failing-job.js';
import { isoSeconds } from '../time-format.js';
import type { Diagnosis } from '../types.js';
import { BoundedMap, DistinctCounter, NameSample } from './bounded-counters.js';
import { ChangeTally } from './change-tally.js';
import { FixTally } from './fix-tally.js';
import {
  type CauseReport,
  type Report,
  type ReportBounds,
  type RepositoryCause,
  type RepositoryReport,
  type RoleReport,
  UNKNOWN_REPOSITORY,
  UNRESOLVED_ROLE,
} from './report-types.js';
import { TimeBucketAccumulator } from './time-buckets.js';

/** The memory budget of a report: how many of each thing are kept in full. */
export interface ReportLimits {
  /** Repositories with their causes, fixes and roles. @default 2000 */
  readonly repositories: number;
  /** Roles with their repositories and causes. @default 2000 */
  readonly roles: number;
  /** Failing-job groups (account, role, `sub`) remembered by each job counter. @default 20000 */
  readonly jobGroups: number;
  /** Details kept per cause, cause × detail kept per repository. @default 50 */
  readonly details: number;
  /** Distinct fixes tallied per repository and per repository × cause. @default 10 */
  readonly fixes: number;
  /** Repository or role names listed per role or change. @default 100 */
  readonly names: number;
  /** Configuration changes. @default 500 */
  readonly changes: number;
  /** Time-series buckets. @default 10000 */
  readonly buckets: number;
}

/** The default budget: a summary of any input fits in a few tens of MiB. */
export const DEFAULT_REPORT_LIMITS: ReportLimits = {
  repositories: 2000,
  roles: 2000,
  jobGroups: 20_000,
  details: 50,
  fixes: 10,
  names: 100,
  changes: 500,
  buckets: 10_000,
};

/** Options of {@link aggregateReport}. */
export interface ReportOptions {
  /**
   * Width of the time-series buckets in minutes (made coarser when the span would need more than
   * `limits.buckets` buckets).
   * @default automatic: the finest of 1, 5, 15, 30, 60, 180, 360, 720, 1440 (and whole multiples
   *   of a day for longer spans) that keeps ≤ 60 buckets
   */
  readonly bucketMinutes?: number | undefined;
  /** The memory budget; each field defaults to {@link DEFAULT_REPORT_LIMITS}. */
  readonly limits?: Partial<ReportLimits> | undefined;
}

/** First and last time seen. */
class Span {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  add(ms: number | null): void {
    if (ms !== null) {
      this.min = Math.min(this.min, ms);
      this.max = Math.max(this.max, ms);
    }
  }

  get first(): string | null {
    return Number.isFinite(this.min) ? isoSeconds(this.min) : null;
  }

  get last(): string | null {
    return Number.isFinite(this.max) ? isoSeconds(this.max) : null;
  }
}

interface RepositoryCauseState {
  readonly cause: Cause;
  readonly detail: string | null;
  failures: number;
  readonly fixes: FixTally;
  readonly span: Span;
}

interface RepositoryState {
  failures: number;
  jobs: number;
  readonly causes: BoundedMap<RepositoryCauseState>;
  readonly fixes: FixTally;
  readonly roles: NameSample;
  readonly span: Span;
}

interface CauseState {
  failures: number;
  jobs: number;
  readonly repositories: DistinctCounter;
  readonly details: BoundedMap<{ detail: string | null; failures: number }>;
}

interface RoleState {
  readonly account: string | null;
  failures: number;
  jobs: number;
  readonly repositories: NameSample;
  readonly causes: Map<Cause, number>;
}

/** Code-point order: deterministic, unlike `localeCompare`. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const NULL_DETAIL = '\u0000';

/**
 * Builds a {@link Report} one diagnosis at a time, within a fixed memory budget.
 *
 * @example
 * ```ts
 * const acc = new ReportAccumulator();
 * for await (const d of readDiagnoses()) acc.add(d);
 * const report = acc.result();
 * ```
 */
export class ReportAccumulator {
  readonly #limits: ReportLimits;
  readonly #totals = {
    records: 0,
    failures: 0,
    successes: 0,
    ignored: 0,
    malformed: 0,
  };
  readonly #span = new Span();
  /** Jobs by (account, role, sub): the totals, repositories and roles take their deltas. */
  readonly #jobs: FailingJobCounter;
  /** Jobs by (account, role, sub, cause): the causes take their deltas. */
  readonly #causeJobs: FailingJobCounter;
  readonly #repositoryNames = new DistinctCounter();
  readonly #repositories: BoundedMap<RepositoryState>;
  readonly #successesByRepository: BoundedMap<{ n: number }>;
  readonly #causes = new Map<Cause, CauseState>();
  readonly #roles: BoundedMap<RoleState>;
  readonly #series: TimeBucketAccumulator;
  readonly #changes: ChangeTally;

  /** @throws RangeError when `opts.bucketMinutes` is not a positive number. */
  constructor(opts: ReportOptions = {}) {
    const limits = { ...DEFAULT_REPORT_LIMITS, ...opts.limits };
    this.#limits = limits;
    this.#series = new TimeBucketAccumulator(opts.bucketMinutes, limits.buckets);
    const jobs = { maxGroups: limits.jobGroups };
    this.#jobs = new FailingJobCounter(jobs);
    this.#causeJobs = new FailingJobCounter(jobs);
    this.#repositories = new BoundedMap(limits.repositories, (s) => s.failures);
    this.#successesByRepository = new BoundedMap(limits.repositories, (s) => s.n);
    this.#roles = new BoundedMap(limits.roles, (s) => s.failures);
    this.#changes = new ChangeTally({ limit: limits.changes, names: limits.names, jobs });
  }

  /** Adds one diagnosis. */
  add(d: Diagnosis): void {
    const ms = eventTimeMs(d.eventTime);
    this.#totals.records += 1;
    this.#span.add(ms);
    const repository = d.repository ?? UNKNOWN_REPOSITORY;
    if (d.cause === 'SUCCESS') {
      this.#totals.successes += 1;
      this.#successesByRepository.getOrCreate(repository, () => ({ n: 0 })).n += 1;
      return;
    }
    if (d.cause === 'IGNORED') {
      this.#totals.ignored += 1;
      return;
    }
    if (!isFailureCause(d.cause)) {
      this.#totals.malformed += 1;
      return;
    }
    this.#totals.failures += 1;
    const jobs = this.#jobs.add(d);
    this.#series.add(d.cause, ms);
    this.#repositoryNames.add(repository);
    this.#addToRepository(repository, d, ms, jobs);
    this.#addToCause(repository, d, this.#causeJobs.add(d, d.cause));
    this.#addToRole(repository, d, jobs);
    this.#changes.add(d, repository);
  }

  /** What the budget left out, in words; `exact` when nothing was. */
  #bounds(): ReportBounds {
    const notes: string[] = [];
    const l = this.#limits;
    if (!this.#repositories.exact)
      notes.push(
        `${this.#repositories.droppedKeys} repositories with the fewest failures are not listed (${this.#repositories.dropped} failures); kept: the ${l.repositories} largest`
      );
    if (!this.#roles.exact)
      notes.push(
        `${this.#roles.droppedKeys} roles with the fewest failures are not listed (${this.#roles.dropped} failures)`
      );
    if (!this.#jobs.exact || !this.#causeJobs.exact)
      notes.push(
        `failing jobs are estimated: more than ${l.jobGroups} were in progress at once, so a late retry may count as a new job`
      );
    if (!this.#repositoryNames.exact)
      notes.push('the number of repositories is estimated (HyperLogLog, about 2 % error)');
    const series = this.#series.coarsened();
    if (series !== null) notes.push(series);
    notes.push(...this.#changes.notes());
    return { exact: notes.length === 0, notes, limits: { ...l } };
  }

  /** The report over everything added so far. */
  result(): Report {
    const repositories = [...this.#repositories.entries()]
      .map(([name, s]) => this.#repositoryReport(name, s))
      .sort((a, b) => b.failures - a.failures || byText(a.repository, b.repository));
    const causes: CauseReport[] = [...this.#causes]
      .map(([cause, s]) => ({
        cause,
        failures: s.failures,
        failingJobs: s.jobs,
        repositories: s.repositories.count,
        details: [...s.details.values()]
          .map(({ detail, failures }) => ({ detail, failures }))
          .sort((a, b) => b.failures - a.failures || byText(a.detail ?? '', b.detail ?? '')),
      }))
      .sort((a, b) => b.failures - a.failures || byText(a.cause, b.cause));
    const roles: RoleReport[] = [...this.#roles.entries()]
      .map(([role, s]) => ({
        role,
        account: s.account,
        failures: s.failures,
        failingJobs: s.jobs,
        repositories: s.repositories.names(),
        causes: [...s.causes]
          .map(([cause, failures]) => ({ cause, failures }))
          .sort((a, b) => b.failures - a.failures || byText(a.cause, b.cause)),
      }))
      .sort((a, b) => b.failures - a.failures || byText(a.role, b.role));
    return {
      totals: {
        records: this.#totals.records,
        failures: this.#totals.failures,
        failingJobs: this.#jobs.count,
        successes: this.#totals.successes,
        ignored: this.#totals.ignored,
        malformed: this.#totals.malformed,
        repositories: this.#repositoryNames.count,
        firstSeen: this.#span.first,
        lastSeen: this.#span.last,
      },
      repositories,
      causes,
      roles,
      changes: this.#changes.result(),
      timeSeries: this.#series.result(),
      bounds: this.#bounds(),
    };
  }

  #addToRepository(repository: string, d: Diagnosis, ms: number | null, jobs: number): void {
    const l = this.#limits;
    const s = this.#repositories.getOrCreate(repository, () => ({
      failures: 0,
      jobs: 0,
      causes: new BoundedMap<RepositoryCauseState>(l.details, (c) => c.failures),
      fixes: new FixTally(l.fixes),
      roles: new NameSample(l.names),
      span: new Span(),
    }));
    s.failures += 1;
    s.jobs = Math.max(0, s.jobs + jobs);
    s.fixes.add(d.fix, d.explanation, d.cause, d.detail, ms);
    s.roles.add(d.roleArn ?? UNRESOLVED_ROLE);
    s.span.add(ms);
    const c = s.causes.getOrCreate(`${d.cause}|${d.detail ?? NULL_DETAIL}`, () => ({
      cause: d.cause,
      detail: d.detail,
      failures: 0,
      fixes: new FixTally(l.fixes),
      span: new Span(),
    }));
    c.failures += 1;
    c.fixes.add(d.fix, d.explanation, d.cause, d.detail, ms, d.remedy ?? null);
    c.span.add(ms);
  }

  #addToCause(repository: string, d: Diagnosis, jobs: number): void {
    let s = this.#causes.get(d.cause);
    if (s === undefined) {
      s = {
        failures: 0,
        jobs: 0,
        repositories: new DistinctCounter(),
        details: new BoundedMap(this.#limits.details, (x) => x.failures),
      };
      this.#causes.set(d.cause, s);
    }
    s.failures += 1;
    s.jobs = Math.max(0, s.jobs + jobs);
    s.repositories.add(repository);
    s.details.getOrCreate(d.detail ?? NULL_DETAIL, () => ({
      detail: d.detail,
      failures: 0,
    })).failures += 1;
  }

  #addToRole(repository: string, d: Diagnosis, jobs: number): void {
    const s = this.#roles.getOrCreate(d.roleArn ?? UNRESOLVED_ROLE, () => ({
      account: d.account,
      failures: 0,
      jobs: 0,
      repositories: new NameSample(this.#limits.names),
      causes: new Map<Cause, number>(),
    }));
    s.failures += 1;
    s.jobs = Math.max(0, s.jobs + jobs);
    s.repositories.add(repository);
    s.causes.set(d.cause, (s.causes.get(d.cause) ?? 0) + 1);
  }

  #repositoryReport(repository: string, s: RepositoryState): RepositoryReport {
    const causes: RepositoryCause[] = [...s.causes.values()]
      .map((c) => ({
        cause: c.cause,
        detail: c.detail,
        failures: c.failures,
        explanation: c.fixes.explanation(),
        fix: c.fixes.top()?.fix ?? null,
        remedy: c.fixes.top()?.remedy ?? null,
        firstSeen: c.span.first,
        lastSeen: c.span.last,
      }))
      .sort(
        (a, b) =>
          b.failures - a.failures ||
          byText(a.cause, b.cause) ||
          byText(a.detail ?? '', b.detail ?? '')
      );
    return {
      repository,
      failures: s.failures,
      failingJobs: s.jobs,
      successes: this.#successesByRepository.get(repository)?.n ?? 0,
      causes,
      topFix: s.fixes.top(),
      roles: s.roles.names(),
      firstSeen: s.span.first,
      lastSeen: s.span.last,
    };
  }
}

/**
 * Aggregates classified records into the per-repository report. Failures are results whose cause
 * is in `FAILURE_CAUSES`; retries of one job are counted once in `failingJobs`. Orderings are
 * deterministic (failures desc, then name), whatever the input order.
 *
 * @example
 * ```ts
 * const report = aggregateReport(diagnoses, { bucketMinutes: 15 });
 * report.repositories[0]?.topFix?.fix;
 * ```
 */
export function aggregateReport(diagnoses: Iterable<Diagnosis>, opts?: ReportOptions): Report {
  const acc = new ReportAccumulator(opts);
  for (const d of diagnoses) {
    acc.add(d);
  }
  return acc.result();
}
