/**
 * Writes the `sub` of a job the way its issuer does: GitHub's `repo:OWNER/NAME:environment:ENV`
 * (or `…:ref:refs/heads/BRANCH`, `…:pull_request`, the immutable `OWNER@ID/NAME@ID`, a customised
 * template's keys in order), GitLab's `project_path:GROUP/PROJECT:ref_type:branch:ref:BRANCH`.
 * The same writer makes the policy's values (patterns allowed) and the probe tokens' subjects
 * (concrete), so a probe differs from what is asked only where it means to.
 */
import type { JobContext, PolicyRequest, RepositoryRef } from './policy-request.js';

/** The `repo` segment of a GitHub subject. */
export function githubRepoSegment(repo: RepositoryRef, immutable: boolean): string {
  return immutable && repo.ownerId !== null && repo.repositoryId !== null
    ? `${repo.owner}@${repo.ownerId}/${repo.name}@${repo.repositoryId}`
    : `${repo.owner}/${repo.name}`;
}

/** The full ref of a branch or tag context (`refs/heads/main`); `null` for the others. */
export function contextRef(context: JobContext): string | null {
  if (context.kind === 'branch') return `refs/heads/${context.name}`;
  if (context.kind === 'tag') return `refs/tags/${context.name}`;
  return null;
}

/** GitHub escapes `:` inside a value as `%3A`. */
function escapeColon(value: string): string {
  return value.replaceAll(':', '%3A');
}

function githubContext(context: JobContext): string {
  if (context.kind === 'environment') return `environment:${escapeColon(context.name)}`;
  if (context.kind === 'pull_request') return 'pull_request';
  return `ref:${contextRef(context)}`;
}

/** What one job's subject is made of. */
export interface JobShape {
  readonly repository: RepositoryRef;
  readonly context: JobContext;
  /** `job_workflow_ref` (for a template that includes it). */
  readonly workflowRef: string;
}

/**
 * The job's `sub` as its issuer writes it (names may be patterns: they are copied as given).
 *
 * @example
 * ```ts
 * jobSubject(request, { repository: { owner: 'acme-corp', name: 'api', ownerId: null, repositoryId: null },
 *   context: { kind: 'environment', name: 'production' }, workflowRef: '…' });
 * // 'repo:acme-corp/api:environment:production'
 * ```
 */
export function jobSubject(request: PolicyRequest, job: JobShape): string {
  if (request.issuer.kind === 'gitlab') {
    const refType = job.context.kind === 'tag' ? 'tag' : 'branch';
    const ref = job.context.kind === 'pull_request' ? 'feature' : job.context.name;
    return `project_path:${job.repository.owner}/${job.repository.name}:ref_type:${refType}:ref:${ref}`;
  }
  return request.subTemplate
    .map((key) => {
      if (key === 'repo') return `repo:${githubRepoSegment(job.repository, request.immutable)}`;
      if (key === 'context') return githubContext(job.context);
      return `job_workflow_ref:${escapeColon(job.workflowRef)}`;
    })
    .join(':');
}

/**
 * A policy value for a subject or claim: in a Version 2012-10-17 policy `${` starts a policy
 * variable, so a literal `$` before `{` is written `${$}`.
 */
export function policyLiteral(value: string): string {
  return value.replace(/\$(?=\{)/g, '$${$}');
}

/** The jobs the request asks for: every repository in every context. */
export function askedJobs(request: PolicyRequest): JobShape[] {
  const jobs: JobShape[] = [];
  for (const repository of request.repositories)
    for (const context of request.contexts)
      jobs.push({
        repository,
        context,
        workflowRef:
          request.workflow?.ref ??
          `${repository.owner}/${repository.name}/.github/workflows/deploy.yml@${contextRef(context) ?? 'refs/heads/main'}`,
      });
  return jobs;
}
