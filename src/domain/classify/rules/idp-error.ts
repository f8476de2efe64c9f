/** `IDP_ERROR`: the identity provider could not be reached, or refused. */
import type { Rule } from '../rule.js';
import { failedWith, issuerUrl } from './error-message.js';

/** Applies to `IDPCommunicationError`, `IDPRejectedClaim` and unretrievable verification keys. */
export const idpError: Rule = ({ call }) => {
  const url = issuerUrl(call);
  if (call.errorCode === 'IDPCommunicationError')
    return {
      cause: 'IDP_ERROR',
      detail: 'COMMUNICATION',
      explanation: `STS could not reach the identity provider https://${url} to verify the token.`,
      fix: `Usually transient: retry the job. If it persists, check that https://${url}/.well-known/openid-configuration is reachable from the internet.`,
    };
  if (call.errorCode === 'IDPRejectedClaim')
    return {
      cause: 'IDP_ERROR',
      detail: 'REJECTED_CLAIM',
      explanation: `The identity provider https://${url} rejected the token's claim (expired or revoked).`,
      fix: 'Re-run the job to obtain a fresh token.',
    };
  if (failedWith(call, 'InvalidIdentityToken', 'verification key'))
    return {
      cause: 'IDP_ERROR',
      detail: 'VERIFICATION_KEY',
      explanation: `STS could not retrieve the verification key (JWKS) from https://${url}.`,
      fix: `Usually transient under parallel jobs; configure-aws-credentials retries it. If it persists, check that the provider URL (including any enterprise slug) serves https://${url}/.well-known/jwks.`,
    };
  return null;
};
