/** `MISSING_OIDC_PROVIDER`, told by STS: "No OpenIDConnect provider found in your account for …". */
import { policyOf } from '../../remedy/call-admitted.js';
import { missingProviderRemedy } from '../../remedy/provider-remedy.js';
import type { Rule } from '../rule.js';
import { failedWith, issuerUrl } from './error-message.js';

/** Applies to `InvalidIdentityToken` naming a missing provider; IAM adds what the account has. */
export const missingProviderFromError: Rule = ({ call, iam, provider, role }) => {
  if (!failedWith(call, 'InvalidIdentityToken', 'no openidconnect provider found')) return null;
  const url =
    /for (https?:\/\/\S+)/i.exec(call.errorMessage ?? '')?.[1] ?? `https://${issuerUrl(call)}`;
  const host = url.replace(/^https?:\/\//, '');
  const others = iam.status === 'ok' ? iam.providers.map((p) => p.url) : [];
  const account = call.account ?? 'the account';
  let now = '';
  if (provider !== null)
    now = ` IAM shows the provider exists now (${provider.arn}): it was created after the failure, or the issuer URL differs.`;
  else if (others.length > 0)
    now = ` The account has providers for ${others.map((o) => `"${o}"`).join(', ')}, not "${host}".`;
  const remedy = missingProviderRemedy(call, policyOf(role?.info), host);
  return {
    cause: 'MISSING_OIDC_PROVIDER',
    detail: null,
    explanation: `STS found no IAM OIDC provider for ${url} in ${account}.${now}`,
    fix: remedy.summary,
    remedy,
  };
};
