/**
 * Which provider ARN the call presents as `Principal.Federated`: the account's provider for the
 * token's issuer. Without IAM, the trust policy's own principal for that issuer stands in for it.
 */
import type { TrustPolicy } from '../policy/parse-policy.js';
import { arnAccount } from '../policy/trust-request.js';
import { providerArnFor } from './explain-issuer.js';

/** The principal the evaluation uses, and how it was chosen. */
export interface ChosenPrincipal {
  readonly arn: string;
  /** How the ARN was chosen, in words. */
  readonly note: string;
}

function federatedPrincipals(policy: TrustPolicy): string[] {
  const out: string[] = [];
  for (const st of policy.statements)
    if (st.effect === 'Allow' && st.principal !== null && st.principal !== '*')
      out.push(...st.principal.federated);
  return out;
}

/**
 * The provider ARN of the token's issuer, for evaluating a trust policy read from a file.
 *
 * @param policy - the trust policy
 * @param issuerUrl - the issuer without scheme (`token.actions.githubusercontent.com`)
 *
 * @example
 * ```ts
 * principalFromPolicy(policy, 'token.actions.githubusercontent.com').arn;
 * // 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com'
 * ```
 */
export function principalFromPolicy(policy: TrustPolicy, issuerUrl: string): ChosenPrincipal {
  const named = federatedPrincipals(policy);
  const suffix = `:oidc-provider/${issuerUrl}`.toLowerCase();
  const same = named.find((p) => p.toLowerCase().endsWith(suffix));
  if (same !== undefined)
    return {
      arn: same,
      note: "the policy's provider for the token's issuer; --role-arn also checks that the account has it",
    };
  const account = named.map(arnAccount).find((a) => a !== null) ?? '000000000000';
  return {
    arn: providerArnFor(issuerUrl, account),
    note: `the policy names no provider for the token's issuer; this is the ARN the provider would have in account ${account}`,
  };
}
