/**
 * Failed calls grouped into failing jobs, keeping each job's calls: a job whose credential step
 * fails makes up to 12 attempts within ~205 s, and it gets one annotation, not twelve. Calls of
 * one group (account, role, `sub`) belong to the same job while each comes within 5 minutes of
 * the previous one (the window `failing-job.ts` counts with); input order does not matter.
 */
import {
  eventTimeMs,
  FAILING_JOB_WINDOW_MS,
  failingJobGroup,
  failingJobKey,
  isFailureCause,
} from '../failing-job.js';
import type { Diagnosis } from '../types.js';

/** One failing job. */
export interface FailingJob {
  /**
   * The processor's `failingJobKey` of its first attempt (the durable de-duplication key), or a
   * group key ending `|untimed` for a call without a readable time.
   */
  readonly key: string;
  /** The first attempt (the one whose diagnosis is posted). */
  readonly diagnosis: Diagnosis;
  readonly attempts: number;
  /** First and last attempt, ms; `null` for an untimed call. */
  readonly firstCallMs: number | null;
  readonly lastCallMs: number | null;
}

/**
 * Groups the failures among `diagnoses` into failing jobs, ordered by first attempt (untimed
 * ones last). Results that are not failures are left out.
 *
 * @example
 * ```ts
 * groupFailingJobs(twelveRetriesOfOneJob); // [{ attempts: 12, … }]
 * ```
 */
export function groupFailingJobs(diagnoses: Iterable<Diagnosis>): FailingJob[] {
  const groups = new Map<string, { d: Diagnosis; ms: number }[]>();
  const untimed: FailingJob[] = [];
  for (const d of diagnoses) {
    if (!isFailureCause(d.cause)) continue;
    const ms = eventTimeMs(d.eventTime);
    const group = failingJobGroup(d);
    if (ms === null) {
      untimed.push({
        key: `${group}|untimed`,
        diagnosis: d,
        attempts: 1,
        firstCallMs: null,
        lastCallMs: null,
      });
      continue;
    }
    let calls = groups.get(group);
    if (calls === undefined) {
      calls = [];
      groups.set(group, calls);
    }
    calls.push({ d, ms });
  }
  const jobs: FailingJob[] = [];
  for (const calls of groups.values()) {
    calls.sort((a, b) => a.ms - b.ms);
    let start = 0;
    for (let i = 1; i <= calls.length; i += 1) {
      const prev = calls[i - 1] as { d: Diagnosis; ms: number };
      const next = calls[i];
      if (next !== undefined && next.ms - prev.ms <= FAILING_JOB_WINDOW_MS) continue;
      const first = calls[start] as { d: Diagnosis; ms: number };
      jobs.push({
        key: failingJobKey(first.d) ?? `${failingJobGroup(first.d)}|${first.ms}`,
        diagnosis: first.d,
        attempts: i - start,
        firstCallMs: first.ms,
        lastCallMs: prev.ms,
      });
      start = i;
    }
  }
  jobs.sort((a, b) => (a.firstCallMs ?? 0) - (b.firstCallMs ?? 0) || a.key.localeCompare(b.key));
  return [...jobs, ...untimed];
}
