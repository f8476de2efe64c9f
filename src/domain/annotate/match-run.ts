/**
 * Finding the GitHub Actions job that made a failed call, from what the record proves (the job
 * facts) and the repository's workflow runs and their jobs. No guessing: a job is chosen only
 * when exactly one was running at the time of the calls and failed (or is still running); several
 * on one commit give the commit; anything else is "unmatched" with the reason.
 *
 * Run and job shapes are GitHub's (`workflow-run`, `job`), reduced to the fields read here.
 */
import { fullNameOf, type JobFacts } from './job-facts.js';

/** The fields of a GitHub workflow run this module reads. */
export interface RunLike {
  /** GitHub ids are 64-bit: the OpenAPI types say `number | bigint` (JSON gives numbers). */
  readonly id: number | bigint;
  readonly name?: string | null;
  readonly path: string;
  readonly event: string;
  readonly head_branch: string | null;
  readonly head_sha: string;
  readonly status: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly run_attempt?: number;
  readonly run_number: number;
  readonly html_url: string;
  readonly pull_requests:
    | readonly { readonly number: number; readonly base: { readonly ref: string } }[]
    | null;
}

/** The fields of a step of a GitHub job this module reads. */
export interface StepLike {
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly started_at?: string | null;
  readonly completed_at?: string | null;
}

/** The fields of a GitHub job this module reads. */
export interface JobLike {
  readonly id: number | bigint;
  readonly run_id: number | bigint;
  readonly run_attempt?: number;
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
  readonly started_at: string;
  readonly completed_at: string | null;
  readonly html_url: string | null;
  readonly steps?: readonly StepLike[];
}

/** A run query: the `created` range and the filters the subject allows. */
export interface RunQuery {
  /** GitHub search date range, `from..to`. */
  readonly created: string;
  readonly branch?: string;
  readonly event?: string;
}

/** Why no job was chosen. */
export type UnmatchedCode = 'NO_RUN' | 'NO_JOB' | 'AMBIGUOUS' | 'TOO_MANY_RUNS';

/** The job a failure was matched to, the commit, or why neither. */
export type RunMatch<R extends RunLike = RunLike, J extends JobLike = JobLike> =
  | { readonly kind: 'job'; readonly run: R; readonly job: J }
  | {
      readonly kind: 'commit';
      readonly headSha: string;
      readonly candidates: readonly { readonly run: R; readonly job: J }[];
    }
  | { readonly kind: 'unmatched'; readonly code: UnmatchedCode; readonly reason: string };

/** Options of the matching. */
export interface MatchOptions {
  /** How far before the first call a run may have been created. */
  readonly lookbackMs: number;
  /** Clock difference tolerated between CloudTrail and GitHub timestamps (both to the second). */
  readonly slackMs: number;
}

/** Defaults: runs created up to 6 hours before the call (GitHub's job limit), 5 s of slack. */
export const DEFAULT_MATCH_OPTIONS: MatchOptions = { lookbackMs: 6 * 3_600_000, slackMs: 5000 };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function hhmmss(ms: number): string {
  return `${iso(ms).slice(11, 19)} UTC`;
}

/**
 * The run query for a job: runs created within the look-back before its first call, on its
 * branch or tag (a tag push's `head_branch` is the tag), or of `pull_request` events.
 *
 * @example
 * ```ts
 * runQueryFor(facts, DEFAULT_MATCH_OPTIONS);
 * // { created: '2026-11-27T08:05:40Z..2026-11-27T14:05:45Z', branch: 'feature/retry-logic' }
 * ```
 */
export function runQueryFor(facts: JobFacts, options: MatchOptions): RunQuery {
  const created = `${iso(facts.firstCallMs - options.lookbackMs)}..${iso(facts.firstCallMs + options.slackMs)}`;
  const t = facts.trigger;
  if (t.kind === 'branch') return { created, branch: t.branch };
  if (t.kind === 'tag') return { created, branch: t.tag };
  if (t.kind === 'pull_request' && t.number === null) return { created, event: 'pull_request' };
  return { created };
}

/** What the query covered, in words (for "no run" reasons). */
function describeQuery(facts: JobFacts, query: RunQuery): string {
  const [from, to] = query.created.split('..') as [string, string];
  const t = facts.trigger;
  const on =
    t.kind === 'branch'
      ? ` on branch ${t.branch}`
      : t.kind === 'tag'
        ? ` for tag ${t.tag}`
        : t.kind === 'pull_request'
          ? t.number === null
            ? ' for a pull request'
            : ` for pull request #${t.number}`
          : '';
  return `no workflow run of ${fullNameOf(facts.repository)}${on} was created between ${from} and ${to}`;
}

/**
 * `true` when a run can be the one that made the calls: its trigger agrees with the subject, it
 * was created before the first call and last updated after it.
 */
export function runCanHoldCalls(run: RunLike, facts: JobFacts, options: MatchOptions): boolean {
  const created = Date.parse(run.created_at);
  const updated = Date.parse(run.updated_at);
  if (!(created <= facts.firstCallMs + options.slackMs)) return false;
  if (run.status === 'completed' && updated < facts.firstCallMs - options.slackMs) return false;
  const t = facts.trigger;
  const prBase = (ref: string) => (run.pull_requests ?? []).some((p) => p.base.ref === ref);
  switch (t.kind) {
    case 'branch':
      return (
        (run.head_branch === t.branch && !run.event.startsWith('pull_request')) ||
        (run.event === 'pull_request_target' && prBase(t.branch))
      );
    case 'tag':
      return run.head_branch === t.tag;
    case 'pull_request':
      return t.number === null
        ? run.event.startsWith('pull_request') && run.event !== 'pull_request_target'
        : (run.pull_requests ?? []).some((p) => p.number === t.number);
    default:
      return true;
  }
}

function covers(
  startedAt: string | null | undefined,
  completedAt: string | null | undefined,
  facts: JobFacts,
  slackMs: number
): boolean {
  const start = startedAt ? Date.parse(startedAt) : Number.NaN;
  if (!(start <= facts.firstCallMs + slackMs)) return false;
  if (!completedAt) return true;
  return Date.parse(completedAt) >= facts.lastCallMs - slackMs;
}

/** The job's steps whose running time covers the calls. */
function coveringSteps(job: JobLike, facts: JobFacts, slackMs: number): StepLike[] {
  return (job.steps ?? []).filter((s) => covers(s.started_at, s.completed_at, facts, slackMs));
}

/** `true` for a step or job that failed or has not finished. */
function failedOrRunning(x: { status: string; conclusion: string | null }): boolean {
  return x.conclusion === 'failure' || (x.status !== 'completed' && x.conclusion === null);
}

/**
 * `true` when `job` was running during the calls and failed or still runs (or a step of it that
 * covers the calls failed, for a job that continues on error).
 */
export function jobHeldCalls(job: JobLike, facts: JobFacts, slackMs: number): boolean {
  if (!covers(job.started_at, job.completed_at, facts, slackMs)) return false;
  return failedOrRunning(job) || coveringSteps(job, facts, slackMs).some(failedOrRunning);
}

/**
 * Chooses the job (or commit) among the candidate runs' jobs.
 *
 * @param runs - the runs that passed {@link runCanHoldCalls}
 * @param jobsOf - the jobs of each run, every attempt
 * @param listed - how many runs the query found (for the reason when none is left)
 * @example
 * ```ts
 * const m = matchRun(facts, runs, (run) => jobs.get(run.id) ?? [], query);
 * if (m.kind === 'job') m.job.html_url;
 * ```
 */
export function matchRun<R extends RunLike, J extends JobLike>(
  facts: JobFacts,
  runs: readonly R[],
  jobsOf: (run: R) => readonly J[],
  query: RunQuery,
  options: MatchOptions = DEFAULT_MATCH_OPTIONS
): RunMatch<R, J> {
  if (runs.length === 0)
    return { kind: 'unmatched', code: 'NO_RUN', reason: describeQuery(facts, query) };
  let held: { run: R; job: J }[] = [];
  for (const run of runs)
    for (const job of jobsOf(run))
      if (jobHeldCalls(job, facts, options.slackMs)) held.push({ run, job });
  if (held.length > 1) {
    // A failed step that covers the calls (the credentials step) tells the job apart.
    const sharper = held.filter(({ job }) =>
      coveringSteps(job, facts, options.slackMs).some(failedOrRunning)
    );
    if (sharper.length > 0) held = sharper;
  }
  const at = hhmmss(facts.firstCallMs);
  if (held.length === 1) {
    const only = held[0] as { run: R; job: J };
    return { kind: 'job', run: only.run, job: only.job };
  }
  if (held.length === 0)
    return {
      kind: 'unmatched',
      code: 'NO_JOB',
      reason: `${runs.length} workflow run${runs.length === 1 ? '' : 's'} of ${fullNameOf(facts.repository)} could hold the call, but none has a job that was running at ${at} and failed`,
    };
  const shas = new Set(held.map((h) => h.run.head_sha));
  if (shas.size === 1)
    return { kind: 'commit', headSha: held[0]?.run.head_sha as string, candidates: held };
  return {
    kind: 'unmatched',
    code: 'AMBIGUOUS',
    reason: `${held.length} jobs in ${new Set(held.map((h) => h.run.id)).size} runs on ${shas.size} commits were running at ${at} and failed; the record does not say which one made the call`,
  };
}
