/**
 * Helpers for the remedy tests: classify a denied call against one role, and re-evaluate a
 * remedy's patched policy on other calls (the same evaluator STS's decision is modelled with).
 */
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import { webIdentityRequest } from '../../../src/domain/policy/web-identity-request.js';
import type { Remedy } from '../../../src/domain/remedy/remedy-types.js';
import type { Diagnosis, OidcProviderInfo } from '../../../src/domain/types.js';
import {
  callOf,
  type FailedSpec,
  failedWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import { diagnose, iamView, role } from '../../helpers/iam-view.js';

/** Classifies a denied call of `spec.sub` to role `name` whose trust policy is `policy`. */
export function deniedBy(
  policy: unknown,
  spec: FailedSpec,
  view: { providers?: readonly OidcProviderInfo[]; knownOwners?: readonly string[] } = {}
): Diagnosis {
  const name = typeof spec.role === 'string' ? spec.role : 'deploy';
  return diagnose(
    failedWebIdentityRecord({ ...spec, role: name }),
    iamView({ role: role(name, policy), ...view })
  );
}

/** The decision of a remedy's patched policy for another call (`allow`, `implicit-deny`, …). */
export function patchedDecision(remedy: Remedy | null | undefined, spec: FailedSpec): string {
  if (remedy?.policy === null || remedy?.policy === undefined) throw new Error('no patched policy');
  const read = readTrustPolicy(remedy.policy);
  if (!read.ok) throw new Error(read.reason);
  const call = callOf(failedWebIdentityRecord(spec));
  return evaluateTrustPolicy(read.policy, webIdentityRequest(call)).decision;
}
