/**
 * The trust-policy generator behind `oidcwatch policy` and the `GitHubOidcRole` construct: reads
 * the options, builds the policy and checks it; a policy that fails a check is never returned.
 */
import { OidcwatchError } from '../errors.js';
import { buildTrustPolicy, type TrustPolicyDocument } from './build-trust-policy.js';
import type { PolicyOptions, PolicyRequest } from './policy-request.js';
import { readPolicyRequest } from './read-policy-request.js';
import { type PolicyVerification, verifyTrustPolicy } from './verify-trust-policy.js';

/** A generated, checked trust policy. */
export interface GeneratedTrustPolicy {
  readonly request: PolicyRequest;
  readonly document: TrustPolicyDocument;
  /** What the checks found: every probe answered as expected, no audit finding. */
  readonly verification: PolicyVerification;
}

/**
 * Generates the trust policy of `options` and checks it.
 *
 * @throws OidcwatchError `ERR_POLICY_REQUEST_INVALID` for unusable options;
 *   `ERR_POLICY_CHECK_FAILED` when the policy fails a check (it is not returned)
 *
 * @example
 * ```ts
 * const { document, verification } = generateTrustPolicy({
 *   repositories: ['acme-corp/api'], environments: ['production'], account: '111122223333',
 * });
 * verification.results.filter((r) => r.probe.expect === 'deny').length; // 7
 * ```
 */
export function generateTrustPolicy(options: PolicyOptions): GeneratedTrustPolicy {
  const request = readPolicyRequest(options);
  const document = buildTrustPolicy(request);
  const verification = verifyTrustPolicy(document, request);
  if (verification.problems.length > 0)
    throw new OidcwatchError(
      'ERR_POLICY_CHECK_FAILED',
      `the generated trust policy failed its checks, so it is not given: ${verification.problems.join('; ')}`
    );
  return { request, document, verification };
}
