/** `EXPLICIT_DENY`: a Deny statement matches the call. */
import type { Verdict } from '../rule.js';
import { statementLabel, type TrustContext } from './trust-context.js';

/** Applies when the evaluation ends in an explicit deny. */
export function explicitDeny(ctx: TrustContext): Verdict | null {
  if (ctx.trace.decision !== 'explicit-deny') return null;
  const deny = ctx.trace.statements.find((s) => s.effect === 'Deny' && s.verdict === 'match');
  if (deny === undefined) return null;
  const label = statementLabel(deny);
  const conditions = deny.conditions
    .map(
      (c) =>
        `${c.operator} ${c.key} ${JSON.stringify(c.values)} (got ${c.tested === null ? 'no value' : JSON.stringify(c.tested)})`
    )
    .join('; ');
  return {
    cause: 'EXPLICIT_DENY',
    detail: null,
    explanation:
      `Deny statement ${label} of ${ctx.roleArn} matches this call` +
      (conditions !== '' ? `: ${conditions}.` : ' (it has no condition).') +
      ' An explicit Deny wins over any Allow.',
    fix:
      `If this job is meant to assume the role, change the condition of Deny statement ${label} so it ` +
      'no longer matches this sub; otherwise run the job from a ref or environment the Deny permits.',
    trace: ctx.trace,
  };
}
