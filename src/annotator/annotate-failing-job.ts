/**
 * The annotator's use case for one failing job: claim it (durably, so retries and redeliveries
 * post once), reach its repository through the app's installation, find the run and job that made
 * the call, read the workflow file at that commit for the line to annotate, and post one check
 * run (optionally also a pull-request comment, updated rather than repeated).
 *
 * Outcomes are values: `posted`, `unmatched` (with why), `not_installed`, `failed` (GitHub
 * refused in a way retrying cannot fix), `duplicate`, `not_applicable`, `would_post` (dry run).
 * Only a GitHub failure worth retrying (rate limit, outage) is thrown — after releasing the claim —
 * so the work goes back to its queue.
 */
import { GitHubApiError } from '../adapters/github/github-api-error.js';
import type { CheckRun, WorkflowJob, WorkflowRun } from '../adapters/github/github-rest-client.js';
import type { RepositoryAccess } from '../adapters/github/repository-access.js';
import {
  CHECK_RUN_NAME,
  type CheckRunContent,
  type CheckRunTarget,
  commentMarker,
  renderCheckRun,
  renderPullRequestComment,
} from '../domain/annotate/check-run-content.js';
import type { FailingJob } from '../domain/annotate/failing-jobs.js';
import { fullNameOf, jobFactsOf, type RepositoryRef } from '../domain/annotate/job-facts.js';
import {
  DEFAULT_MATCH_OPTIONS,
  type MatchOptions,
  matchRun,
  runCanHoldCalls,
  runQueryFor,
} from '../domain/annotate/match-run.js';
import { shortHash } from '../domain/annotate/short-hash.js';
import { findWorkflowLine, type WorkflowLine } from '../domain/annotate/workflow-line.js';
import { ANNOTATION_OUTCOMES } from '../domain/metric-names.js';
import type { AnnotationStore } from './annotation-store.js';

/** What became of a failing job. */
export type AnnotationOutcome =
  | 'posted'
  | 'unmatched'
  | 'not_installed'
  | 'failed'
  | 'duplicate'
  | 'not_applicable'
  | 'would_post';

/** The outcomes counted in the `Annotations` metric (its `Outcome` dimension values). */
export const COUNTED_OUTCOMES = ANNOTATION_OUTCOMES;

/** Where the job was found. */
export interface MatchedTarget {
  readonly kind: 'job' | 'commit';
  /** `owner/name` as it is now. */
  readonly repository: string;
  readonly headSha: string;
  readonly runId: number | null;
  readonly runUrl: string | null;
  readonly runAttempt: number | null;
  readonly jobId: number | null;
  readonly jobName: string | null;
  readonly jobUrl: string | null;
  /** The workflow line annotated, when the file could be read. */
  readonly workflowLine: (WorkflowLine & { readonly path: string }) | null;
}

/** The result for one failing job. */
export interface AnnotationResult {
  readonly key: string;
  readonly outcome: AnnotationOutcome;
  /** Why (unmatched, not installed, failed, not applicable, duplicate). */
  readonly reason: string | null;
  /** `owner/name` as the record names it. */
  readonly repository: string | null;
  readonly attempts: number;
  readonly target: MatchedTarget | null;
  /** What is (or would be) posted. */
  readonly content: CheckRunContent | null;
  readonly checkRunUrl: string | null;
  readonly comment: 'created' | 'updated' | 'failed' | null;
}

/** Options of the annotator. */
export interface AnnotatorOptions {
  /** Match and render, post nothing (and claim nothing). */
  readonly dryRun: boolean;
  /** Also comment on the pull request of a pull-request run. */
  readonly pullRequestComments: boolean;
  readonly match: MatchOptions;
  /** More candidate runs than this: unmatched rather than listing every run's jobs. */
  readonly maxCandidateRuns: number;
  /** How long a claim is held while a worker posts, ms. */
  readonly holdMs: number;
}

/** Defaults: no dry run, no comments, 6 h look-back, 10 candidate runs, 5-minute claims. */
export const DEFAULT_ANNOTATOR_OPTIONS: AnnotatorOptions = {
  dryRun: false,
  pullRequestComments: false,
  match: DEFAULT_MATCH_OPTIONS,
  maxCandidateRuns: 10,
  holdMs: 5 * 60_000,
};

/** What the use case needs. */
export interface AnnotatorDeps {
  readonly resolve: (ref: RepositoryRef) => Promise<RepositoryAccess>;
  readonly store: AnnotationStore;
  readonly options: AnnotatorOptions;
  readonly log?: { warn(msg: string, fields?: Readonly<Record<string, unknown>>): void };
  /** @default Date.now */
  readonly now?: () => number;
}

/** Thrown when the job is held by another worker: try again after `retryAfterMs`. */
export class AnnotationBusyError extends Error {
  readonly retryAfterMs: number;

  constructor(key: string, retryAfterMs: number) {
    super(`failing job ${key} is being annotated by another worker`);
    this.name = this.constructor.name;
    this.retryAfterMs = retryAfterMs;
  }
}

/** The workflow file of a run in the run's own repository (`path` may carry `@ref`). */
function workflowPath(run: WorkflowRun, owner: string, name: string): string | null {
  const path = run.path.replace(/@[^@]*$/, '');
  const prefix = `${owner}/${name}/`;
  if (path.toLowerCase().startsWith(prefix.toLowerCase())) return path.slice(prefix.length);
  return path.startsWith('.github/') ? path : null;
}

interface Located {
  readonly target: CheckRunTarget;
  readonly matched: Omit<MatchedTarget, 'workflowLine'>;
  readonly run: WorkflowRun;
  readonly job: WorkflowJob | null;
  readonly externalId: string;
  readonly pullRequests: readonly number[];
  /** The workflow files of the runs that held the call (one for a job). */
  readonly workflowFiles: readonly string[];
}

type Found =
  | { readonly ok: true; readonly located: Located }
  | { readonly ok: false; readonly reason: string };

async function locate(
  job: FailingJob,
  access: Extract<RepositoryAccess, { status: 'ok' }>,
  deps: AnnotatorDeps
): Promise<Found> {
  const facts = jobFactsOf(job.diagnosis, job.lastCallMs);
  if (!facts.ok) return { ok: false, reason: facts.reason };
  const { client, owner, name } = access;
  const options = deps.options.match;
  const query = runQueryFor(facts.facts, options);
  const { runs } = await client.listWorkflowRuns(owner, name, query);
  const candidates = runs.filter((r) => runCanHoldCalls(r, facts.facts, options));
  if (candidates.length > deps.options.maxCandidateRuns)
    return {
      ok: false,
      reason: `${candidates.length} workflow runs of ${owner}/${name} could hold the call (more than ${deps.options.maxCandidateRuns}); the record does not narrow it down`,
    };
  const jobs = new Map<number, WorkflowJob[]>();
  for (const run of candidates)
    jobs.set(Number(run.id), await client.listJobsForRun(owner, name, Number(run.id)));
  const match = matchRun(
    facts.facts,
    candidates,
    (r) => jobs.get(Number(r.id)) ?? [],
    query,
    options
  );
  const role = shortHash(job.diagnosis.roleArn ?? job.diagnosis.sub ?? '-');
  const repository = `${owner}/${name}`;
  if (match.kind === 'unmatched') return { ok: false, reason: match.reason };
  if (match.kind === 'job') {
    const { run, job: ghJob } = match;
    return {
      ok: true,
      located: {
        run,
        job: ghJob,
        externalId: `oidcwatch/job/${Number(ghJob.id)}/${role}`,
        workflowFiles: [run.path],
        pullRequests: (run.pull_requests ?? []).map((p) => p.number),
        target: {
          kind: 'job',
          headSha: run.head_sha,
          workflowName: run.name ?? null,
          workflowPath: run.path,
          runNumber: run.run_number,
          runAttempt: ghJob.run_attempt ?? run.run_attempt ?? 1,
          runUrl: run.html_url,
          jobName: ghJob.name,
          jobUrl: ghJob.html_url,
        },
        matched: {
          kind: 'job',
          repository,
          headSha: run.head_sha,
          runId: Number(run.id),
          runUrl: run.html_url,
          runAttempt: ghJob.run_attempt ?? run.run_attempt ?? 1,
          jobId: Number(ghJob.id),
          jobName: ghJob.name,
          jobUrl: ghJob.html_url,
        },
      },
    };
  }
  const first = match.candidates[0] as { run: WorkflowRun; job: WorkflowJob };
  return {
    ok: true,
    located: {
      run: first.run,
      job: null,
      externalId: `oidcwatch/commit/${shortHash(job.key)}`,
      workflowFiles: [...new Set(match.candidates.map((c) => c.run.path))],
      pullRequests: [
        ...new Set(
          match.candidates.flatMap((c) => (c.run.pull_requests ?? []).map((p) => p.number))
        ),
      ],
      target: {
        kind: 'commit',
        headSha: match.headSha,
        runs: match.candidates.map((c) => ({
          workflowName: c.run.name ?? null,
          runNumber: c.run.run_number,
          runUrl: c.run.html_url,
          jobName: c.job.name,
          jobUrl: c.job.html_url,
        })),
      },
      matched: {
        kind: 'commit',
        repository,
        headSha: match.headSha,
        runId: null,
        runUrl: null,
        runAttempt: null,
        jobId: null,
        jobName: null,
        jobUrl: null,
      },
    },
  };
}

async function readWorkflowLine(
  job: FailingJob,
  located: Located,
  access: Extract<RepositoryAccess, { status: 'ok' }>
): Promise<(WorkflowLine & { path: string }) | null> {
  // Several runs on one commit: a line is annotated only when they all run the same file.
  const path = workflowPath(located.run, access.owner, access.name);
  if (path === null || located.workflowFiles.length !== 1) return null;
  let text: string | null;
  try {
    text = await access.client.getFileText(access.owner, access.name, path, located.target.headSha);
  } catch (e) {
    if (e instanceof GitHubApiError && e.retryable) throw e;
    return null;
  }
  if (text === null) return null;
  const facts = jobFactsOf(job.diagnosis, job.lastCallMs);
  const line = findWorkflowLine(text, job.diagnosis, facts.ok ? facts.facts.environment : null);
  return line === null ? null : { ...line, path };
}

async function upsertComment(
  access: Extract<RepositoryAccess, { status: 'ok' }>,
  numbers: readonly number[],
  body: string,
  marker: string
): Promise<'created' | 'updated'> {
  let result: 'created' | 'updated' = 'created';
  for (const number of numbers) {
    const existing = (
      await access.client.listIssueComments(access.owner, access.name, number)
    ).find((c) => c.body?.includes(marker));
    if (existing === undefined)
      await access.client.createIssueComment(access.owner, access.name, number, body);
    else {
      await access.client.updateIssueComment(access.owner, access.name, Number(existing.id), body);
      result = 'updated';
    }
  }
  return result;
}

function result(
  job: FailingJob,
  outcome: AnnotationOutcome,
  fields: Partial<Omit<AnnotationResult, 'key' | 'outcome' | 'attempts'>> = {}
): AnnotationResult {
  return {
    key: job.key,
    outcome,
    reason: null,
    repository: job.diagnosis.repository,
    attempts: job.attempts,
    target: null,
    content: null,
    checkRunUrl: null,
    comment: null,
    ...fields,
  };
}

async function annotateClaimed(job: FailingJob, deps: AnnotatorDeps): Promise<AnnotationResult> {
  const facts = jobFactsOf(job.diagnosis, job.lastCallMs);
  if (!facts.ok) return result(job, 'not_applicable', { reason: facts.reason });
  const access = await deps.resolve(facts.facts.repository);
  if (access.status !== 'ok') return result(job, 'not_installed', { reason: access.reason });
  const found = await locate(job, access, deps);
  if (!found.ok) return result(job, 'unmatched', { reason: found.reason });
  const { located } = found;
  const workflowLine = await readWorkflowLine(job, located, access);
  const target: MatchedTarget = { ...located.matched, workflowLine };
  const content = renderCheckRun({
    diagnosis: job.diagnosis,
    attempts: job.attempts,
    firstCallMs: job.firstCallMs ?? facts.facts.firstCallMs,
    lastCallMs: job.lastCallMs ?? facts.facts.lastCallMs,
    target: located.target,
    workflowLine,
    externalId: located.externalId,
  });
  if (deps.options.dryRun) return result(job, 'would_post', { target, content });
  const sha = located.target.headSha;
  const existing = (
    await access.client.listCheckRunsForRef(access.owner, access.name, sha, CHECK_RUN_NAME)
  ).find((c) => c.external_id === located.externalId);
  if (existing !== undefined)
    return result(job, 'duplicate', {
      reason: `check run ${existing.id} already carries this failing job`,
      target,
      content,
      checkRunUrl: existing.html_url,
    });
  const created: CheckRun = await access.client.createCheckRun(access.owner, access.name, {
    ...content,
    output: { ...content.output, annotations: content.output.annotations?.map((a) => ({ ...a })) },
  });
  let comment: AnnotationResult['comment'] = null;
  if (deps.options.pullRequestComments && located.pullRequests.length > 0) {
    const marker = commentMarker(shortHash(job.diagnosis.roleArn ?? job.diagnosis.sub ?? '-'));
    const body = renderPullRequestComment(content, job.diagnosis, created.html_url, marker);
    try {
      comment = await upsertComment(access, located.pullRequests, body, marker);
    } catch (e) {
      comment = 'failed';
      deps.log?.warn('oidcwatch.annotator.comment_failed', {
        key: job.key,
        repository: fullNameOf(facts.facts.repository),
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return result(job, 'posted', { target, content, checkRunUrl: created.html_url, comment });
}

/**
 * Annotates one failing job.
 *
 * @throws GitHubApiError when GitHub is rate limiting or unavailable (the claim is released)
 * @throws AnnotationBusyError when another worker holds the job
 * @example
 * ```ts
 * const r = await annotateFailingJob(job, { resolve: (ref) => resolver.resolve(ref), store, options });
 * r.outcome; // 'posted'
 * ```
 */
export async function annotateFailingJob(
  job: FailingJob,
  deps: AnnotatorDeps
): Promise<AnnotationResult> {
  if (deps.options.dryRun) {
    try {
      return await annotateClaimed(job, deps);
    } catch (e) {
      if (e instanceof GitHubApiError && !e.retryable)
        return result(job, 'failed', { reason: e.message });
      throw e;
    }
  }
  const claim = await deps.store.claim(job.key, deps.options.holdMs);
  if (claim.state === 'done')
    return result(job, 'duplicate', { reason: `already handled (${claim.outcome})` });
  if (claim.state === 'busy')
    throw new AnnotationBusyError(
      job.key,
      Math.max(1000, claim.untilMs - (deps.now ?? Date.now)())
    );
  let outcome: AnnotationResult;
  try {
    outcome = await annotateClaimed(job, deps);
  } catch (e) {
    if (e instanceof GitHubApiError && !e.retryable) {
      outcome = result(job, 'failed', { reason: e.message });
    } else {
      await deps.store.release(job.key);
      throw e;
    }
  }
  await deps.store.complete(job.key, outcome.outcome);
  return outcome;
}
