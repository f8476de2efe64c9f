/**
 * `MISSING_TAG_SESSION`: a chained `AssumeRole` by a web-identity session sends session tags, and
 * the target role's trust policy does not allow `sts:TagSession` for that session's role.
 */

import { awsPrincipalRequest } from '../../policy/aws-principal-request.js';
import { evaluateTrustPolicy } from '../../policy/evaluate-trust-policy.js';
import { chainedAccessRemedy, tagSessionRemedy } from '../../remedy/chained-remedy.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Rule } from '../rule.js';

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
      evaluateTrustPolicy(
        role.policy.policy,
        awsPrincipalRequest('sts:TagSession', chained.sessionRoleArn)
      ).decision !== 'implicit-deny';
    assumeAllowed =
      evaluateTrustPolicy(
        role.policy.policy,
        awsPrincipalRequest('sts:AssumeRole', chained.sessionRoleArn)
      ).decision !== 'implicit-deny';
  }
  const env =
    role?.policy.ok === true
      ? {
          call,
          roleArn: role.info.arn,
          document: role.info.trustPolicy,
          policy: role.policy.policy,
          knownOwners: iam.status === 'ok' ? (iam.knownOwners ?? []) : [],
          providers: iam.status === 'ok' ? iam.providers : null,
        }
      : null;
  if (saysTagSession || (tagged && tagAllowed === false && assumeAllowed !== false)) {
    const remedy = tagSessionRemedy(env, chained.sessionRoleArn, session, target);
    return {
      cause: 'MISSING_TAG_SESSION',
      detail: null,
      explanation: `${session} may assume ${target}, but the call sends session tags${chained.tagKeys.length > 0 ? ` (${chained.tagKeys.join(', ')})` : ''} and the trust policy of ${target} does not allow sts:TagSession for it.`,
      fix: remedy.summary,
      remedy,
    };
  }
  // Without IAM, or with an unreadable trust policy, nothing was judged: the rules after this one
  // (ENRICHMENT_FAILED) say so, rather than blaming something outside the trust policy.
  if (iam.status !== 'ok' || (role !== null && !role.policy.ok)) return null;
  const remedy =
    assumeAllowed === false
      ? chainedAccessRemedy(env, chained.sessionRoleArn, session, target, tagged)
      : makeRemedy(
          'none',
          `Nothing in ${target}'s trust policy to change: check that ${session}'s permissions allow sts:AssumeRole${tagged ? ' and sts:TagSession' : ''} on ${target}, and the SCPs of its account.`
        );
  return {
    cause: assumeAllowed === false ? 'WRONG_PROVIDER_PRINCIPAL' : 'DENIED_OUTSIDE_TRUST_POLICY',
    detail: null,
    explanation:
      assumeAllowed === false
        ? `The trust policy of ${target} does not allow sts:AssumeRole for ${session}.`
        : `${session} was denied sts:AssumeRole on ${target}; the record does not show why (the session's own permissions, an SCP, or the target's trust policy).`,
    fix: remedy.summary,
    remedy,
  };
};
