/**
 * `UNVERIFIABLE_CONDITION`: every condition the record can prove passes; one on a claim CloudTrail
 * does not record (`job_workflow_ref`, `repository_id`, `actor`, …) decides. Also a condition
 * oidcwatch cannot evaluate (an operator it does not implement, such as `ArnLike` or
 * `DateGreaterThan`, or a policy variable naming an unrecorded claim): the explanation then says
 * that, not that the claim is unrecorded.
 */
import { parseOperator } from '../../policy/operators.js';
import { makeRemedy, setInWorkflow } from '../../remedy/make-remedy.js';
import type { Remedy } from '../../remedy/remedy-types.js';
import { usesOf } from '../../remedy/sub-remedy.js';
import type { ConditionTrace } from '../../types.js';
import type { Verdict } from '../rule.js';
import { claimOf, quoteList, type TrustContext } from './trust-context.js';

/** Why the deciding condition could not be evaluated, and what to check. */
function unknownBecause(c: ConditionTrace, claim: string): { why: string; fix: string } {
  const requires = `${c.operator} ${c.key} ${quoteList(c.values)}`;
  if (parseOperator(c.operator) === null)
    return {
      why: `${requires}; oidcwatch does not evaluate the ${c.operator} operator, so whether this condition admits the call is unknown`,
      fix: `Check the ${c.operator} condition on ${c.key} by hand${c.tested === null ? '' : ` against ${quoteList(c.tested)}`}; to compare a token claim, IAM's string operators (StringEquals, StringLike) are the ones that apply.`,
    };
  if (c.tested !== null || (c.note ?? '').startsWith('policy variable'))
    return {
      why: `${requires}, and ${c.note ?? 'a value it depends on is not recorded in CloudTrail'}, so it may not match ${c.tested === null ? 'the token' : quoteList(c.tested)}`,
      fix: `Check the claims the condition on ${c.key} refers to: run \`oidcwatch doctor --trust-policy <file>\` as a step of the failing job; it prints the token's claims and evaluates every condition.`,
    };
  if (claim === 'aud' || claim === 'sub')
    return {
      why: `${requires}, and this record does not carry the token's ${claim} (CloudTrail normally records it in userIdentity; the record is incomplete), so the policy cannot be judged`,
      fix: `Look the event up in CloudTrail (eventID) for its userIdentity.principalId, or run \`oidcwatch doctor\` in the failing job to see the token's ${claim}.`,
    };
  return {
    why: `${requires}, and the token's ${claim} is not recorded in CloudTrail, so it most likely differs`,
    fix:
      `Check the job's ${claim} claim: run \`oidcwatch doctor --trust-policy <file>\` as a step of the failing job; ` +
      `it prints the token's claims and evaluates every condition. The value must be ${quoteList(c.values)}.`,
  };
}

const WORKFLOW_CLAIMS = new Set(['job_workflow_ref', 'workflow', 'workflow_ref']);

/**
 * The remedy of a condition on an unrecorded claim: a pinned workflow or actor is deliberate; an
 * environment is declared in the workflow; anything else is checked inside the job.
 */
function unverifiableRemedy(
  ctx: TrustContext,
  c: ConditionTrace,
  claim: string,
  fix: string
): Remedy {
  const op = parseOperator(c.operator);
  const label = ctx.nearest.find((a) => a.statement.conditions.includes(c))?.label ?? null;
  const positive = op !== null && !op.negated && op.base !== 'Null' && c.tested === null;
  const literal = c.values.find((v) => !/[*?]/.test(v));
  if (positive && WORKFLOW_CLAIMS.has(claim))
    return makeRemedy(
      'intentional',
      `Statement ${label ?? ''} pins ${claim} to ${quoteList(c.values)}: the role is meant for ${c.values.length === 1 ? 'that shared workflow' : 'those workflows'} only. Make sure the job runs it${literal !== undefined && claim === 'job_workflow_ref' ? ` (\`uses: ${usesOf(literal)}\`)` : ''} rather than adding its own workflow; CloudTrail does not record the job's ${claim}, \`oidcwatch doctor\` in the job shows it.`,
      { statement: label }
    );
  if (positive && (claim === 'actor' || claim === 'actor_id'))
    return makeRemedy(
      'intentional',
      `Statement ${label ?? ''} admits only the ${claim === 'actor' ? 'actors' : 'actor ids'} ${quoteList(c.values)}: the run must be started by one of them.`,
      { statement: label }
    );
  if (
    positive &&
    claim === 'environment' &&
    literal !== undefined &&
    ctx.call.issuer?.kind === 'github'
  )
    return makeRemedy(
      'workflow',
      `Make sure the job declares \`environment: ${literal}\` (statement ${label ?? ''} requires it; CloudTrail does not record the job's environment).`,
      { statement: label, workflow: [setInWorkflow('environment', literal)] }
    );
  return makeRemedy('none', fix, { statement: label });
}

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
  const { why, fix } = unknownBecause(deciding, claim);
  const remedy = unverifiableRemedy(ctx, deciding, claim, fix);
  return {
    cause: 'UNVERIFIABLE_CONDITION',
    detail: claim,
    explanation: `${provenText}the trust policy of ${ctx.roleArn} also requires ${why}.`,
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
