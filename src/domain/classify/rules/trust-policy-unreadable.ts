/** The role's trust policy cannot be read: `ENRICHMENT_FAILED` with the reason. */
import type { Rule } from '../rule.js';

/** Applies to `AccessDenied` when the role's trust policy is not a readable document. */
export const trustPolicyUnreadable: Rule = ({ call, role }) => {
  if (call.errorCode !== 'AccessDenied' || role === null || role.policy.ok) return null;
  return {
    cause: 'ENRICHMENT_FAILED',
    detail: 'TRUST_POLICY_UNREADABLE',
    explanation: `The trust policy of ${role.info.arn} could not be read (${role.policy.reason}), so this AccessDenied is classified from its code alone.`,
    fix: `Inspect it with: aws iam get-role --role-name ${role.info.arn.split('/').at(-1) ?? ''} --query Role.AssumeRolePolicyDocument`,
  };
};
