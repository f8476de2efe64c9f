/**
 * Would a trust policy admit the call once something outside it changes (the provider created,
 * the audience requested, another role used)? The check behind `provider`, `workflow` and `role`
 * remedies: the same evaluator that judged the failure.
 */
import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import { readTrustPolicy, type TrustPolicy } from '../policy/parse-policy.js';
import { webIdentityRequest } from '../policy/web-identity-request.js';
import type { OidcCall, RoleInfo } from '../types.js';
import { checked } from './make-remedy.js';
import type { RemedyVerification } from './remedy-types.js';

/**
 * The verification of "after the change, `policy` admits `call`": `admitsCall` when the decision
 * is `allow`; an `unknown` decision (conditions on claims CloudTrail does not record) is admitted
 * with a note; `null` policy: nothing to evaluate, said as a note.
 *
 * @example
 * ```ts
 * admitted(role.policy, { ...call, aud: 'sts.amazonaws.com' }, 'once the workflow requests sts.amazonaws.com');
 * ```
 */
export function admitted(
  policy: TrustPolicy | null,
  call: OidcCall,
  when: string,
  roleArn: string | null = call.roleArn
): RemedyVerification {
  const role = roleArn ?? 'the role';
  if (policy === null)
    return checked(
      true,
      [],
      [`The trust policy of ${role} was not read, so only the change itself is known to be needed.`]
    );
  const trace = evaluateTrustPolicy(policy, webIdentityRequest(call));
  if (trace.decision === 'allow') return checked(true);
  if (trace.decision === 'unknown')
    return checked(
      true,
      [],
      [
        `The trust policy of ${role} admits the call ${when} as far as CloudTrail can tell; it also tests claims CloudTrail does not record.`,
      ]
    );
  return checked(false, [
    `${when}, the trust policy of ${role} still rejects the call (${trace.decision}): it needs a change too`,
  ]);
}

/** The read trust policy of a role, or `null`. */
export function policyOf(role: RoleInfo | null | undefined): TrustPolicy | null {
  if (role === null || role === undefined) return null;
  const read = readTrustPolicy(role.trustPolicy);
  return read.ok ? read.policy : null;
}
