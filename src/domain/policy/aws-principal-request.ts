/**
 * The request of a call made by an AWS principal (a role session chaining into another role):
 * who asks and for which action. CloudTrail records no condition key of it, so every condition
 * is `unrecorded`.
 */
import type { TrustRequest } from './trust-request.js';

/**
 * The request of `principal` (a role ARN) asking for `action`.
 *
 * @example
 * ```ts
 * evaluateTrustPolicy(policy, awsPrincipalRequest('sts:TagSession', 'arn:aws:iam::111122223333:role/gha-base'));
 * ```
 */
export function awsPrincipalRequest(action: string, principal: string): TrustRequest {
  return {
    action,
    principal: { type: 'AWS', id: principal },
    lookup: (key) => ({
      state: 'unrecorded',
      reason: `key "${key}" is not recorded in CloudTrail`,
    }),
  };
}
