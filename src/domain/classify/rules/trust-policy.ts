/** Judges `AccessDenied` against the role's readable trust policy (see `trust/`). */

import type { Rule } from '../rule.js';
import { judgeTrustPolicy } from '../trust/judge-trust-policy.js';

/** Applies to `AccessDenied` for a role whose trust policy was read. */
export const trustPolicy: Rule = ({ call, role, iam }) => {
  if (call.errorCode !== 'AccessDenied' || role === null || !role.policy.ok) return null;
  return judgeTrustPolicy(call, role.info.arn, role.policy.policy, {
    document: role.info.trustPolicy,
    knownOwners: iam.status === 'ok' ? (iam.knownOwners ?? []) : [],
    providers: iam.status === 'ok' ? iam.providers : null,
    relatedRoles: iam.status === 'ok' ? (iam.relatedRoles ?? []) : [],
  });
};
