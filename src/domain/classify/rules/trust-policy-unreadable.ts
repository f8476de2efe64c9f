/**
 * The role's trust policy cannot be read, or is one IAM itself would reject (`Effect: "allow"`, a
 * statement without `Effect`, an empty `Statement`): `ENRICHMENT_FAILED` naming the field, never a
 * confident cause drawn from a document IAM does not hold.
 */
import { invalidPolicyRemedy } from '../../remedy/invalid-policy-remedy.js';
import type { Rule } from '../rule.js';

/** Applies to `AccessDenied` when the role's trust policy is not a readable, valid document. */
export const trustPolicyUnreadable: Rule = ({ call, role, iam }) => {
  if (call.errorCode !== 'AccessDenied' || role === null || role.policy.ok) return null;
  const invalid = /would reject/.test(role.policy.reason);
  const remedy = invalidPolicyRemedy(
    {
      call,
      roleArn: role.info.arn,
      knownOwners: iam.status === 'ok' ? (iam.knownOwners ?? []) : [],
      providers: iam.status === 'ok' ? iam.providers : null,
    },
    role.info.trustPolicy,
    role.policy.reason
  );
  return {
    cause: 'ENRICHMENT_FAILED',
    detail: invalid ? 'TRUST_POLICY_INVALID' : 'TRUST_POLICY_UNREADABLE',
    explanation: invalid
      ? `The trust policy of ${role.info.arn} is not one IAM accepts: ${role.policy.reason}. IAM cannot hold it as written, so the IAM data (a snapshot?) does not show what STS evaluated, and oidcwatch names no cause from it.`
      : `The trust policy of ${role.info.arn} could not be read (${role.policy.reason}), so this AccessDenied is classified from its code alone.`,
    fix: remedy.summary,
    remedy,
  };
};
