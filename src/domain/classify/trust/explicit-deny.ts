/**
 * `EXPLICIT_DENY`: a Deny statement matches the call. The remedy is `intentional`: the Deny
 * names what it excludes, and the job should be run the way the Deny permits; nothing that
 * loosens a Deny is offered.
 */
import { parseOperator } from '../../policy/operators.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { ConditionTrace } from '../../types.js';
import type { Verdict } from '../rule.js';
import { claimOf, quoteList, statementLabel, type TrustContext } from './trust-context.js';

function conditionText(c: ConditionTrace): string {
  return `${c.operator} ${c.key} ${quoteList(c.values)} (got ${c.tested === null ? 'no value' : quoteList(c.tested, 'and')})`;
}

/** What the job should do instead, read from the Deny's conditions. */
function insteadText(conditions: readonly ConditionTrace[]): string {
  const negated = conditions.filter((c) => parseOperator(c.operator)?.negated === true);
  if (negated.length > 0)
    return `run the job so that ${negated
      .map((c) => `its ${claimOf(c.key)} matches ${quoteList(c.values)}`)
      .join(' and ')}, as the Deny permits`;
  const positive = conditions.filter((c) => parseOperator(c.operator)?.negated === false);
  if (positive.length > 0)
    return `run the job with a ${positive.map((c) => claimOf(c.key)).join(' and ')} the Deny does not name`;
  return 'use another role: this Deny has no condition, so it denies every web-identity call';
}

/** Applies when the evaluation ends in an explicit deny. */
export function explicitDeny(ctx: TrustContext): Verdict | null {
  if (ctx.trace.decision !== 'explicit-deny') return null;
  const deny = ctx.trace.statements.find((s) => s.effect === 'Deny' && s.verdict === 'match');
  if (deny === undefined) return null;
  const label = statementLabel(deny);
  const conditions = deny.conditions.map(conditionText).join('; ');
  const remedy = makeRemedy(
    'intentional',
    `Deny statement ${label} deliberately excludes this job: ${insteadText(deny.conditions)}, or use the role meant for it. An explicit Deny wins over any Allow, and oidcwatch offers no change that loosens it.`,
    { statement: label }
  );
  return {
    cause: 'EXPLICIT_DENY',
    detail: null,
    explanation:
      `Deny statement ${label} of ${ctx.roleArn} matches this call` +
      (conditions !== '' ? `: ${conditions}.` : ' (it has no condition).') +
      ' An explicit Deny wins over any Allow.',
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
