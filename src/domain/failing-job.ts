/**
 * Failing jobs: one GitHub job whose credential step fails makes up to 12 failed calls, because
 * `configure-aws-credentials` retries every error (attempts 1–8 within seconds, 9–12 over ~100 s,
 * ≤ 205 s in all). Counting events overstates an incident twelvefold; these helpers count jobs.
 */
import { FAILURE_CAUSES } from './causes.js';
import type { Diagnosis } from './types.js';

/** The gap (and the fixed bucket width) that separates two failing jobs: 5 minutes. */
export const FAILING_JOB_WINDOW_MS = 5 * 60_000;

/** The fields a failing job is identified by. */
export type FailingJobFields = Pick<
  Diagnosis,
  'account' | 'roleArn' | 'sub' | 'eventTime' | 'cause'
>;

const FAILURES: ReadonlySet<string> = new Set(FAILURE_CAUSES);

/** `true` when `cause` is a failure of the role assumption (see `FAILURE_CAUSES`). */
export function isFailureCause(cause: string): boolean {
  return FAILURES.has(cause);
}

/**
 * Milliseconds since the epoch of a CloudTrail `eventTime`, or `null` when absent or unparseable.
 *
 * @example
 * ```ts
 * eventTimeMs('2025-03-04T10:15:00Z'); // 1741083300000
 * eventTimeMs('yesterday');            // null
 * ```
 */
export function eventTimeMs(eventTime: string | null | undefined): number | null {
  if (typeof eventTime !== 'string' || eventTime.length === 0 || eventTime.length > 64) {
    return null;
  }
  // One result's time is read by every counter it goes through: parse it once.
  if (eventTime === lastTime.text) return lastTime.ms;
  const parsed = Date.parse(eventTime);
  const ms =
    Number.isFinite(parsed) && parsed >= PLAUSIBLE_TIME_MS.min && parsed < PLAUSIBLE_TIME_MS.max
      ? parsed
      : null;
  lastTime.text = eventTime;
  lastTime.ms = ms;
  return ms;
}

/** The last time parsed by {@link eventTimeMs} (a pure function: the same text, the same time). */
const lastTime: { text: string; ms: number | null } = { text: '', ms: null };

/**
 * Event times taken as readable: from 2000 to 2200. CloudTrail started in 2013; a record dated
 * `-271821-04-20` or `9999-12-31` is hostile or broken, and is counted as untimed rather than
 * stretching every time span (and chart) over millennia.
 */
export const PLAUSIBLE_TIME_MS = {
  min: Date.UTC(2000, 0, 1),
  max: Date.UTC(2200, 0, 1),
} as const;

/**
 * The group a failure's retries share: account, role (`unresolved` when the record names none)
 * and `sub`. The same token retried against the same role always lands in one group.
 */
export function failingJobGroup(d: Pick<Diagnosis, 'account' | 'roleArn' | 'sub'>): string {
  return `${d.account ?? '-'}|${d.roleArn ?? 'unresolved'}|${d.sub ?? '-'}`;
}

/**
 * A key shared by the retries of one failing job, for the Lambda's log line: role, `sub` and the
 * fixed 5-minute bucket of `eventTime`, so a Logs Insights `count_distinct(failingJobKey)` counts
 * jobs rather than attempts. A burst that straddles a bucket boundary yields two keys; offline
 * reports use {@link countFailingJobs}, which does not have that edge.
 *
 * @returns `null` for a result that is not a failure, or whose `eventTime` is absent or unparseable.
 * @example
 * ```ts
 * failingJobKey({ account: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/deploy',
 *   sub: 'repo:acme/api:ref:refs/heads/main', eventTime: '2025-03-04T10:17:42Z', cause: 'SUB_MISMATCH' });
 * // '111122223333|arn:aws:iam::111122223333:role/deploy|repo:acme/api:ref:refs/heads/main|2025-03-04T10:15:00.000Z'
 * ```
 */
export function failingJobKey(d: FailingJobFields): string | null {
  if (!isFailureCause(d.cause)) {
    return null;
  }
  const ms = eventTimeMs(d.eventTime);
  if (ms === null) {
    return null;
  }
  const bucket = Math.floor(ms / FAILING_JOB_WINDOW_MS) * FAILING_JOB_WINDOW_MS;
  return `${failingJobGroup(d)}|${new Date(bucket).toISOString()}`;
}

/** One failing job so far: the first and last attempt seen. */
interface Session {
  start: number;
  end: number;
}

/** Options of {@link FailingJobCounter}: its memory budget. */
export interface FailingJobCounterOptions {
  /**
   * Groups (account, role, `sub`) remembered; past that the least recently seen is forgotten
   * (its jobs stay counted; a late retry of one of them would count again).
   * @default 20000
   */
  readonly maxGroups?: number;
  /**
   * Jobs remembered in all groups; past that the least recently seen groups are forgotten (a
   * single group past it forgets its oldest jobs).
   * @default 4 × maxGroups
   */
  readonly maxSessions?: number;
}

/** Sessions of one group, sorted by start and never within the window of each other. */
interface Group {
  sessions: Session[];
  /** Failures of the group without a readable time. */
  untimed: number;
}

/**
 * Counts failing jobs incrementally (sessionization): failures of one group (account, role, `sub`)
 * whose times lie within 5 minutes of the previous one belong to one job. Input order does not
 * matter: a late record may extend a job or join two. Memory grows with the number of jobs, not
 * of records.
 *
 * Failures without a readable `eventTime` cannot be placed in time: they join the group's jobs,
 * and count as one job only when the group has no timed failure.
 *
 * @example
 * ```ts
 * const counter = new FailingJobCounter();
 * for (const d of diagnoses) counter.add(d);
 * counter.count; // failing jobs
 * ```
 */
export class FailingJobCounter {
  readonly #groups = new Map<string, Group>();
  readonly #maxGroups: number;
  readonly #maxSessions: number;
  /** Sessions held in all groups. */
  #sessions = 0;
  #count = 0;
  #forgotten = false;

  constructor(options: FailingJobCounterOptions = {}) {
    this.#maxGroups = Math.max(1, options.maxGroups ?? 20_000);
    this.#maxSessions = Math.max(1, options.maxSessions ?? 4 * this.#maxGroups);
  }

  /** Forgets the least recently seen group (never `keep`); its jobs stay counted. */
  #forgetOldest(keep: Group): boolean {
    const [key, oldest] = this.#groups.entries().next().value as [string, Group];
    if (oldest === keep) return false;
    this.#groups.delete(key);
    this.#sessions -= oldest.sessions.length;
    this.#forgotten = true;
    return true;
  }

  /**
   * Adds one result; results that are not failures are ignored.
   * @param suffix - appended to the group key (e.g. the cause, to count jobs per cause)
   * @returns how the job count changed: `1` a new job, `0` a retry of a known one, negative when
   *   the result joined jobs that were apart
   */
  add(d: FailingJobFields, suffix = ''): number {
    if (!isFailureCause(d.cause)) {
      return 0;
    }
    const key = suffix === '' ? failingJobGroup(d) : `${failingJobGroup(d)}|${suffix}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { sessions: [], untimed: 0 };
      // Least recently seen first (Map order; a group seen again is moved to the end).
      if (this.#groups.size >= this.#maxGroups) this.#forgetOldest(group);
    } else {
      this.#groups.delete(key);
    }
    this.#groups.set(key, group);
    const ms = eventTimeMs(d.eventTime);
    const before = jobsOf(group);
    let kept = 0;
    if (ms === null) {
      group.untimed += 1;
    } else {
      const held = group.sessions.length;
      insert(group.sessions, ms);
      this.#sessions += group.sessions.length - held;
      while (this.#sessions > this.#maxSessions && this.#forgetOldest(group)) {}
      if (this.#sessions > this.#maxSessions) {
        // This group alone is over the budget: forget its oldest job (it stays counted).
        group.sessions.shift();
        this.#sessions -= 1;
        this.#forgotten = true;
        kept = 1;
      }
    }
    const delta = jobsOf(group) - before + kept;
    this.#count += delta;
    return delta;
  }

  /** The number of failing jobs seen so far (an estimate once {@link exact} is `false`). */
  get count(): number {
    return this.#count;
  }

  /** `false` once a group or job was forgotten to stay within the memory budget. */
  get exact(): boolean {
    return !this.#forgotten;
  }
}

function jobsOf(group: Group): number {
  if (group.sessions.length > 0) {
    return group.sessions.length;
  }
  return group.untimed > 0 ? 1 : 0;
}

/** Adds `ms` to sorted, disjoint sessions, merging every session it comes within the window of. */
function insert(sessions: Session[], ms: number): void {
  // First session whose end is not before ms - window: the only candidates to merge start here.
  let lo = 0;
  let hi = sessions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = sessions[mid] as Session;
    if (s.end < ms - FAILING_JOB_WINDOW_MS) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  let last = lo;
  while (
    last < sessions.length &&
    (sessions[last] as Session).start <= ms + FAILING_JOB_WINDOW_MS
  ) {
    last += 1;
  }
  if (last === lo) {
    sessions.splice(lo, 0, { start: ms, end: ms });
    return;
  }
  const first = sessions[lo] as Session;
  const final = sessions[last - 1] as Session;
  const merged: Session = { start: Math.min(first.start, ms), end: Math.max(final.end, ms) };
  sessions.splice(lo, last - lo, merged);
}

/**
 * Counts the failing jobs among `diagnoses` (see {@link FailingJobCounter}); robust across 5-minute
 * bucket boundaries, and the input need not be sorted.
 *
 * @example
 * ```ts
 * countFailingJobs(twelveRetriesOfOneJob); // 1
 * ```
 */
export function countFailingJobs(diagnoses: Iterable<FailingJobFields>): number {
  const counter = new FailingJobCounter();
  for (const d of diagnoses) {
    counter.add(d);
  }
  return counter.count;
}
