/**
 * Remedies of `SUB_MISMATCH`: the value to add beside the policy's own (never in place of an
 * owner-wide pattern), a `StringLike` pattern scoped to the repository for refs that are new every
 * run (merge-queue refs, release tags), the id-pinned form of the same pattern for immutable
 * subjects, and no loosening where the policy's difference is deliberate.
 */
import type { SubMismatchDetail } from '../causes.js';
import { valueMatches } from '../policy/operators.js';
import { splitSubjectPairs } from '../subject/subject-pairs.js';
import type { Subject } from '../types.js';
import { addValuePlan, clauseText, likeValuePlan, type ValueTarget } from './condition-plans.js';
import { roleSetting } from './issuer-advice.js';
import { checked, makeRemedy } from './make-remedy.js';
import { patchRemedy } from './patch-remedy.js';
import type { Remedy } from './remedy-types.js';
import type { PatchEnv } from './verify-patch.js';

/** What the `SUB_MISMATCH` rule found. */
export interface SubRemedyInput {
  readonly detail: SubMismatchDetail;
  readonly subject: Subject;
  /** The policy value nearest the job's sub. */
  readonly target: ValueTarget;
  /** `true` when the nearest value has a `*`/`?` that `StringEquals` compares literally. */
  readonly literal: boolean;
}

const MERGE_QUEUE = /^refs\/heads\/gh-readonly-queue\/(.+)\/pr-\d+-[0-9a-f]{7,40}$/;
const IMMUTABLE_SEGMENT = /^([^@/]+)@(\d+)\/([^@/]+)@(\d+)$/;

/** The value as a `StringLike` value: `*`, `?` and `$` of the subject made literal. */
export function likeEscaped(value: string, variables: boolean): string {
  return variables ? value.replace(/[*?$]/g, (c) => `\${${c}}`) : value;
}

/** The value to write in the target's clause so that it equals (or matches) exactly `raw`. */
function exactValue(t: ValueTarget, raw: string): string {
  return t.base === 'StringLike' ? likeEscaped(raw, t.variables) : raw;
}

function repoSegment(value: string): string | null {
  return /^repo:([^:]*)/.exec(value)?.[1] ?? null;
}

function admits(t: ValueTarget, value: string, sub: string): boolean {
  return valueMatches(t.base, value, sub, t.variables);
}

/** The policy value with its `repo:` segment replaced, when that segment is `from` (any case). */
function withRepoSegment(value: string, to: string): string {
  const seg = repoSegment(value);
  return seg === null ? value : `repo:${to}${value.slice(`repo:${seg}`.length)}`;
}

/**
 * The policy value spelled as GitHub spells the job's owner or repository: the whole repository
 * segment when it is the job's (any case), else the owner of an owner-wide pattern.
 */
function caseCorrected(t: ValueTarget, s: Subject): string | null {
  const seg = repoSegment(t.value);
  const subSeg = repoSegment(s.raw);
  if (seg === null || subSeg === null) return null;
  if (seg.toLowerCase() === subSeg.toLowerCase()) return withRepoSegment(t.value, subSeg);
  const slash = seg.indexOf('/');
  const subOwner = subSeg.slice(0, subSeg.indexOf('/'));
  if (slash > 0 && seg.slice(0, slash).toLowerCase() === subOwner.toLowerCase())
    return withRepoSegment(t.value, `${subOwner}${seg.slice(slash)}`);
  return null;
}

/** The name-based pattern rewritten with the job's ids (`acme/api` → `acme@1/api@2`, `acme/*` → `acme@1/*`). */
function idPinned(t: ValueTarget, s: Subject): string | null {
  const seg = repoSegment(t.value);
  const ids = repoSegment(s.raw);
  if (seg === null || ids === null || seg.includes('@') || s.repository === null) return null;
  if (seg.toLowerCase() === s.repository.toLowerCase()) return withRepoSegment(t.value, ids);
  const slash = seg.indexOf('/');
  if (slash > 0 && seg.slice(0, slash).toLowerCase() === (s.owner ?? '').toLowerCase())
    return withRepoSegment(t.value, `${ids.slice(0, ids.indexOf('/'))}${seg.slice(slash)}`);
  return null;
}

/** The pinned repository of a value (`owner@ID/repo@ID`), or `null`. */
function pinnedRepo(value: string): RegExpExecArray | null {
  const seg = repoSegment(value);
  return seg === null ? null : IMMUTABLE_SEGMENT.exec(seg);
}

/**
 * `true` when the policy pins the job's repository by ids other than the job's: the repository
 * was re-created (new repository id) or transferred (new owner id).
 */
export function pinnedToOldIds(value: string, s: Subject): boolean {
  const pinned = pinnedRepo(value);
  if (pinned === null || !s.immutable || s.repository === null) return false;
  const [, owner = '', ownerId, name = '', repoId] = pinned;
  return (
    `${owner}/${name}`.toLowerCase() === s.repository.toLowerCase() &&
    (ownerId !== s.ownerId || repoId !== s.repositoryId)
  );
}

/**
 * HCP Terraform roles split by run phase (a plan role that cannot apply): when only `run_phase`
 * differs, the separation is the point.
 */
function separatePhase(input: SubRemedyInput): Remedy | null {
  const { subject: s, target: t } = input;
  if (s.issuerKind !== 'terraform-cloud') return null;
  const diffs = compareClaims(s.raw, t.value);
  const [only] = diffs;
  if (diffs.length !== 1 || only?.key !== 'run_phase' || only.policy === null) return null;
  const other = only.job ?? 'other';
  return makeRemedy(
    'intentional',
    `Statement ${t.statement} admits only the ${only.policy} phase of ${s.repository ?? 'the workspace'}, and this run is in the ${other} phase: the ${only.policy} and ${other} phases use separate roles on purpose. Give the workspace the ${other} role (TFC_AWS_${other.toUpperCase()}_ROLE_ARN) rather than opening this one to the ${other} phase.`,
    { statement: t.statement }
  );
}

function fallbackToRole(s: Subject, t: ValueTarget): () => Remedy {
  const role = roleSetting(s.issuerKind);
  return () =>
    makeRemedy(
      'workflow',
      `Run the job as statement ${t.statement} admits (${t.operator} "${t.value}"), or point ${role.where} at the role meant for ${s.repository ?? 'this job'}.`
    );
}

function addExact(env: PatchEnv, input: SubRemedyInput, summary: (v: string) => string): Remedy {
  const { subject: s, target: t } = input;
  const value = exactValue(t, s.raw);
  return patchRemedy(env, addValuePlan(t, value, summary(value), fallbackToRole(s, t)));
}

function inStatement(t: ValueTarget): string {
  return `${clauseText(t)} in statement ${t.statement}`;
}

function branchRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t } = input;
  const base = s.ref === null ? null : (MERGE_QUEUE.exec(s.ref)?.[1] ?? null);
  const subSeg = repoSegment(s.raw);
  if (base !== null && subSeg !== null && s.form === 'branch') {
    const pattern = `repo:${likeEscaped(subSeg, t.variables)}:ref:refs/heads/gh-readonly-queue/${likeEscaped(base, t.variables)}/*`;
    return patchRemedy(
      env,
      likeValuePlan(
        env,
        t,
        pattern,
        `Merge-queue refs are new for every run (${s.ref}): add the pattern "${pattern}" to StringLike["${t.key}"] in statement ${t.statement}, which admits every merge-queue run into ${base} of ${s.repository ?? 'the repository'}; or skip the AWS step in merge_group runs (\`if: github.event_name != 'merge_group'\`). Adding the one ref would not admit the next run.`,
        () =>
          makeRemedy(
            'workflow',
            `Skip the AWS step in merge_group runs (\`if: github.event_name != 'merge_group'\`): merge-queue refs are new for every run, so no single value admits them.`
          )
      )
    );
  }
  return addExact(
    env,
    input,
    (v) =>
      `Add "${v}" to ${inStatement(t)} (it admits ${s.ref ?? 'this ref'} of ${s.repository ?? 'the repository'} only).`
  );
}

function tagRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t } = input;
  const tag = s.ref?.startsWith('refs/tags/') ? s.ref.slice('refs/tags/'.length) : null;
  const version = tag === null ? null : /^(\D*?)\d/.exec(tag);
  const subSeg = repoSegment(s.raw);
  if (tag === null || version === null || subSeg === null || s.form !== 'tag')
    return addExact(env, input, (v) => `Add "${v}" to ${inStatement(t)}.`);
  const prefix = version[1] ?? '';
  const pattern = `repo:${likeEscaped(subSeg, t.variables)}:ref:refs/tags/${likeEscaped(prefix, t.variables)}*`;
  return patchRemedy(
    env,
    likeValuePlan(
      env,
      t,
      pattern,
      `Release tags are new with every release: add the pattern "${pattern}" to StringLike["${t.key}"] in statement ${t.statement} (every ${prefix === '' ? '' : `${prefix}… `}tag of ${s.repository ?? 'the repository'}), not the one tag ${tag}.`,
      () =>
        makeRemedy(
          'workflow',
          `Name the release tag as statement ${t.statement} admits (${t.operator} "${t.value}"): tags are new with every release, so no single value admits them.`
        )
    )
  );
}

function caseRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t } = input;
  const corrected = caseCorrected(t, s);
  const value =
    corrected !== null && corrected !== t.value && admits(t, corrected, s.raw)
      ? corrected
      : exactValue(t, s.raw);
  return patchRemedy(
    env,
    addValuePlan(
      t,
      value,
      `Add "${value}" beside "${t.value}" in ${inStatement(t)}: GitHub spells ${s.repository === null ? 'the subject' : `"${s.repository}"`} this way and IAM compares sub case-sensitively. The existing value stays, so nothing it admits is taken away.`,
      fallbackToRole(s, t)
    )
  );
}

function immutableRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t } = input;
  if (!s.immutable) {
    const repo = s.repository ?? '{owner}/{repo}';
    const pinned = pinnedRepo(t.value);
    const stand =
      pinned === null ? null : s.raw.replace(/^repo:[^:]*/, `repo:${repoSegment(t.value)}`);
    const ok = stand !== null && admits(t, t.value, stand);
    return makeRemedy(
      'workflow',
      `Opt ${repo} in to immutable subject claims so its tokens carry the ids statement ${t.statement} pins: gh api -X PUT repos/${repo}/actions/oidc/customization/sub -F use_immutable_subject=true. Adding the name-based sub would undo the pin.`,
      {
        verification: checked(
          ok,
          ok ? [] : ['the pinned value does not admit the job even with ids'],
          ok
            ? [
                `With ids, the job's sub would be "${stand}", which ${t.operator} "${t.value}" admits.`,
              ]
            : []
        ),
      }
    );
  }
  const pinned = idPinned(t, s);
  const value = pinned !== null && admits(t, pinned, s.raw) ? pinned : exactValue(t, s.raw);
  return patchRemedy(
    env,
    addValuePlan(
      t,
      value,
      `Add "${value}" beside "${t.value}" in ${inStatement(t)}: ${s.repository ?? 'the repository'} now gets the immutable owner@ID/repo@ID subject, and this is the same value pinned by id (keep pinning by id rather than reverting to name-based subjects).`,
      fallbackToRole(s, t)
    )
  );
}

function recreatedRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t } = input;
  const ids = repoSegment(s.raw) ?? '';
  const value = withRepoSegment(t.value, ids);
  const was = repoSegment(t.value) ?? '';
  return patchRemedy(
    env,
    addValuePlan(
      t,
      admits(t, value, s.raw) ? value : exactValue(t, s.raw),
      `Statement ${t.statement} pins ${s.repository ?? 'the repository'} as ${was}; the job's repository is ${ids}: it was re-created or transferred. Only if that repository is yours, add "${admits(t, value, s.raw) ? value : exactValue(t, s.raw)}" beside the old value in ${clauseText(t)}; if it is not, someone else holds the name now: leave the policy as it is.`,
      fallbackToRole(s, t)
    )
  );
}

/**
 * The remedy of a `SUB_MISMATCH` on the job's sub against the nearest allowed value.
 *
 * @example
 * ```ts
 * subRemedy(env, { detail: 'BRANCH', subject, target, literal: false }).kind; // 'trust-policy'
 * ```
 */
export function subRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t, detail } = input;
  if (input.literal)
    return patchRemedy(
      env,
      likeValuePlan(
        env,
        t,
        t.value,
        `Move "${t.value}" from ${t.operator} to StringLike["${t.key}"] in statement ${t.statement}: ${t.operator} compares its * and ? literally, StringLike treats them as wildcards.`,
        fallbackToRole(s, t)
      )
    );
  if (pinnedToOldIds(t.value, s)) return recreatedRemedy(env, input);
  const phase = separatePhase(input);
  if (phase !== null) return phase;
  switch (detail) {
    case 'BRANCH':
      return branchRemedy(env, input);
    case 'TAG':
      return tagRemedy(env, input);
    case 'CASE':
      return caseRemedy(env, input);
    case 'IMMUTABLE_FORMAT':
      return immutableRemedy(env, input);
    case 'PULL_REQUEST':
      return addExact(
        env,
        input,
        (v) =>
          `If pull_request runs of ${s.repository ?? 'the repository'} should assume this role, add "${v}" to ${inStatement(t)} (it admits every pull_request run of that repository, whoever opened it); otherwise assume the role only from push or environment jobs.`
      );
    case 'ENVIRONMENT_FORM':
      return addExact(
        env,
        input,
        (v) =>
          `Add "${v}" to ${inStatement(t)}: the job declares \`environment: ${s.environment ?? ''}\`, so its sub names the environment instead of the ref.`
      );
    case 'WRONG_ENVIRONMENT':
      return addExact(
        env,
        input,
        (v) =>
          `Add "${v}" to ${inStatement(t)} (environment ${s.environment ?? ''} of ${s.repository ?? 'the repository'} only).`
      );
    case 'REPOSITORY':
      return addExact(
        env,
        input,
        (v) =>
          `If ${s.repository ?? 'this repository'} should use this role, add "${v}" to ${inStatement(t)}; otherwise point ${roleSetting(s.issuerKind).where} at the role meant for it.`
      );
    default:
      return addExact(env, input, (v) => `Add "${v}" to ${inStatement(t)}.`);
  }
}

/** One claim where the job's custom sub and the policy's value differ. */
export interface ClaimDifference {
  readonly key: string;
  /** The policy's value for the claim (`null`: the policy's template has no such key). */
  readonly policy: string | null;
  /** The job's value (`null`: the job's sub has no such key). */
  readonly job: string | null;
}

/**
 * The claims of a custom-template sub compared with a policy value of the same grammar, key by
 * key: the keys either side lacks, and the values that differ (a policy value with wildcards
 * differs when it does not match).
 */
export function compareClaims(sub: string, value: string): ClaimDifference[] {
  const bare = new Set(['pull_request']);
  const job = splitSubjectPairs(sub, bare).pairs;
  const policy = splitSubjectPairs(value, bare).pairs;
  const out: ClaimDifference[] = [];
  const jobKeys = new Map(job.map((p) => [p.key, p.value]));
  const policyKeys = new Map(policy.map((p) => [p.key, p.value]));
  for (const [key, pv] of policyKeys) {
    if (key === '*') continue;
    if (!jobKeys.has(key)) {
      out.push({ key, policy: pv, job: null });
      continue;
    }
    const jv = jobKeys.get(key) ?? null;
    if (pv !== jv && !(pv !== null && jv !== null && valueMatches('StringLike', pv, jv, false)))
      out.push({ key, policy: pv, job: jv });
  }
  for (const [key, jv] of jobKeys)
    if (!policyKeys.has(key) && !policy.some((p) => p.key === '*'))
      out.push({ key, policy: null, job: jv });
  return out;
}

const WORKFLOW_KEYS = new Set(['job_workflow_ref', 'workflow', 'workflow_ref']);

/** A `job_workflow_ref` as a `uses:` reference (`…/deploy.yml@refs/heads/main` → `…/deploy.yml@main`). */
export function usesOf(jobWorkflowRef: string): string {
  return jobWorkflowRef.replace(/@refs\/(heads|tags)\//, '@');
}

/**
 * The remedy of a sub that follows another (or a customised) subject template than the policy's
 * value, judged claim by claim: a template the repository does not use is a repository setting; a
 * pinned workflow is deliberate; other differing claims get the job's exact sub.
 */
export function customTemplateRemedy(env: PatchEnv, input: SubRemedyInput): Remedy {
  const { subject: s, target: t } = input;
  const diffs = compareClaims(s.raw, t.value);
  const keyDiffs = diffs.filter((d) => d.policy === null || d.job === null);
  const repo = s.repository ?? '{owner}/{repo}';
  if (keyDiffs.length > 0) {
    const keys = splitSubjectPairs(t.value, new Set(['pull_request']))
      .pairs.map((p) =>
        ['ref', 'environment', 'pull_request'].includes(p.key) ? 'context' : p.key
      )
      .filter((k, i, all) => k !== '*' && all.indexOf(k) === i);
    const pin = diffs.find((d) => WORKFLOW_KEYS.has(d.key) && d.policy !== null);
    const stand =
      s.raw +
      diffs
        .filter((d) => d.job === null && d.policy !== null)
        .map((d) => `:${d.key}:${d.policy}`)
        .join('');
    const ok = admits(t, t.value, stand);
    return makeRemedy(
      'workflow',
      `Statement ${t.statement} expects subjects built from the template ${JSON.stringify(keys)}, and ${repo}'s tokens use another: set the repository's template to it (gh api -X PUT repos/${repo}/actions/oidc/customization/sub --input - with {"use_default":false,"include_claim_keys":${JSON.stringify(keys)}})` +
        (pin !== undefined
          ? `, and run the job through the workflow the policy pins (${pin.key} ${pin.policy}).`
          : '.'),
      {
        statement: t.statement,
        verification: checked(
          ok,
          ok
            ? []
            : [
                `with that template the job's sub would be "${stand}", which ${t.operator} "${t.value}" still rejects`,
              ],
          ok
            ? [`With that template the job's sub would be "${stand}", which the policy admits.`]
            : []
        ),
      }
    );
  }
  const pinned = diffs.find((d) => WORKFLOW_KEYS.has(d.key));
  if (pinned !== undefined)
    return makeRemedy(
      'intentional',
      `Statement ${t.statement} pins ${pinned.key} to ${pinned.policy ?? ''}, and the job runs ${pinned.job ?? 'another'}: the policy admits only that shared workflow. Call it from the job (\`uses: ${usesOf(pinned.policy ?? '')}\`) rather than adding the job's own workflow.`,
      { statement: t.statement }
    );
  return addExact(
    env,
    input,
    (v) =>
      `Add "${v}" to ${inStatement(t)} (it differs from "${t.value}" in ${diffs.map((d) => d.key).join(', ')} only).`
  );
}
