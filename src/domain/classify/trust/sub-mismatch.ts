/**
 * `SUB_MISMATCH`: a condition on `sub` (or on a claim `sub` proves, such as `environment` or
 * `ref`) rejects the job. The detail says how the job differs from the nearest allowed value and
 * the fix adds exactly the recorded value, nothing wider.
 */
import type { SubMismatchDetail } from '../../causes.js';
import { parseOperator } from '../../policy/operators.js';
import { globMatches, hasWildcard } from '../../policy/string-match.js';
import type { ConditionTrace, Subject } from '../../types.js';
import type { Verdict } from '../rule.js';
import {
  admittingValue,
  nearestPattern,
  type SubPattern,
  stripSubjectIds,
  subMismatchDetail,
} from './sub-mismatch-detail.js';
import { claimOf, failingConditions, quoteList, type TrustContext } from './trust-context.js';

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
  CUSTOM_TEMPLATE: () =>
    'the sub follows a customised OIDC subject template (different keys or order) that the policy was not written for',
  REPOSITORY: (s) =>
    `the job runs in ${s.repository ?? 'another repository'}, which the policy does not name`,
  OTHER: () => 'no allowed value matches it',
};

function patternsOf(ctx: TrustContext, failing: readonly ConditionTrace[]): SubPattern[] {
  const byStatement = new Map<ConditionTrace, string>();
  for (const a of ctx.nearest) for (const c of a.statement.conditions) byStatement.set(c, a.label);
  const out: SubPattern[] = [];
  for (const c of failing) {
    const op = parseOperator(c.operator);
    if (op === null || op.negated || op.base === 'Null' || op.base === 'Bool') continue;
    for (const value of c.values)
      out.push({
        operator: c.operator,
        base: op.base,
        key: c.key,
        value,
        statement: byStatement.get(c) ?? '',
        variables: ctx.policy.variables,
      });
  }
  return out;
}

function fixFor(detail: SubMismatchDetail, subject: Subject, p: SubPattern): string {
  const value = admittingValue(subject, p);
  const add = `add "${value}" to ${p.operator}["${p.key}"] in statement ${p.statement}`;
  switch (detail) {
    case 'CASE':
      return `Replace "${p.value}" with "${value}" in ${p.operator}["${p.key}"] (statement ${p.statement}).`;
    case 'IMMUTABLE_FORMAT':
      if (!subject.immutable)
        return `Opt ${subject.repository ?? 'the repository'} in to immutable subject claims (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub with {"use_immutable_subject": true}), or ${add}.`;
      return (
        `Admit the immutable subject: ${add}` +
        (p.value.includes('*')
          ? ` (or write the pattern with ids: "${p.value.replace(/^repo:[^:]*/, `repo:${subject.raw.split(':')[1] ?? ''}`)}")`
          : '') +
        '. Pin by id rather than reverting to name-based subjects.'
      );
    case 'REPOSITORY':
      return `If ${subject.repository ?? 'this repository'} should use this role, ${add}; otherwise point role-to-assume at the role meant for it.`;
    case 'PULL_REQUEST':
      return `If pull_request runs of ${subject.repository ?? 'the repository'} should deploy, ${add} (it admits every pull_request run of that repository); otherwise assume this role only from push or environment jobs.`;
    case 'CUSTOM_TEMPLATE':
      return `${add[0]?.toUpperCase()}${add.slice(1)}, or reset the repository's subject template (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub with {"use_default": true}).`;
    default:
      return `${add[0]?.toUpperCase()}${add.slice(1)}.`;
  }
}

/** `true` when the value has a wildcard that StringEquals took literally, and StringLike would admit the sub. */
function literalWildcard(p: SubPattern, sub: string): boolean {
  return (
    (p.base === 'StringEquals' || p.base === 'StringEqualsIgnoreCase') &&
    hasWildcard(p.value, p.variables) &&
    globMatches(p.value, sub, p.variables)
  );
}

/** A failing condition on a claim other than `sub` (derived from it, or absent). */
function claimVerdict(ctx: TrustContext, c: ConditionTrace, subject: Subject | null): Verdict {
  const claim = claimOf(c.key);
  const got =
    c.tested !== null
      ? `the job's ${claim} is ${quoteList(c.tested)} (from its sub)`
      : `the job has no ${claim} claim${c.note !== null ? ` (${c.note})` : ''}`;
  let detail: SubMismatchDetail = 'OTHER';
  if (claim === 'environment') detail = c.tested === null ? 'OTHER' : 'WRONG_ENVIRONMENT';
  else if (claim === 'ref') detail = subject?.form === 'tag' ? 'TAG' : 'BRANCH';
  else if (claim === 'repository' || claim === 'repository_owner') detail = 'REPOSITORY';
  return {
    cause: 'SUB_MISMATCH',
    detail,
    explanation: `The trust policy of ${ctx.roleArn} requires ${c.operator} ${c.key} ${quoteList(c.values)}, but ${got}.`,
    fix:
      c.tested === null && claim === 'environment'
        ? `Declare the environment on the job (\`environment: ${c.values[0] ?? ''}\`), or drop the ${c.key} condition if jobs without an environment should assume the role.`
        : `If this job should assume the role, add "${c.tested?.[0] ?? ''}" to ${c.operator}["${c.key}"].`,
    trace: ctx.trace,
  };
}

/** Applies when the nearest Allow statements stop at a condition on `sub` or a claim it proves. */
export function subMismatch(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'claim') return null;
  const subject = ctx.call.subject;
  const onSub = failingConditions(ctx, 'sub');
  if (onSub.length === 0) {
    const first = failingConditions(ctx)[0];
    return first === undefined ? null : claimVerdict(ctx, first, subject);
  }
  const sub = ctx.call.sub ?? '';
  const patterns = patternsOf(ctx, onSub);
  const nearest = subject === null ? null : nearestPattern(subject, patterns);
  if (subject === null || nearest === null) {
    const c = onSub[0] as ConditionTrace;
    return {
      cause: 'SUB_MISMATCH',
      detail: 'OTHER',
      explanation: `The trust policy of ${ctx.roleArn} requires ${c.operator} ${c.key} ${quoteList(c.values)}, but the sub is ${c.tested === null ? 'absent' : `"${sub}"`}${c.note !== null ? ` (${c.note})` : ''}.`,
      fix:
        c.tested === null
          ? `Use the condition key "${ctx.call.issuer?.url ?? ''}:sub" (the key prefix must be the provider URL).`
          : `If this job should assume the role, add "${sub}" to ${c.operator}["${c.key}"].`,
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
  return {
    cause: 'SUB_MISMATCH',
    detail,
    explanation:
      `The trust policy of ${ctx.roleArn} allows ${nearest.key} ${nearest.operator} ${quoteList([...new Set(patterns.map((p) => p.value))])}; ` +
      `the job's sub is "${sub}"${shown}: ${why}.`,
    fix: literal
      ? `Move "${nearest.value}" from ${nearest.operator} to StringLike["${nearest.key}"] in statement ${nearest.statement}, where * and ? are wildcards.`
      : fixFor(detail, subject, nearest),
    trace: ctx.trace,
  };
}
