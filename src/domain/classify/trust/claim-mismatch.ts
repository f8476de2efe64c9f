/**
 * `SUB_MISMATCH` on a claim other than `sub` (`environment`, `ref`, `repository`, … derived from
 * the sub, or absent): said with the operator's own meaning (a negated operator excludes, `Null`
 * tests presence), and remedied without loosening an exclusion.
 */
import type { SubMismatchDetail } from '../../causes.js';
import { type ParsedOperator, parseOperator } from '../../policy/operators.js';
import { claimRemedy } from '../../remedy/claim-remedy.js';
import type { ConditionTrace, Subject } from '../../types.js';
import type { Verdict } from '../rule.js';
import { claimOf, quoteList, type TrustContext } from './trust-context.js';

/** What a condition requires, in words that respect its operator. */
export function requirementText(c: ConditionTrace, op: ParsedOperator | null): string {
  if (op?.base === 'Null') {
    const mustExist = c.values.some((v) => v.toLowerCase() === 'false');
    return `${c.key} to be ${mustExist ? 'present' : 'absent'} (Null ${quoteList(c.values)})`;
  }
  if (op?.negated) return `${c.key} NOT to match ${quoteList(c.values, 'nor')} (${c.operator})`;
  const qualifier =
    op?.qualifier === 'ForAllValues'
      ? ' (every value the token has)'
      : op?.qualifier === 'ForAnyValue'
        ? ' (one of the values the token has)'
        : '';
  return `${c.operator} ${c.key} ${quoteList(c.values)}${qualifier}${op?.ifExists ? ' when the token has the claim' : ''}`;
}

function detailOf(claim: string, c: ConditionTrace, subject: Subject | null): SubMismatchDetail {
  if (claim === 'environment') return c.tested === null ? 'OTHER' : 'WRONG_ENVIRONMENT';
  if (claim === 'ref') return subject?.form === 'tag' ? 'TAG' : 'BRANCH';
  if (claim === 'repository' || claim === 'repository_owner') return 'REPOSITORY';
  return 'OTHER';
}

/** The verdict for failing condition `c` on a claim other than `sub`. */
export function claimMismatch(
  ctx: TrustContext,
  c: ConditionTrace,
  subject: Subject | null
): Verdict {
  const claim = claimOf(c.key);
  const op = parseOperator(c.operator);
  const owner = ctx.nearest.find((a) => a.statement.conditions.includes(c));
  const label = owner?.label ?? '';
  const fromSub = subject?.pairs.some((p) => p.key === claim) === true || claim === 'repository';
  const got =
    c.tested !== null
      ? `the job's ${claim} is ${quoteList(c.tested)}${fromSub ? ' (from its sub)' : ''}`
      : `the job has no ${claim} claim${c.note !== null ? ` (${c.note})` : ''}`;
  const namedEnvironments = (owner?.statement.conditions ?? [])
    .filter(
      (x) =>
        claimOf(x.key) === 'environment' && x !== c && parseOperator(x.operator)?.base !== 'Null'
    )
    .flatMap((x) => x.values);
  const remedy =
    op === null
      ? null
      : claimRemedy(ctx.env, {
          condition: c,
          op,
          claim,
          statement: label,
          index: owner?.statement.index ?? 0,
          namedEnvironments,
          issuer: ctx.call.issuer?.kind ?? null,
        });
  return {
    cause: 'SUB_MISMATCH',
    detail: detailOf(claim, c, subject),
    explanation: `The trust policy of ${ctx.roleArn} requires ${requirementText(c, op)} (statement ${label}), but ${got}.`,
    fix: remedy?.summary ?? null,
    remedy,
    trace: ctx.trace,
  };
}
