/**
 * The probe subjects a patch is tried on: neighbours of the recorded subject in its own grammar
 * (another branch, a tag, a pull request, another environment, another workflow of the same
 * repository; another repository of the owner; another owner). Each says how far from the job it
 * is, so the blast radius can tell "only this repository" from "the whole owner" from "anyone".
 */
import type { Subject, SubjectPair } from '../types.js';

/** How far a probe is from the job: its repository, its owner's, or beyond. */
export type ProbeDistance = 'repository' | 'owner' | 'wider';

/** One probe subject. */
export interface ProbeSubject {
  readonly label: string;
  readonly sub: string;
  readonly distance: ProbeDistance;
  /**
   * Claims the probe presents beyond what its `sub` proves (`job_workflow_ref`, `workflow`), by
   * claim name; they become `present` condition keys of the probe's request.
   */
  readonly claims?: Readonly<Record<string, string>>;
}

/** The value probes use where a name is needed; no real repository, branch or owner has it. */
export const PROBE = 'oidcwatch-probe';

const CONTEXT_KEYS = new Set(['ref', 'environment', 'pull_request']);

function render(pairs: readonly SubjectPair[]): string {
  return pairs
    .map((p) => (p.value === null ? p.key : `${p.key}:${p.value.replace(/:/g, '%3A')}`))
    .join(':');
}

function replacePairs(
  pairs: readonly SubjectPair[],
  replace: (p: SubjectPair) => SubjectPair | null
): SubjectPair[] {
  const out: SubjectPair[] = [];
  for (const p of pairs) {
    const next = replace(p);
    if (next !== null) out.push(next);
  }
  return out;
}

/** The subject with its context (`ref`/`environment`/`pull_request`) replaced by `context`. */
function withContext(pairs: readonly SubjectPair[], context: SubjectPair): string | null {
  const first = pairs.findIndex((p) => CONTEXT_KEYS.has(p.key));
  if (first < 0) return null;
  return render(
    replacePairs(pairs, (p) => {
      if (!CONTEXT_KEYS.has(p.key)) return p;
      return pairs.indexOf(p) === first ? context : null;
    })
  );
}

function githubProbes(s: Subject, ownerAs: string): ProbeSubject[] {
  const repository = s.repository ?? '';
  const name = repository.slice(repository.indexOf('/') + 1);
  const here = repository === '' ? 'the repository' : repository;
  const out: ProbeSubject[] = [];
  const context = (label: string, pair: SubjectPair) => {
    const sub = withContext(s.pairs, pair);
    if (sub !== null && sub !== s.raw) out.push({ label, sub, distance: 'repository' });
  };
  context(`another branch of ${here}`, { key: 'ref', value: `refs/heads/${PROBE}` });
  context(`a tag of ${here}`, { key: 'ref', value: `refs/tags/${PROBE}` });
  context(`a pull request of ${here}`, { key: 'pull_request', value: null });
  context(`another environment of ${here}`, { key: 'environment', value: PROBE });
  const workflow = `${repository}/.github/workflows/${PROBE}.yml@refs/heads/main`;
  const hasWorkflowPair = s.pairs.some((p) => p.key === 'job_workflow_ref');
  out.push({
    label: `another workflow of ${here}${hasWorkflowPair ? '' : ' (same sub: it does not name the workflow)'}`,
    sub: hasWorkflowPair
      ? render(
          s.pairs.map((p) => (p.key === 'job_workflow_ref' ? { key: p.key, value: workflow } : p))
        )
      : s.raw,
    distance: 'repository',
    claims: { job_workflow_ref: workflow, workflow: PROBE },
  });
  const owner = s.owner ?? ownerAs;
  const repoValue = (o: string, ownerId: string | null, n: string, id: string | null) =>
    s.immutable ? `${o}@${ownerId ?? '1'}/${n}@${id ?? '1'}` : `${o}/${n}`;
  const otherRepo = replacePairs(s.pairs, (p) => {
    if (p.key === 'repo') return { key: p.key, value: repoValue(ownerAs, s.ownerId, PROBE, '1') };
    if (p.key === 'repository') return { key: p.key, value: `${ownerAs}/${PROBE}` };
    if (p.key === 'repository_id') return { key: p.key, value: '1' };
    return p;
  });
  out.push({
    label: `another repository of ${owner}`,
    sub: render(otherRepo),
    distance: 'owner',
  });
  const foreign = `${PROBE}-owner`;
  const otherOwner = replacePairs(s.pairs, (p) => {
    if (p.key === 'repo') return { key: p.key, value: repoValue(foreign, '1', name, '2') };
    if (p.key === 'repository') return { key: p.key, value: `${foreign}/${name}` };
    if (p.key === 'repository_owner') return { key: p.key, value: foreign };
    if (p.key === 'repository_owner_id' || p.key === 'repository_id')
      return { key: p.key, value: '1' };
    return p;
  });
  out.push({ label: 'a repository of another owner', sub: render(otherOwner), distance: 'wider' });
  return out.filter((p) => p.sub !== s.raw || p.claims !== undefined);
}

function setPair(pairs: readonly SubjectPair[], key: string, value: string): string {
  return render(pairs.map((p) => (p.key === key ? { key, value } : p)));
}

function gitlabProbes(s: Subject, ownerAs: string): ProbeSubject[] {
  const path = s.claims.project_path;
  if (path === undefined) return [];
  const name = path.slice(path.lastIndexOf('/') + 1);
  const out: ProbeSubject[] = [];
  if (s.claims.ref !== undefined) {
    out.push({
      label: `another branch of ${path}`,
      sub: render(
        s.pairs.map((p) =>
          p.key === 'ref_type'
            ? { key: p.key, value: 'branch' }
            : p.key === 'ref'
              ? { key: p.key, value: PROBE }
              : p
        )
      ),
      distance: 'repository',
    });
    out.push({
      label: `a tag of ${path}`,
      sub: render(
        s.pairs.map((p) =>
          p.key === 'ref_type'
            ? { key: p.key, value: 'tag' }
            : p.key === 'ref'
              ? { key: p.key, value: PROBE }
              : p
        )
      ),
      distance: 'repository',
    });
  }
  out.push({
    label: `another project of ${s.owner ?? ownerAs}`,
    sub: setPair(s.pairs, 'project_path', `${ownerAs}/${PROBE}`),
    distance: 'owner',
  });
  out.push({
    label: 'a project of another group',
    sub: setPair(s.pairs, 'project_path', `${PROBE}-group/${name}`),
    distance: 'wider',
  });
  return out.filter((p) => p.sub !== s.raw);
}

function terraformProbes(s: Subject, ownerAs: string): ProbeSubject[] {
  const phase = s.claims.run_phase;
  const out: ProbeSubject[] = [];
  if (phase !== undefined)
    out.push({
      label: `the ${phase === 'apply' ? 'plan' : 'apply'} phase of ${s.repository ?? 'the workspace'}`,
      sub: setPair(s.pairs, 'run_phase', phase === 'apply' ? 'plan' : 'apply'),
      distance: 'repository',
    });
  out.push({
    label: `another workspace of ${s.owner ?? ownerAs}`,
    sub: render(
      s.pairs.map((p) =>
        p.key === 'workspace'
          ? { key: p.key, value: PROBE }
          : p.key === 'organization'
            ? { key: p.key, value: ownerAs }
            : p
      )
    ),
    distance: 'owner',
  });
  out.push({
    label: 'a workspace of another organization',
    sub: setPair(s.pairs, 'organization', `${PROBE}-org`),
    distance: 'wider',
  });
  return out.filter((p) => p.sub !== s.raw);
}

function eksProbes(s: Subject, ownerAs: string): ProbeSubject[] {
  const sa = s.claims.service_account ?? '';
  return [
    {
      label: `another service account of namespace ${s.claims.namespace ?? ownerAs}`,
      sub: `system:serviceaccount:${ownerAs}:${PROBE}`,
      distance: 'owner' as const,
    },
    {
      label: 'a service account of another namespace',
      sub: `system:serviceaccount:${PROBE}:${sa}`,
      distance: 'wider' as const,
    },
  ].filter((p) => p.sub !== s.raw);
}

/**
 * The owner of a subject for blast-radius purposes: the GitHub owner, the GitLab group, the
 * Terraform organization, the EKS namespace; `null` when the subject names none.
 */
export function subjectOwner(s: Subject): string | null {
  if (s.issuerKind === 'eks') return s.claims.namespace ?? null;
  return s.owner;
}

/**
 * The probes for a recorded subject, in its own grammar.
 *
 * @param ownerAs - how to spell the owner in "another repository of the owner" (the policy may
 *   spell it in another case than the subject does); defaults to the subject's spelling
 *
 * @example
 * ```ts
 * probeSubjects(parseSubject('repo:acme/api:ref:refs/heads/main', 'github'))
 *   .map((p) => p.sub);
 * // ['repo:acme/api:ref:refs/heads/oidcwatch-probe', 'repo:acme/api:ref:refs/tags/oidcwatch-probe', …]
 * ```
 */
export function probeSubjects(s: Subject, ownerAs?: string): ProbeSubject[] {
  const owner = ownerAs ?? subjectOwner(s) ?? PROBE;
  switch (s.issuerKind) {
    case 'github':
      if (s.form === 'unknown') break;
      return githubProbes(s, owner);
    case 'gitlab':
      return gitlabProbes(s, owner);
    case 'terraform-cloud':
      return terraformProbes(s, owner);
    case 'eks':
      return eksProbes(s, owner);
    default:
      break;
  }
  return [{ label: 'another subject of the issuer', sub: PROBE, distance: 'wider' }];
}
