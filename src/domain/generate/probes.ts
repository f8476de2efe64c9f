/**
 * The tokens a generated policy is tried with: one for every job asked for (each must be
 * admitted), and probes that differ from an asked job in one respect (each must be denied):
 * another repository of the owner, another owner, the same name recreated (immutable subjects), a
 * pull request, another environment or branch or tag, a job whose sub has the other form, another
 * workflow, another audience, another account's provider. Each token carries every claim the job
 * would have, so conditions on `job_workflow_ref` and the like are evaluated, not guessed.
 */
import { globMatches } from '../policy/string-match.js';
import {
  askedJobs,
  contextRef,
  githubRepoSegment,
  type JobShape,
  jobSubject,
} from './job-subject.js';
import type { JobContext, PolicyRequest, RepositoryRef } from './policy-request.js';

/** A token to try the policy with, and what the policy must answer. */
export interface Probe {
  /** What the token stands for: `asked`, `another repository of acme-corp`, `a pull request`, … */
  readonly label: string;
  readonly expect: 'allow' | 'deny';
  /** The provider the token is presented with (`Principal.Federated`). */
  readonly providerArn: string;
  /** The token's claims. */
  readonly claims: Readonly<Record<string, string>>;
  /** The claim that tells this probe apart, for the summary (`sub`, `aud`, `job_workflow_ref`, or `provider`). */
  readonly shows: 'sub' | 'aud' | 'job_workflow_ref' | 'provider';
  /** For an asked job: its sub as asked, patterns included (the token's `sub` makes them concrete). */
  readonly asked: string | null;
}

/** Stands for a `*` or `?` when a pattern is made concrete. */
function concrete(pattern: string): string {
  return pattern.replaceAll('*', 'probe').replaceAll('?', 'x');
}

function concreteContext(context: JobContext): JobContext {
  return context.kind === 'pull_request' ? context : { ...context, name: concrete(context.name) };
}

/** The first candidate no pattern matches, or `null` when the patterns cover them all. */
function outside(patterns: readonly string[], candidates: readonly string[]): string | null {
  return candidates.find((c) => !patterns.some((p) => globMatches(p, c, false))) ?? null;
}

/** The claims a GitHub or GitLab job's token carries. */
function tokenClaims(request: PolicyRequest, job: JobShape, aud: string): Record<string, string> {
  const { repository: repo, context } = job;
  const sub = jobSubject(request, job);
  if (request.issuer.kind === 'gitlab')
    return {
      aud,
      sub,
      project_path: `${repo.owner}/${repo.name}`,
      namespace_path: repo.owner,
      ref_type: context.kind === 'tag' ? 'tag' : 'branch',
      ref: context.kind === 'pull_request' ? 'feature' : context.name,
    };
  const ref =
    contextRef(context) ??
    (context.kind === 'pull_request' ? 'refs/pull/1/merge' : 'refs/heads/main');
  const claims: Record<string, string> = {
    aud,
    sub,
    repository: `${repo.owner}/${repo.name}`,
    repository_owner: repo.owner,
    repository_id: repo.repositoryId ?? '100000001',
    repository_owner_id: repo.ownerId ?? '200000001',
    ref,
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    event_name: context.kind === 'pull_request' ? 'pull_request' : 'push',
    job_workflow_ref: job.workflowRef,
    workflow: 'Deploy',
    actor: 'octocat',
    actor_id: '583231',
  };
  if (context.kind === 'environment') claims.environment = context.name;
  return claims;
}

interface ProbeSet {
  readonly request: PolicyRequest;
  readonly out: Probe[];
}

function add(
  set: ProbeSet,
  label: string,
  job: JobShape,
  options: {
    expect?: 'allow' | 'deny';
    request?: PolicyRequest;
    aud?: string;
    providerArn?: string;
    shows?: Probe['shows'];
    asked?: string;
  } = {}
): void {
  const request = options.request ?? set.request;
  set.out.push({
    label,
    expect: options.expect ?? 'deny',
    providerArn: options.providerArn ?? request.providerArn,
    claims: tokenClaims(request, job, options.aud ?? request.audience),
    shows: options.shows ?? 'sub',
    asked: options.asked ?? null,
  });
}

function repositoryProbes(set: ProbeSet, base: JobShape): void {
  const { request } = set;
  const repo = base.repository;
  const sameOwner = request.repositories.filter((r) => r.owner === repo.owner).map((r) => r.name);
  const name = outside(sameOwner, [`${repo.name}-probe`, `${repo.name}-probe-2`]) as string;
  const noun = request.issuer.kind === 'gitlab' ? 'project of' : 'repository of';
  const other = (r: Partial<RepositoryRef>): JobShape => ({
    ...base,
    repository: { ...repo, ...r },
  });
  add(set, `another ${noun} ${repo.owner}`, other({ name, repositoryId: '100000002' }));
  const owners = request.repositories.map((r) => r.owner.toLowerCase());
  const owner = [`${repo.owner}-probe`, `${repo.owner}-probe-2`].find(
    (o) => !owners.includes(o.toLowerCase())
  ) as string;
  add(
    set,
    request.issuer.kind === 'gitlab' ? 'another group' : 'another owner',
    other({ owner, ownerId: '200000002', repositoryId: '100000003' })
  );
  if (request.immutable && repo.repositoryId !== null) {
    const newId = String(BigInt(repo.repositoryId) + 1n);
    add(set, `${repo.owner}/${repo.name} deleted and created again (new id)`, {
      ...other({ repositoryId: newId }),
    });
    add(set, `the name-based sub of ${githubRepoSegment(repo, false)}`, base, {
      request: { ...request, immutable: false },
    });
  }
}

function contextProbes(set: ProbeSet, base: JobShape): void {
  const { request } = set;
  const asked = (kind: JobContext['kind']) =>
    request.contexts.flatMap((c) => (c.kind === kind && 'name' in c ? [c.name] : []));
  const withContext = (context: JobContext): JobShape => ({ ...base, context });
  const environments = asked('environment');
  const branches = asked('branch');
  const tags = asked('tag');
  if (request.issuer.kind === 'github')
    add(set, 'a pull request', withContext({ kind: 'pull_request' }));
  if (environments.length > 0) {
    const env = outside(environments, ['oidcwatch-probe', 'zz-probe-env']);
    if (env !== null)
      add(set, 'another environment', withContext({ kind: 'environment', name: env }));
    add(set, 'a job on main without environment', withContext({ kind: 'branch', name: 'main' }));
    return;
  }
  const branch = outside(branches, ['oidcwatch-probe', 'main', 'zz/probe']);
  if (branch !== null)
    add(
      set,
      branches.length > 0 ? 'another branch' : 'a branch',
      withContext({ kind: 'branch', name: branch })
    );
  const tag = outside(tags, ['oidcwatch-probe', 'v0.0.0-probe', 'zz/probe']);
  if (tag !== null)
    add(set, tags.length > 0 ? 'another tag' : 'a tag', withContext({ kind: 'tag', name: tag }));
  if (request.issuer.kind === 'github')
    add(
      set,
      'a job declaring an environment',
      withContext({ kind: 'environment', name: 'production' })
    );
}

function workflowProbes(set: ProbeSet, base: JobShape): void {
  const pin = set.request.workflow;
  if (pin === null) return;
  const shows = pin.placement === 'condition' ? 'job_workflow_ref' : 'sub';
  const file = outside([pin.path], ['.github/workflows/oidcwatch-probe.yml']) as string;
  add(
    set,
    'another workflow',
    { ...base, workflowRef: `${pin.repository}/${file}@${concrete(pin.gitRef)}` },
    { shows }
  );
  const ref = outside([pin.gitRef], ['refs/heads/oidcwatch-probe', 'refs/tags/oidcwatch-probe']);
  if (ref !== null)
    add(
      set,
      'the workflow at another ref',
      { ...base, workflowRef: `${pin.repository}/${pin.path}@${ref}` },
      { shows }
    );
}

function issuerProbes(set: ProbeSet, base: JobShape): void {
  const { request } = set;
  const aud =
    request.issuer.kind === 'github'
      ? `https://github.com/${base.repository.owner}`
      : 'https://gitlab.example.com';
  if (aud !== request.audience) add(set, 'another audience', base, { aud, shows: 'aud' });
  const account =
    request.providerArn.split(':')[4] === '999999999999' ? '999999999998' : '999999999999';
  add(set, "another account's OIDC provider", base, {
    providerArn: request.providerArn.replace(/:iam::\d{12}:/, `:iam::${account}:`),
    shows: 'provider',
  });
}

/**
 * The probes of a request: first every asked job (expected `allow`), then the deny probes, built
 * around the first asked job.
 *
 * @example
 * ```ts
 * probesFor(readPolicyRequest({ repositories: ['acme-corp/api'], environments: ['production'] }))
 *   .map((p) => `${p.expect} ${p.label}`);
 * // ['allow asked', 'deny another repository of acme-corp', 'deny another owner', 'deny a pull request', …]
 * ```
 */
export function probesFor(request: PolicyRequest): Probe[] {
  const set: ProbeSet = { request, out: [] };
  let base: JobShape | null = null;
  for (const job of askedJobs(request)) {
    const tried: JobShape = {
      ...job,
      context: concreteContext(job.context),
      workflowRef: concrete(job.workflowRef),
    };
    base ??= tried;
    add(set, 'asked', tried, { expect: 'allow', asked: jobSubject(request, job) });
  }
  if (base === null) return set.out;
  repositoryProbes(set, base);
  contextProbes(set, base);
  workflowProbes(set, base);
  issuerProbes(set, base);
  return set.out;
}
