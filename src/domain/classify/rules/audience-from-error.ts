/** `AUDIENCE_MISMATCH` / `PROVIDER_CLIENT_ID`, told by STS: "Incorrect token audience". */
import { policyOf } from '../../remedy/call-admitted.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import { clientIdRemedy } from '../../remedy/provider-remedy.js';
import type { Rule } from '../rule.js';
import { failedWith } from './error-message.js';

/** Applies to `InvalidIdentityToken` "Incorrect token audience"; IAM adds the provider's list. */
export const audienceFromError: Rule = ({ call, provider, role }) => {
  if (!failedWith(call, 'InvalidIdentityToken', 'audience')) return null;
  const list = provider === null ? null : provider.clientIds;
  const aud = call.aud;
  const remedy =
    provider !== null && aud !== null
      ? clientIdRemedy(call, provider, policyOf(role?.info))
      : makeRemedy(
          'provider',
          "Add the workflow's audience to the provider's client IDs (aws iam add-client-id-to-open-id-connect-provider), or request an audience the provider lists."
        );
  return {
    cause: 'AUDIENCE_MISMATCH',
    detail: 'PROVIDER_CLIENT_ID',
    explanation:
      `STS rejected the token's audience${aud === null ? '' : ` "${aud}"`}: it is not in the OIDC provider's client-ID list` +
      (list === null
        ? '.'
        : ` (${list.length === 0 ? 'empty' : list.map((c) => `"${c}"`).join(', ')}).`),
    fix: remedy.summary,
    remedy,
  };
};
