/**
 * What a failed call proves about the GitHub Actions job that made it, and nothing more: the
 * repository (with its ids when the subject is the immutable `owner@id/name@id` form), the ref,
 * tag, pull request or environment its `sub` carries, and when its attempts were made. The
 * annotator finds the job's run from these facts alone; a result that proves too little is not
 * annotated, with the reason.
 */
import { isFailureCause } from '../failing-job.js';
import { parseSubject } from '../subject/parse-subject.js';
import type { Diagnosis } from '../types.js';

/** A repository as the record names it. */
export interface RepositoryRef {
  readonly owner: string;
  readonly name: string;
  /** Owner and repository ids (immutable subject only): they survive renames and transfers. */
  readonly ownerId: string | null;
  readonly repositoryId: string | null;
}

/**
 * How the job's subject identifies its trigger: a branch or tag push (or any event on a ref), a
 * pull request, an environment (no ref in `sub`), or something the subject does not say.
 */
export type JobTrigger =
  | { readonly kind: 'branch'; readonly branch: string }
  | { readonly kind: 'tag'; readonly tag: string }
  | { readonly kind: 'pull_request'; readonly number: number | null }
  | { readonly kind: 'environment'; readonly environment: string }
  | { readonly kind: 'other'; readonly ref: string | null };

/** The facts of one failing job. */
export interface JobFacts {
  readonly repository: RepositoryRef;
  readonly trigger: JobTrigger;
  /** The environment the subject names, whatever the trigger (custom templates carry both). */
  readonly environment: string | null;
  /** When the first and last failed attempt were made, ms since the epoch. */
  readonly firstCallMs: number;
  readonly lastCallMs: number;
}

/** The facts, or why the result cannot be annotated. */
export type JobFactsResult =
  | { readonly ok: true; readonly facts: JobFacts }
  | { readonly ok: false; readonly reason: string };

function triggerOf(ref: string | null, environment: string | null, form: string): JobTrigger {
  if (form === 'pull_request') return { kind: 'pull_request', number: null };
  if (ref?.startsWith('refs/heads/')) return { kind: 'branch', branch: ref.slice(11) };
  if (ref?.startsWith('refs/tags/')) return { kind: 'tag', tag: ref.slice(10) };
  const pull = ref?.match(/^refs\/pull\/(\d+)\/(merge|head)$/);
  if (pull) return { kind: 'pull_request', number: Number(pull[1]) };
  if (environment !== null) return { kind: 'environment', environment };
  return { kind: 'other', ref };
}

/**
 * The facts of the failing job behind `d`.
 *
 * @param lastCallMs - when its last attempt was made (default: `d`'s own time)
 * @example
 * ```ts
 * const r = jobFactsOf(diagnosis);
 * if (r.ok) r.facts.trigger; // { kind: 'branch', branch: 'feature/retry-logic' }
 * ```
 */
export function jobFactsOf(d: Diagnosis, lastCallMs?: number | null): JobFactsResult {
  if (!isFailureCause(d.cause)) return { ok: false, reason: `${d.cause} is not a failed call` };
  if (d.issuer !== null && d.issuer !== 'github')
    return {
      ok: false,
      reason: `the token came from ${d.issuer}, not GitHub Actions`,
    };
  if (d.sub === null) return { ok: false, reason: 'the record carries no sub claim' };
  const subject = parseSubject(d.sub, 'github');
  if (subject.issuerKind !== 'github' || subject.owner === null || subject.repository === null)
    return { ok: false, reason: `the sub "${d.sub}" names no GitHub repository` };
  const first = d.eventTime === null ? Number.NaN : Date.parse(d.eventTime);
  if (!Number.isFinite(first))
    return { ok: false, reason: 'the record has no readable eventTime to find the run by' };
  const name = subject.repository.slice(subject.repository.indexOf('/') + 1);
  return {
    ok: true,
    facts: {
      repository: {
        owner: subject.owner,
        name,
        ownerId: subject.ownerId,
        repositoryId: subject.repositoryId,
      },
      trigger: triggerOf(subject.ref, subject.environment, subject.form),
      environment: subject.environment,
      firstCallMs: first,
      lastCallMs: Math.max(first, lastCallMs ?? first),
    },
  };
}

/** `owner/name` of a repository reference. */
export function fullNameOf(r: RepositoryRef): string {
  return `${r.owner}/${r.name}`;
}
