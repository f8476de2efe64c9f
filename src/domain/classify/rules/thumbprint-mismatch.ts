/** `THUMBPRINT_MISMATCH`: the provider's configured certificate thumbprint does not match. */
import type { Rule } from '../rule.js';
import { failedWith, issuerUrl } from './error-message.js';

/** Applies to `InvalidIdentityToken` naming the thumbprint. */
export const thumbprintMismatch: Rule = ({ call, provider }) => {
  if (!failedWith(call, 'InvalidIdentityToken', 'thumbprint')) return null;
  const arn =
    provider?.arn ?? `arn:aws:iam::${call.account ?? 'ACCOUNT'}:oidc-provider/${issuerUrl(call)}`;
  return {
    cause: 'THUMBPRINT_MISMATCH',
    detail: null,
    explanation: `The OIDC provider's HTTPS certificate does not match its configured thumbprint${provider ? ` (${provider.thumbprints.join(', ') || 'none'})` : ''}. IAM trusts GitHub's certificate through its own CA store now, so this happens to GitHub Enterprise Server or other issuers.`,
    fix: `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${arn} --thumbprint-list <SHA-1 of the issuer's top intermediate CA certificate>`,
  };
};
