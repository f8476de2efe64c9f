/** `MISSING_OIDC_PROVIDER`, seen in IAM: the account has no provider for the token's issuer. */
import { policyOf } from '../../remedy/call-admitted.js';
import { missingProviderRemedy } from '../../remedy/provider-remedy.js';
import type { Rule } from '../rule.js';

/** Applies to `AccessDenied` when IAM lists no provider for the call's issuer. */
export const missingProviderInAccount: Rule = ({ call, iam, provider, role }) => {
  if (
    call.errorCode !== 'AccessDenied' ||
    iam.status !== 'ok' ||
    provider !== null ||
    call.issuer === null
  )
    return null;
  if (call.provider !== null && !call.provider.includes(':oidc-provider/')) return null;
  const url = call.issuer.url;
  const others = iam.providers.map((p) => `"${p.url}"`);
  const remedy = missingProviderRemedy(call, policyOf(role?.info), url);
  return {
    cause: 'MISSING_OIDC_PROVIDER',
    detail: null,
    explanation:
      `Account ${call.account ?? '?'} has no IAM OIDC provider for ${url} now` +
      (others.length > 0 ? ` (it has ${others.join(', ')})` : ' (it has none)') +
      '; it existed when STS evaluated this call or the call would have failed with InvalidIdentityToken, so it was probably deleted since.',
    fix: remedy.summary,
    remedy,
  };
};
