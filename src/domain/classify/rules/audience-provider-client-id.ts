/** `AUDIENCE_MISMATCH` / `PROVIDER_CLIENT_ID`, seen in IAM: `aud` is not in the provider's client IDs. */
import { policyOf } from '../../remedy/call-admitted.js';
import { clientIdRemedy } from '../../remedy/provider-remedy.js';
import type { Rule } from '../rule.js';

/** Applies to `AccessDenied` when the provider's client-ID list lacks the token's `aud`. */
export const audienceProviderClientId: Rule = ({ call, iam, provider, role }) => {
  if (
    call.errorCode !== 'AccessDenied' ||
    iam.status !== 'ok' ||
    provider === null ||
    call.aud === null
  )
    return null;
  if (provider.clientIds.includes(call.aud)) return null;
  const remedy = clientIdRemedy(call, provider, policyOf(role?.info));
  return {
    cause: 'AUDIENCE_MISMATCH',
    detail: 'PROVIDER_CLIENT_ID',
    explanation: `The token's aud "${call.aud}" is not in the client-ID list of ${provider.arn} (${provider.clientIds.length === 0 ? 'empty' : provider.clientIds.map((c) => `"${c}"`).join(', ')}).`,
    fix: remedy.summary,
    remedy,
  };
};
