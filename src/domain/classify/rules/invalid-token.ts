/** `INVALID_TOKEN`: any other `InvalidIdentityToken` (detail: the message). */
import { requestAudienceAdvice } from '../../remedy/issuer-advice.js';
import { makeRemedy, setInWorkflow } from '../../remedy/make-remedy.js';
import type { Rule } from '../rule.js';

/** Applies to `InvalidIdentityToken` that no more specific rule explained. */
export const invalidToken: Rule = ({ call, provider }) => {
  if (call.errorCode !== 'InvalidIdentityToken') return null;
  const message = call.errorMessage ?? 'no message recorded';
  const missingAud = /missing a required claim: aud/i.test(message);
  const kind = call.issuer?.kind ?? null;
  const aud =
    provider?.clientIds.find((c) => c === 'sts.amazonaws.com') ??
    provider?.clientIds[0] ??
    'sts.amazonaws.com';
  const remedy = missingAud
    ? makeRemedy('workflow', requestAudienceAdvice(kind, aud), {
        workflow: kind === 'github' ? [setInWorkflow('with.audience', aud)] : [],
      })
    : makeRemedy(
        'none',
        kind === 'github'
          ? 'Decode the token inside the job with `oidcwatch doctor` and compare its iss, aud and exp with the provider.'
          : "Decode the job's token and compare its iss, aud and exp with the provider."
      );
  return {
    cause: 'INVALID_TOKEN',
    detail: message,
    explanation: `STS rejected the token: "${message}".`,
    fix: remedy.summary,
    remedy,
  };
};
