/**
 * Aggregates diagnoses into the per-repository report, in one streaming pass whose memory grows
 * with the distinct repositories, roles, causes, fixes, failing jobs and time buckets — never with
 * the number of records.
 */
import type { Cause } from '../causes.js';
import { eventTimeMs, FailingJobCounter, isFailureCause } from '../failing-job.js';
import type { Diagnosis } from '../types.js';
import { ChangeTally } from './change-tally.js';
import { FixTally } from './fix-tally.js';
import {
  type CauseReport,
  type Report,
  type RepositoryCause,
  type RepositoryReport,
  type RoleReport,
  UNKNOWN_REPOSITORY,
  UNRESOLVED_ROLE,
} from './report-types.js';
import { TimeBucketAccumulator } from './time-buckets.js';

/** Options of {@link aggregateReport}. */
export interface ReportOptions {
  /**
   * Width of the time-series buckets in minutes.
   * @default automatic: the finest of 1, 5, 15, 30, 60, 180, 360, 720, 1440 that keeps ≤ 60 buckets
   */
  readonly bucketMinutes?: number | undefined;
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
    return Number.isFinite(this.min) ? new Date(this.min).toISOString() : null;
  }

  get last(): string | null {
    return Number.isFinite(this.max) ? new Date(this.max).toISOString() : null;
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
  readonly jobs: FailingJobCounter;
  readonly causes: Map<string, RepositoryCauseState>;
  readonly fixes: FixTally;
  readonly roles: Set<string>;
  readonly span: Span;
}

interface CauseState {
  failures: number;
  readonly jobs: FailingJobCounter;
  readonly repositories: Set<string>;
  readonly details: Map<string | null, number>;
}

interface RoleState {
  readonly account: string | null;
  failures: number;
  readonly jobs: FailingJobCounter;
  readonly repositories: Set<string>;
  readonly causes: Map<Cause, number>;
}

/** Code-point order: deterministic, unlike `localeCompare`. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * Builds a {@link Report} one diagnosis at a time.
 *
 * @example
 * ```ts
 * const acc = new ReportAccumulator();
 * for await (const d of readDiagnoses()) acc.add(d);
 * const report = acc.result();
 * ```
 */
export class ReportAccumulator {
  readonly #totals = {
    records: 0,
    failures: 0,
    successes: 0,
    ignored: 0,
    malformed: 0,
  };
  readonly #span = new Span();
  readonly #jobs = new FailingJobCounter();
  readonly #repositories = new Map<string, RepositoryState>();
  readonly #successesByRepository = new Map<string, number>();
  readonly #causes = new Map<Cause, CauseState>();
  readonly #roles = new Map<string, RoleState>();
  readonly #series: TimeBucketAccumulator;
  readonly #changes = new ChangeTally();

  /** @throws RangeError when `opts.bucketMinutes` is not a positive number. */
  constructor(opts: ReportOptions = {}) {
    this.#series = new TimeBucketAccumulator(opts.bucketMinutes);
  }

  /** Adds one diagnosis. */
  add(d: Diagnosis): void {
    const ms = eventTimeMs(d.eventTime);
    this.#totals.records += 1;
    this.#span.add(ms);
    const repository = d.repository ?? UNKNOWN_REPOSITORY;
    if (d.cause === 'SUCCESS') {
      this.#totals.successes += 1;
      this.#successesByRepository.set(
        repository,
        (this.#successesByRepository.get(repository) ?? 0) + 1
      );
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
    this.#jobs.add(d);
    this.#series.add(d.cause, ms);
    this.#addToRepository(repository, d, ms);
    this.#addToCause(repository, d);
    this.#addToRole(repository, d);
    this.#changes.add(d, repository);
  }

  /** The report over everything added so far. */
  result(): Report {
    const repositories = [...this.#repositories]
      .map(([name, s]) => this.#repositoryReport(name, s))
      .sort((a, b) => b.failures - a.failures || byText(a.repository, b.repository));
    const causes: CauseReport[] = [...this.#causes]
      .map(([cause, s]) => ({
        cause,
        failures: s.failures,
        failingJobs: s.jobs.count,
        repositories: s.repositories.size,
        details: [...s.details]
          .map(([detail, failures]) => ({ detail, failures }))
          .sort((a, b) => b.failures - a.failures || byText(a.detail ?? '', b.detail ?? '')),
      }))
      .sort((a, b) => b.failures - a.failures || byText(a.cause, b.cause));
    const roles: RoleReport[] = [...this.#roles]
      .map(([role, s]) => ({
        role,
        account: s.account,
        failures: s.failures,
        failingJobs: s.jobs.count,
        repositories: [...s.repositories].sort(byText),
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
        repositories: this.#repositories.size,
        firstSeen: this.#span.first,
        lastSeen: this.#span.last,
      },
      repositories,
      causes,
      roles,
      changes: this.#changes.result(),
      timeSeries: this.#series.result(),
    };
  }

  #addToRepository(repository: string, d: Diagnosis, ms: number | null): void {
    const s = getOrCreate(this.#repositories, repository, () => ({
      failures: 0,
      jobs: new FailingJobCounter(),
      causes: new Map<string, RepositoryCauseState>(),
      fixes: new FixTally(),
      roles: new Set<string>(),
      span: new Span(),
    }));
    s.failures += 1;
    s.jobs.add(d);
    s.fixes.add(d.fix, d.explanation, d.cause, d.detail, ms);
    s.roles.add(d.roleArn ?? UNRESOLVED_ROLE);
    s.span.add(ms);
    const c = getOrCreate(s.causes, JSON.stringify([d.cause, d.detail]), () => ({
      cause: d.cause,
      detail: d.detail,
      failures: 0,
      fixes: new FixTally(),
      span: new Span(),
    }));
    c.failures += 1;
    c.fixes.add(d.fix, d.explanation, d.cause, d.detail, ms);
    c.span.add(ms);
  }

  #addToCause(repository: string, d: Diagnosis): void {
    const s = getOrCreate(this.#causes, d.cause, () => ({
      failures: 0,
      jobs: new FailingJobCounter(),
      repositories: new Set<string>(),
      details: new Map<string | null, number>(),
    }));
    s.failures += 1;
    s.jobs.add(d);
    s.repositories.add(repository);
    s.details.set(d.detail, (s.details.get(d.detail) ?? 0) + 1);
  }

  #addToRole(repository: string, d: Diagnosis): void {
    const s = getOrCreate(this.#roles, d.roleArn ?? UNRESOLVED_ROLE, () => ({
      account: d.account,
      failures: 0,
      jobs: new FailingJobCounter(),
      repositories: new Set<string>(),
      causes: new Map<Cause, number>(),
    }));
    s.failures += 1;
    s.jobs.add(d);
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
      failingJobs: s.jobs.count,
      successes: this.#successesByRepository.get(repository) ?? 0,
      causes,
      topFix: s.fixes.top(),
      roles: [...s.roles].sort(byText),
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
