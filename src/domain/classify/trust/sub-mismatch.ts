/**
 * `SUB_MISMATCH`: a condition on `sub` (or on a claim `sub` proves, such as `environment` or
 * `ref`) rejects the job. The detail says how the job differs from the nearest allowed value; the
 * remedy adds the smallest value that admits the job (verified, never wider than its repository),
 * or says the exclusion is deliberate.
 */
import type { SubMismatchDetail } from '../../causes.js';
import { parseOperator } from '../../policy/operators.js';
import { globMatches, hasWildcard } from '../../policy/string-match.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Remedy } from '../../remedy/remedy-types.js';
import { customTemplateRemedy, pinnedToOldIds, subRemedy } from '../../remedy/sub-remedy.js';
import type { ConditionTrace, Subject } from '../../types.js';
import type { Verdict } from '../rule.js';
import { claimMismatch } from './claim-mismatch.js';
import {
  nearestPattern,
  type SubPattern,
  stripSubjectIds,
  subMismatchDetail,
} from './sub-mismatch-detail.js';
import {
  allowedText,
  claimOf,
  failingConditions,
  quoteList,
  type TrustContext,
} from './trust-context.js';

const WHY: Readonly<Record<SubMismatchDetail, (s: Subject, p: SubPattern) => string>> = {
  BRANCH: (s) => `the job runs on ${s.ref ?? 'another ref'}, a branch the policy does not list`,
  TAG: (s) => `the job runs on tag ${s.ref ?? ''}, which the policy does not list`,
  PULL_REQUEST: () =>
    'the job runs for a pull_request event, whose sub carries "pull_request" instead of a ref',
  ENVIRONMENT_FORM: (s) =>
    `the job declares \`environment: ${s.environment ?? ''}\`, so its sub names the environment instead of the ref`,
  WRONG_ENVIRONMENT: (s) =>
    `the job's environment "${s.environment ?? ''}" is not one the policy lists`,
  CASE: () => 'the values differ only in letter case, and IAM compares sub case-sensitively',
  IMMUTABLE_FORMAT: (s) =>
    s.immutable
      ? 'the repository gets the immutable owner@ID/repo@ID subject (new, renamed or transferred repositories since July 2026), and the policy is written for the name-based form'
      : "the policy pins the repository by id (owner@ID/repo@ID), but the job's sub is name-based: the repository does not use immutable subject claims yet",
  CUSTOM_TEMPLATE: (s, p) =>
    s.form === 'custom' && !/^repo:[^:]*:(ref|environment|pull_request)(:|$)/.test(p.value)
      ? 'the sub follows a customised OIDC subject template (different keys or order) that the policy was not written for'
      : s.form === 'custom'
        ? 'the sub follows the same customised template, but a pinned claim (job_workflow_ref) differs'
        : "the policy's value follows a customised OIDC subject template (different keys or order), and the job's sub the default one",
  REPOSITORY: (s, p) =>
    pinnedToOldIds(p.value, s)
      ? `the policy pins ${s.repository ?? 'the repository'} by the ids of a repository that no longer has them (${/^repo:([^:]*)/.exec(p.value)?.[1] ?? ''}): it was re-created or transferred`
      : `the job runs in ${s.repository ?? 'another repository'}, which the policy does not name`,
  OTHER: () => 'no allowed value matches it',
};

/**
 * The values of the failing `sub` conditions, statement by statement. Statements where `sub` is
 * all that fails come first, alone when there are any: a value added there admits the job, one
 * added to a statement that also fails on another claim would not.
 */
function patternsOf(ctx: TrustContext, failing: readonly ConditionTrace[]): SubPattern[] {
  const byCondition = new Map<ConditionTrace, { label: string; index: number }>();
  const onlySub = new Set<ConditionTrace>();
  for (const a of ctx.nearest) {
    const fails = a.statement.conditions.filter((c) => c.verdict === 'fail');
    const subOnly = fails.every((c) => claimOf(c.key) === 'sub');
    for (const c of a.statement.conditions) {
      byCondition.set(c, { label: a.label, index: a.statement.index });
      if (subOnly) onlySub.add(c);
    }
  }
  const preferred = failing.filter((c) => onlySub.has(c));
  const out: SubPattern[] = [];
  for (const c of preferred.length > 0 ? preferred : failing) {
    const op = parseOperator(c.operator);
    if (op === null || op.negated || op.base === 'Null' || op.base === 'Bool') continue;
    const where = byCondition.get(c);
    for (const value of c.values)
      out.push({
        operator: c.operator,
        base: op.base,
        key: c.key,
        value,
        statement: where?.label ?? '',
        index: where?.index ?? 0,
        variables: ctx.policy.variables,
      });
  }
  return out;
}

/** `true` when the value has a wildcard that StringEquals took literally, and StringLike would admit the sub. */
function literalWildcard(p: SubPattern, sub: string): boolean {
  return (
    (p.base === 'StringEquals' || p.base === 'StringEqualsIgnoreCase') &&
    hasWildcard(p.value, p.variables) &&
    globMatches(p.value, sub, p.variables)
  );
}

/** A negated condition on sub that the job's sub hits: the statement excludes it on purpose. */
function excludedBy(ctx: TrustContext, onSub: readonly ConditionTrace[]): Verdict | null {
  const negated = onSub.find((c) => parseOperator(c.operator)?.negated === true);
  if (negated === undefined) return null;
  const owner = ctx.nearest.find((a) => a.statement.conditions.includes(negated));
  const label = owner?.label ?? '';
  const sub = ctx.call.sub ?? '';
  const remedy = makeRemedy(
    'intentional',
    `Statement ${label} deliberately excludes subjects matching ${negated.operator} ${quoteList(negated.values)}, and this job's sub "${sub}" is one of them: run the job from a ref or environment the statement does not exclude, or use the role meant for it. Adding the value to the exclusion would not admit it, and oidcwatch offers no change that loosens an exclusion.`,
    { statement: label }
  );
  return {
    cause: 'SUB_MISMATCH',
    detail: 'OTHER',
    explanation: `The trust policy of ${ctx.roleArn} admits a job only if its sub is NOT one of ${negated.operator} ${negated.key} ${quoteList(negated.values)} (statement ${label}); the job's sub "${sub}" is.`,
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}

function remedyFor(
  ctx: TrustContext,
  detail: SubMismatchDetail,
  subject: Subject,
  nearest: SubPattern,
  literal: boolean
): Remedy {
  const input = { detail, subject, target: nearest, literal };
  if (!literal && subject.issuerKind === 'github' && detail === 'CUSTOM_TEMPLATE')
    return customTemplateRemedy(ctx.env, input);
  return subRemedy(ctx.env, input);
}

/** Applies when the nearest Allow statements stop at a condition on `sub` or a claim it proves. */
export function subMismatch(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'claim') return null;
  const subject = ctx.call.subject;
  const onSub = failingConditions(ctx, 'sub');
  if (onSub.length === 0) {
    const first = failingConditions(ctx)[0];
    return first === undefined ? null : claimMismatch(ctx, first, subject);
  }
  const excluded = excludedBy(ctx, onSub);
  if (excluded !== null) return excluded;
  const sub = ctx.call.sub ?? '';
  const patterns = patternsOf(ctx, onSub);
  const nearest = subject === null ? null : nearestPattern(subject, patterns);
  if (subject === null || nearest === null) {
    const c = onSub[0] as ConditionTrace;
    const remedy = makeRemedy(
      'none',
      c.tested === null
        ? `Look the event up in CloudTrail for its userIdentity, or run \`oidcwatch doctor\` in the failing job to see the token's sub.`
        : `Compare the job's sub "${sub}" with ${c.operator} ${c.key} ${quoteList(c.values)} by hand: oidcwatch does not know this subject's grammar, so it offers no value to add.`
    );
    return {
      cause: 'SUB_MISMATCH',
      detail: 'OTHER',
      explanation: `The trust policy of ${ctx.roleArn} requires ${allowedText(ctx, onSub)}, but the sub is ${c.tested === null ? 'absent' : `"${sub}"`}${c.note !== null ? ` (${c.note})` : ''}.`,
      fix: remedy.summary,
      remedy,
      trace: ctx.trace,
    };
  }
  const literal = literalWildcard(nearest, sub);
  const detail = literal ? 'OTHER' : subMismatchDetail(subject, nearest);
  const why = literal
    ? `${nearest.operator} compares the * or ? in "${nearest.value}" literally, so the value meant as a pattern matches nothing`
    : WHY[detail](subject, nearest);
  const shown =
    detail === 'IMMUTABLE_FORMAT' && subject.immutable
      ? ` (name-based: "${stripSubjectIds(sub)}")`
      : '';
  const remedy = remedyFor(ctx, detail, subject, nearest, literal);
  return {
    cause: 'SUB_MISMATCH',
    detail,
    explanation: `The trust policy of ${ctx.roleArn} allows ${allowedText(ctx, onSub)}; the job's sub is "${sub}"${shown}: ${why}.`,
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
