/**
 * The two Logs Insights queries the notifier runs over the processor's result lines, and the
 * readers of their rows. Both queries are fixed strings: nothing from the alarm reaches them (the
 * window goes in `startTime`/`endTime`), so a notification cannot inject query text.
 */
import type { ResultGroup, Totals } from './facts.js';
import { TOP_GROUPS } from './facts.js';

/** The `msg` of the processor's result lines (`RESULT_MESSAGE`; a test checks they agree). */
export const RESULT_LINE_MESSAGE = 'oidcwatch.result';

/** Placeholder the group query puts in place of an absent field (Logs Insights groups on it). */
export const ABSENT = '-';

const FAILURES = `filter msg = '${RESULT_LINE_MESSAGE}' and outcome = 'failure'`;

/** Failed calls, failing jobs (distinct `failingJobKey`) and repositories in the window. */
export const TOTALS_QUERY = [
  FAILURES,
  'stats count(*) as failedCalls, count_distinct(failingJobKey) as failingJobs, count_distinct(repository) as repositories',
].join('\n| ');

/**
 * The top groups: repository × role × cause × detail (× account), with the latest explanation,
 * fix and change annotation of each. `change.summary` is read when the result lines carry it.
 */
export const GROUPS_QUERY = [
  FAILURES,
  `fields coalesce(repository, '${ABSENT}') as repo, coalesce(roleArn, '${ABSENT}') as role, coalesce(detail, '${ABSENT}') as det, coalesce(account, '${ABSENT}') as acct`,
  'stats count(*) as failedCalls, count_distinct(failingJobKey) as failingJobs, latest(explanation) as explanation, latest(fix) as fix, latest(change.summary) as change by repo, role, cause, det, acct',
  'sort failedCalls desc',
  `limit ${TOP_GROUPS}`,
].join('\n| ');

/** One row of `GetQueryResults`: `{ field, value }` pairs. */
export type QueryRow = readonly { readonly field?: string; readonly value?: string }[];

function rowObject(row: QueryRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const cell of row)
    if (typeof cell.field === 'string' && typeof cell.value === 'string')
      out[cell.field] = cell.value;
  return out;
}

function count(v: string | undefined): number {
  const n = v === undefined ? 0 : Number(v);
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : 0;
}

function present(v: string | undefined): string | null {
  return v === undefined || v === '' || v === ABSENT ? null : v;
}

/**
 * The totals from the rows of {@link TOTALS_QUERY}. No row (nothing matched) is all zeros.
 *
 * @example
 * ```ts
 * readTotals([[{ field: 'failedCalls', value: '312' }, { field: 'failingJobs', value: '26' }]]);
 * ```
 */
export function readTotals(rows: readonly QueryRow[]): Totals {
  const first = rows[0] === undefined ? {} : rowObject(rows[0]);
  return {
    failedCalls: count(first.failedCalls),
    failingJobs: count(first.failingJobs),
    repositories: count(first.repositories),
  };
}

/** The groups from the rows of {@link GROUPS_QUERY}, largest first; rows without a cause are skipped. */
export function readGroups(rows: readonly QueryRow[]): ResultGroup[] {
  const groups: ResultGroup[] = [];
  for (const row of rows) {
    const r = rowObject(row);
    const cause = present(r.cause);
    if (cause === null) continue;
    groups.push({
      repository: present(r.repo),
      roleArn: present(r.role),
      account: present(r.acct),
      cause,
      detail: present(r.det),
      failedCalls: count(r.failedCalls),
      failingJobs: count(r.failingJobs),
      explanation: present(r.explanation),
      fix: present(r.fix),
      change: present(r.change),
    });
  }
  return groups.sort((a, b) => b.failedCalls - a.failedCalls);
}
