/** `EXPIRED_TOKEN`: STS found the web identity token expired (or too old). */
import type { Rule } from '../rule.js';

/** Applies to `ExpiredTokenException`. */
export const expiredToken: Rule = ({ call }) => {
  if (call.errorCode !== 'ExpiredTokenException') return null;
  return {
    cause: 'EXPIRED_TOKEN',
    detail: null,
    explanation: `STS rejected the token as expired${call.errorMessage ? ` ("${call.errorMessage}")` : ''}. GitHub's OIDC tokens live 5 minutes; a long retry loop or a token fetched early can outlive them.`,
    fix: 'Fetch the token right before assuming the role: use aws-actions/configure-aws-credentials (it requests a fresh token per attempt) and keep retry-max-attempts and delays short enough to stay within 5 minutes.',
  };
};
