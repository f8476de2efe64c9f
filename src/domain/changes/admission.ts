/**
 * Would a configuration have admitted a recorded call? Three-valued, like the evaluator: `yes`,
 * `no`, or `unknown` when part of the configuration is unknown or the trust policy decides on a
 * claim CloudTrail does not record. STS needs both halves: a provider whose client-ID list holds
 * the token's `aud`, and a role whose trust policy allows the claims.
 */

import { evaluateTrustPolicy } from '../policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../policy/parse-policy.js';
import { webIdentityRequest } from '../policy/web-identity-request.js';
import type { EvaluationTrace, OidcCall } from '../types.js';
import type { ProviderState, RoleState } from './change-types.js';

/** A three-valued answer. */
export type Tri = 'yes' | 'no' | 'unknown';

/** `no` wins, then `unknown`. */
export function both(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'unknown' || b === 'unknown' ? 'unknown' : 'yes';
}

/** Does the provider accept the call's token (exists, and lists its `aud` as a client ID)? */
export function providerAdmits(state: ProviderState, call: OidcCall): Tri {
  if (state.exists === false) return 'no';
  if (state.exists === null || call.aud === null) return 'unknown';
  if (state.clientIds !== null) return state.clientIds.includes(call.aud) ? 'yes' : 'no';
  if (state.withClientIds.includes(call.aud)) return 'yes';
  return state.withoutClientIds.includes(call.aud) ? 'no' : 'unknown';
}

/** The evaluation of a role's trust policy for the call, or `null` when it cannot be evaluated. */
export function traceFor(state: RoleState, call: OidcCall): EvaluationTrace | null {
  if (state.exists !== true || state.trustPolicy === null) return null;
  const read = readTrustPolicy(state.trustPolicy);
  return read.ok ? evaluateTrustPolicy(read.policy, webIdentityRequest(call)) : null;
}

/** Does the role's trust policy allow the call's claims? */
export function roleAdmits(state: RoleState, call: OidcCall): Tri {
  if (state.exists === false) return 'no';
  const trace = traceFor(state, call);
  if (trace === null) return 'unknown';
  if (trace.decision === 'allow') return 'yes';
  return trace.decision === 'unknown' ? 'unknown' : 'no';
}

/** Would STS have admitted the call under this role and provider? */
export function admits(role: RoleState, provider: ProviderState, call: OidcCall): Tri {
  return both(providerAdmits(provider, call), roleAdmits(role, call));
}
