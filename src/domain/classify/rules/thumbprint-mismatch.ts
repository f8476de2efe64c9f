/** `THUMBPRINT_MISMATCH`: the provider's configured certificate thumbprint does not match. */
import { thumbprintRemedy } from '../../remedy/provider-remedy.js';
import type { Rule } from '../rule.js';
import { failedWith, issuerUrl } from './error-message.js';

/** Applies to `InvalidIdentityToken` naming the thumbprint. */
export const thumbprintMismatch: Rule = ({ call, provider }) => {
  if (!failedWith(call, 'InvalidIdentityToken', 'thumbprint')) return null;
  const remedy = thumbprintRemedy(call, provider, issuerUrl(call));
  return {
    cause: 'THUMBPRINT_MISMATCH',
    detail: null,
    explanation: `The OIDC provider's HTTPS certificate does not match its configured thumbprint${provider ? ` (${provider.thumbprints.join(', ') || 'none'})` : ''}. IAM trusts GitHub's certificate through its own CA store now, so this happens to GitHub Enterprise Server or other issuers.`,
    fix: remedy.summary,
    remedy,
  };
};
