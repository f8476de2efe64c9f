/** `INVALID_TOKEN`: any other `InvalidIdentityToken` (detail: the message). */
import type { Rule } from '../rule.js';

/** Applies to `InvalidIdentityToken` that no more specific rule explained. */
export const invalidToken: Rule = ({ call }) => {
  if (call.errorCode !== 'InvalidIdentityToken') return null;
  const message = call.errorMessage ?? 'no message recorded';
  const missingAud = /missing a required claim: aud/i.test(message);
  return {
    cause: 'INVALID_TOKEN',
    detail: message,
    explanation: `STS rejected the token: "${message}".`,
    fix: missingAud
      ? 'Request the token with an audience: configure-aws-credentials does this (audience sts.amazonaws.com); a hand-rolled request must pass ?audience=sts.amazonaws.com to ACTIONS_ID_TOKEN_REQUEST_URL.'
      : 'Decode the token inside the job with `oidcwatch doctor` and compare its iss, aud and exp with the provider.',
  };
};
