/** `IDP_ERROR`: the identity provider could not be reached, or refused. */
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Rule, Verdict } from '../rule.js';
import { failedWith, issuerUrl } from './error-message.js';

/** Applies to `IDPCommunicationError`, `IDPRejectedClaim` and unretrievable verification keys. */
export const idpError: Rule = ({ call }) => {
  const v = idpVerdict(call);
  if (v === null) return null;
  const remedy = makeRemedy('none', v.fix ?? '');
  return { ...v, fix: remedy.summary, remedy };
};

function idpVerdict(call: Parameters<Rule>[0]['call']): Verdict | null {
  const url = issuerUrl(call);
  if (call.errorCode === 'IDPCommunicationError')
    return {
      cause: 'IDP_ERROR',
      detail: 'COMMUNICATION',
      explanation: `STS could not reach the identity provider https://${url} to verify the token.`,
      fix: `Nothing to change in AWS: usually transient, retry the job. If it persists, check that https://${url}/.well-known/openid-configuration is reachable from the internet.`,
    };
  if (call.errorCode === 'IDPRejectedClaim')
    return {
      cause: 'IDP_ERROR',
      detail: 'REJECTED_CLAIM',
      explanation: `The identity provider https://${url} rejected the token's claim (expired or revoked).`,
      fix: 'Nothing to change in AWS: re-run the job to obtain a fresh token.',
    };
  if (failedWith(call, 'InvalidIdentityToken', 'verification key'))
    return {
      cause: 'IDP_ERROR',
      detail: 'VERIFICATION_KEY',
      explanation: `STS could not retrieve the verification key (JWKS) from https://${url}.`,
      fix: `Usually transient under parallel jobs${call.issuer?.kind === 'github' ? '; configure-aws-credentials retries it' : ': retry the job'}. If it persists, check that https://${url}/.well-known/openid-configuration and the JWKS it names are reachable from the internet.`,
    };
  return null;
}
