/**
 * Judges a trust policy against the job's token, with every claim the token carries. The cause
 * is the one oidcwatch's classifier gives the same failure from CloudTrail (`judgeTrustPolicy`),
 * so doctor and the dashboard speak alike; where CloudTrail cannot decide (a condition on a claim
 * it does not record), the token decides, and doctor names the claim and its value.
 */

import type { Verdict } from '../classify/rule.js';
import { explicitDeny } from '../classify/trust/explicit-deny.js';
import { judgeTrustPolicy } from '../classify/trust/judge-trust-policy.js';
import {
  claimOf,
  quoteList,
  statementLabel,
  trustContext,
} from '../classify/trust/trust-context.js';
import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import { parseOperator } from '../policy/operators.js';
import type { TrustPolicy } from '../policy/parse-policy.js';
import { GITHUB_CONDITION_CLAIMS, tokenClaimsRequest } from '../policy/token-claims-request.js';
import type { ConditionTrace, EvaluationTrace, StatementTrace } from '../types.js';
import type { TokenExplanation } from './explain-token.js';
import { tokenCall } from './token-call.js';

/** The verdict on one trust policy for the token. */
export interface TokenJudgement {
  /** The provider ARN presented as `Principal.Federated`. */
  readonly principal: string;
  readonly allowed: boolean;
  readonly decision: EvaluationTrace['decision'];
  /** The evaluation with the token's claims. */
  readonly trace: EvaluationTrace;
  /** Cause, detail, explanation and fix when not allowed. */
  readonly verdict: Verdict | null;
  /** How oidcwatch classifies the same denial from its CloudTrail record (`CAUSE` or `CAUSE/detail`). */
  readonly cloudTrailCause: string | null;
}

/** What to judge. */
export interface JudgeTokenInput {
  readonly token: TokenExplanation;
  readonly policy: TrustPolicy;
  /** The provider ARN the call presents. */
  readonly providerArn: string;
  /** The role ARN, or the policy file, as named in messages. */
  readonly label: string;
  /** The trust policy as written (JSON text, object or URL-encoded): what a remedy patches. */
  readonly document?: unknown;
}

interface Deciding {
  readonly statement: StatementTrace;
  readonly condition: ConditionTrace;
}

/** Allow statements whose principal and action match, as the token and CloudTrail see them. */
function reachable(trace: EvaluationTrace): StatementTrace[] {
  return trace.statements.filter(
    (s) => s.effect === 'Allow' && s.principalMatches && s.actionMatches
  );
}

/**
 * The condition that fails with the token's claims where CloudTrail could not tell (or thought it
 * passed). Prefers a statement that fails on nothing else: the statement that got furthest.
 */
function decidingCondition(
  token: EvaluationTrace,
  cloudTrail: EvaluationTrace | null
): Deciding | null {
  const ctVerdict = (st: StatementTrace, i: number) =>
    cloudTrail?.statements.find((s) => s.index === st.index)?.conditions[i]?.verdict;
  let fallback: Deciding | null = null;
  for (const statement of reachable(token)) {
    const failing = statement.conditions
      .map((condition, i) => ({ condition, i }))
      .filter((x) => x.condition.verdict === 'fail');
    const tokenOnly = failing.filter((x) => ctVerdict(statement, x.i) !== 'fail');
    const first = tokenOnly[0];
    if (first === undefined) continue;
    if (tokenOnly.length === failing.length) return { statement, condition: first.condition };
    fallback ??= { statement, condition: first.condition };
  }
  return fallback;
}

function firstUnknown(trace: EvaluationTrace): Deciding | null {
  for (const statement of [
    ...reachable(trace),
    ...trace.statements.filter((s) => s.effect === 'Deny'),
  ])
    for (const condition of statement.conditions)
      if (condition.verdict === 'unknown') return { statement, condition };
  return null;
}

function tokenClaimFix(c: ConditionTrace, statement: string, issuerUrl: string): string {
  const claim = claimOf(c.key);
  if (c.tested !== null && parseOperator(c.operator)?.negated === true)
    return `The policy excludes this ${claim} on purpose; if this job should assume the role, remove "${c.tested[0] ?? ''}" from ${c.operator}["${c.key}"] in statement ${statement}.`;
  if (c.tested !== null)
    return `If this job should assume the role, add "${c.tested[0] ?? ''}" to ${c.operator}["${c.key}"] in statement ${statement}; otherwise run the job with the ${claim} the policy names (${quoteList(c.values)}).`;
  if (!GITHUB_CONDITION_CLAIMS.includes(claim))
    return `STS offers no ${c.key} condition key: condition on sub or on a claim STS exposes (${GITHUB_CONDITION_CLAIMS.map((k) => `${issuerUrl}:${k}`).join(', ')}).`;
  if (claim === 'environment')
    return `Declare the environment on the job (\`environment: ${c.values[0] ?? ''}\`), or drop the ${c.key} condition if jobs without an environment should assume the role.`;
  return `The token has no ${claim} claim, so the condition on ${c.key} can never match for this job: condition on a claim the job's token carries.`;
}

function tokenClaimVerdict(
  d: Deciding,
  input: JudgeTokenInput,
  trace: EvaluationTrace,
  cloudTrailCause: string
): Verdict {
  const c = d.condition;
  const claim = claimOf(c.key);
  const label = statementLabel(d.statement);
  const got =
    c.tested !== null
      ? `the token's ${claim} is ${quoteList(c.tested)}`
      : (c.note ?? `the token has no ${claim} claim`);
  const monitor = cloudTrailCause.startsWith('UNVERIFIABLE_CONDITION')
    ? ` CloudTrail does not record ${claim}, so oidcwatch reports this failure from CloudTrail as ${cloudTrailCause}; doctor reads the claim from the token.`
    : '';
  return {
    cause: 'UNVERIFIABLE_CONDITION',
    detail: claim,
    explanation: `Statement ${label} of the trust policy of ${input.label} requires ${c.operator} ${c.key} ${quoteList(c.values)}, but ${got}.${monitor}`,
    fix: tokenClaimFix(c, label, input.token.issuer?.url ?? ''),
    trace,
  };
}

function undecidedVerdict(d: Deciding, input: JudgeTokenInput, trace: EvaluationTrace): Verdict {
  const c = d.condition;
  const operatorKnown = parseOperator(c.operator) !== null;
  return {
    cause: 'UNVERIFIABLE_CONDITION',
    detail: claimOf(c.key),
    explanation: `Statement ${statementLabel(d.statement)} of the trust policy of ${input.label} requires ${c.operator} ${c.key} ${quoteList(c.values)}, which doctor cannot decide: ${c.note ?? 'its value is not known'}.`,
    fix: operatorKnown
      ? `Check the condition on ${c.key} by hand: its value comes from the call or from STS (session name, source identity, …), not from the token.`
      : `Check the ${c.operator} condition on ${c.key} by hand; to compare a token claim, IAM's string operators (StringEquals, StringLike) are the ones that apply.`,
    trace,
  };
}

function causeText(v: Verdict): string {
  return v.detail === null ? v.cause : `${v.cause}/${v.detail}`;
}

/**
 * Evaluates `policy` for the token and, when it denies, names the cause and the smallest fix.
 *
 * @example
 * ```ts
 * const j = judgeToken({ token, policy, providerArn, label: '.github/aws/trust-policy.json' });
 * j.allowed; // false
 * j.verdict?.cause; // 'SUB_MISMATCH'
 * ```
 */
export function judgeToken(input: JudgeTokenInput): TokenJudgement {
  const { token, policy, providerArn } = input;
  const request = tokenClaimsRequest({
    providerArn,
    issuerUrl: token.issuer?.url ?? '',
    claims: token.claims,
  });
  const trace = evaluateTrustPolicy(policy, request);
  const base = { principal: providerArn, decision: trace.decision, trace };
  if (trace.decision === 'allow')
    return { ...base, allowed: true, verdict: null, cloudTrailCause: null };

  const call = tokenCall(token, providerArn, null);
  const fromCloudTrail = judgeTrustPolicy(call, input.label, policy, {
    document: input.document,
  });
  const cloudTrailCause = causeText(fromCloudTrail);
  const decided = (verdict: Verdict): TokenJudgement => ({
    ...base,
    allowed: false,
    verdict,
    cloudTrailCause,
  });
  if (
    fromCloudTrail.cause !== 'UNVERIFIABLE_CONDITION' &&
    fromCloudTrail.cause !== 'DENIED_OUTSIDE_TRUST_POLICY'
  )
    return decided({ ...fromCloudTrail, trace });
  // CloudTrail cannot tell (or would admit the call): the token's own claims decide.
  if (trace.decision === 'explicit-deny') {
    const deny = explicitDeny(trustContext(call, input.label, policy, trace));
    if (deny !== null) return decided(deny);
  }
  const deciding = decidingCondition(trace, fromCloudTrail.trace ?? null);
  if (deciding !== null) return decided(tokenClaimVerdict(deciding, input, trace, cloudTrailCause));
  const unknown = firstUnknown(trace);
  if (unknown !== null) return decided(undecidedVerdict(unknown, input, trace));
  return decided({ ...fromCloudTrail, trace });
}
