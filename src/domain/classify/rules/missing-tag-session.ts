/**
 * `MISSING_TAG_SESSION`: a chained `AssumeRole` by a web-identity session sends session tags, and
 * the target role's trust policy does not allow `sts:TagSession` for that session's role.
 */
import { evaluateTrustPolicy } from '../../policy/evaluate-trust-policy.js';
import type { TrustRequest } from '../../policy/trust-request.js';
import type { Rule } from '../rule.js';

function awsRequest(action: string, principal: string): TrustRequest {
  return {
    action,
    principal: { type: 'AWS', id: principal },
    lookup: (key) => ({
      state: 'unrecorded',
      reason: `key "${key}" is not recorded in CloudTrail`,
    }),
  };
}

/** Applies to a denied chained `AssumeRole` of a web-identity session. */
export const missingTagSession: Rule = ({ call, iam, role }) => {
  const chained = call.chained;
  if (chained === null || call.errorCode !== 'AccessDenied') return null;
  if (iam.status === 'ok' && iam.role === null) return null;
  const target = call.roleArn ?? 'the target role';
  const session = chained.sessionRoleArn ?? chained.sessionArn ?? 'the web-identity session';
  const tagged = chained.tagKeys.length > 0 || chained.transitiveTagKeys.length > 0;
  const saysTagSession = /sts:TagSession/i.test(call.errorMessage ?? '');
  let tagAllowed: boolean | null = null;
  let assumeAllowed: boolean | null = null;
  if (role?.policy.ok && chained.sessionRoleArn !== null) {
    tagAllowed =
      evaluateTrustPolicy(role.policy.policy, awsRequest('sts:TagSession', chained.sessionRoleArn))
        .decision !== 'implicit-deny';
    assumeAllowed =
      evaluateTrustPolicy(role.policy.policy, awsRequest('sts:AssumeRole', chained.sessionRoleArn))
        .decision !== 'implicit-deny';
  }
  if (saysTagSession || (tagged && tagAllowed === false && assumeAllowed !== false)) {
    return {
      cause: 'MISSING_TAG_SESSION',
      detail: null,
      explanation: `${session} may assume ${target}, but the call sends session tags${chained.tagKeys.length > 0 ? ` (${chained.tagKeys.join(', ')})` : ''} and the trust policy of ${target} does not allow sts:TagSession for it.`,
      fix: `Add "sts:TagSession" to the Action list of the statement in ${target}'s trust policy that trusts ${session}, or set \`role-skip-session-tagging: true\` on configure-aws-credentials.`,
    };
  }
  // Without IAM, or with an unreadable trust policy, nothing was judged: the rules after this one
  // (ENRICHMENT_FAILED) say so, rather than blaming something outside the trust policy.
  if (iam.status !== 'ok' || (role !== null && !role.policy.ok)) return null;
  return {
    cause: assumeAllowed === false ? 'WRONG_PROVIDER_PRINCIPAL' : 'DENIED_OUTSIDE_TRUST_POLICY',
    detail: null,
    explanation:
      assumeAllowed === false
        ? `The trust policy of ${target} does not allow sts:AssumeRole for ${session}.`
        : `${session} was denied sts:AssumeRole on ${target}; the record does not show why (the session's own permissions, an SCP, or the target's trust policy).`,
    fix:
      assumeAllowed === false
        ? `Add a statement to ${target}'s trust policy allowing "sts:AssumeRole" and "sts:TagSession" for "${session}".`
        : `Check that ${session}'s permissions allow sts:AssumeRole on ${target}.`,
  };
};
