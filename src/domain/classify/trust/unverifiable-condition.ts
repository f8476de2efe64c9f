/**
 * `UNVERIFIABLE_CONDITION`: every condition the record can prove passes; one on a claim CloudTrail
 * does not record (`job_workflow_ref`, `repository_id`, `actor`, …) decides.
 */
import type { Verdict } from '../rule.js';
import { claimOf, quoteList, type TrustContext } from './trust-context.js';

/** Applies when the nearest Allow statements stop only at unrecorded claims. */
export function unverifiableCondition(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'unrecorded' && ctx.trace.decision !== 'unknown') return null;
  const unknown = ctx.nearest.flatMap((a) =>
    a.statement.conditions.filter((c) => c.verdict === 'unknown')
  );
  const denyUnknown = ctx.trace.statements
    .filter((s) => s.effect === 'Deny' && s.verdict === 'unknown')
    .flatMap((s) => s.conditions.filter((c) => c.verdict === 'unknown'));
  const deciding = unknown[0] ?? denyUnknown[0];
  if (deciding === undefined) return null;
  const claim = claimOf(deciding.key);
  const proven = ctx.nearest
    .flatMap((a) => a.statement.conditions.filter((c) => c.verdict === 'pass'))
    .map((c) => claimOf(c.key));
  const provenText =
    proven.length > 0
      ? `The conditions CloudTrail can prove (${[...new Set(proven)].join(', ')}) pass; `
      : '';
  return {
    cause: 'UNVERIFIABLE_CONDITION',
    detail: claim,
    explanation:
      `${provenText}the trust policy of ${ctx.roleArn} also requires ${deciding.operator} ${deciding.key} ${quoteList(deciding.values)}, ` +
      `and the token's ${claim} is not recorded in CloudTrail, so it most likely differs.`,
    fix:
      `Check the job's ${claim} claim: run \`oidcwatch doctor --trust-policy <file>\` as a step of the failing job; ` +
      `it prints the token's claims and evaluates every condition. The value must be ${quoteList(deciding.values)}.`,
    trace: ctx.trace,
  };
}
