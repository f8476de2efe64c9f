/**
 * `DENIED_OUTSIDE_TRUST_POLICY`: the trust policy admits the recorded claims, yet STS denied — an
 * SCP, an RCP or a permissions boundary outside the trust policy decided.
 */
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Verdict } from '../rule.js';
import type { TrustContext } from './trust-context.js';

/** Applies when the trust policy allows the call. */
export function deniedOutsideTrustPolicy(ctx: TrustContext): Verdict | null {
  if (ctx.trace.decision !== 'allow') return null;
  const label = ctx.nearest[0]?.label ?? '';
  const account = ctx.call.account ?? 'the account';
  const remedy = makeRemedy(
    'none',
    `Nothing in the trust policy to change. Look for a Deny on sts:AssumeRoleWithWebIdentity in the SCPs and RCPs that apply to ${account} ` +
      `(aws organizations list-policies-for-target --target-id ${account} --filter SERVICE_CONTROL_POLICY), and check whether the trust policy was edited around the time of the failure.`
  );
  return {
    cause: 'DENIED_OUTSIDE_TRUST_POLICY',
    detail: null,
    explanation:
      `Statement ${label} of ${ctx.roleArn}'s trust policy admits this aud and sub, yet STS denied the call: ` +
      `something outside the trust policy decided (a service or resource control policy of the organization, or the policy changed since).`,
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
