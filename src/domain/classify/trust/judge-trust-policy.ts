/**
 * Judges an `AccessDenied` web-identity call against a role's trust policy, in IAM's order:
 * Principal → Action → explicit Deny → aud → sub and claims it proves → unrecorded claims →
 * outside the trust policy. One rule per file; the first that applies names the cause.
 */

import { evaluateTrustPolicy } from '../../policy/evaluate-trust-policy.js';
import type { TrustPolicy } from '../../policy/parse-policy.js';
import { webIdentityRequest } from '../../policy/web-identity-request.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { OidcCall } from '../../types.js';
import type { Verdict } from '../rule.js';
import { audienceTrustPolicy } from './audience-trust-policy.js';
import { deniedOutsideTrustPolicy } from './denied-outside-trust-policy.js';
import { explicitDeny } from './explicit-deny.js';
import { subMismatch } from './sub-mismatch.js';
import { type TrustContext, type TrustEnv, trustContext } from './trust-context.js';
import { unknownKey } from './unknown-condition-key.js';
import { unverifiableCondition } from './unverifiable-condition.js';
import { wrongAction } from './wrong-action.js';
import { wrongProviderPrincipal } from './wrong-provider-principal.js';

/** The trust rules, in order of judgement. */
export const TRUST_RULES: readonly ((ctx: TrustContext) => Verdict | null)[] = [
  wrongProviderPrincipal,
  wrongAction,
  explicitDeny,
  unknownKey,
  audienceTrustPolicy,
  subMismatch,
  unverifiableCondition,
  deniedOutsideTrustPolicy,
];

/**
 * The cause of a denied web-identity call under `policy`, with the evaluation trace and the
 * remedy (a patch of `env.document`, verified, when the fix is a trust-policy change).
 *
 * @example
 * ```ts
 * const verdict = judgeTrustPolicy(call, 'arn:aws:iam::111122223333:role/deploy', policy);
 * verdict.cause; // 'SUB_MISMATCH'
 * ```
 */
export function judgeTrustPolicy(
  call: OidcCall,
  roleArn: string,
  policy: TrustPolicy,
  env: TrustEnv = {}
): Verdict {
  const trace = evaluateTrustPolicy(policy, webIdentityRequest(call));
  const ctx = trustContext(call, roleArn, policy, trace, env);
  for (const rule of TRUST_RULES) {
    const verdict = rule(ctx);
    if (verdict !== null) return verdict;
  }
  // Every trace reaches one of the rules above; this keeps the function total.
  return {
    cause: 'DENIED_OUTSIDE_TRUST_POLICY',
    detail: null,
    explanation: `The trust policy of ${roleArn} could not be judged (decision ${trace.decision}).`,
    fix: null,
    remedy: makeRemedy('none', 'Evaluate the trust policy by hand: oidcwatch could not judge it.'),
    trace,
  };
}
