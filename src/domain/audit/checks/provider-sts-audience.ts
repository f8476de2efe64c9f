/**
 * `PROVIDER_MISSING_STS_AUDIENCE`: a GitHub provider whose client-ID list lacks `sts.amazonaws.com`,
 * the audience `configure-aws-credentials` requests by default. STS rejects such tokens with
 * `InvalidIdentityToken` "Incorrect token audience", which CloudTrail may never record. `high` when
 * a role trusting the provider accepts that audience (so its workflows presumably use the default),
 * `low` when every such role requires another audience.
 */
import { singleValueSatisfies } from '../../policy/operators.js';
import type { OidcProviderInfo } from '../../types.js';
import type { AuditedRole } from '../account-view.js';
import { REASONS } from '../severity.js';
import {
  isBindingClause,
  isGitHubIssuer,
  keyClaim,
  keyProvider,
  providerArnsOf,
} from '../statements.js';
import type { ProviderCheck } from './check.js';

const STS_AUDIENCE = 'sts.amazonaws.com';

/** `true` when an Allow statement of the role trusting `provider` admits aud `sts.amazonaws.com`. */
function acceptsStsAudience(role: AuditedRole, provider: OidcProviderInfo): boolean {
  const url = provider.url.toLowerCase();
  return role.policy.statements.some(
    (st) =>
      st.effect === 'Allow' &&
      providerArnsOf(st).includes(provider.arn) &&
      st.conditions
        .filter(
          (c) => isBindingClause(c) && keyClaim(c.key) === 'aud' && keyProvider(c.key) === url
        )
        .every(
          (c) =>
            c.parsed !== null &&
            singleValueSatisfies(c.parsed, c.values, STS_AUDIENCE, role.policy.variables)
        )
  );
}

/** Flags GitHub providers without the default audience. */
export const providerStsAudience: ProviderCheck = (provider, account) => {
  if (!isGitHubIssuer(provider.url) || provider.clientIds.includes(STS_AUDIENCE)) return [];
  const expecting = account.roles.filter((r) => acceptsStsAudience(r, provider)).map((r) => r.name);
  const ids =
    provider.clientIds.length > 0 ? provider.clientIds.map((c) => `"${c}"`).join(', ') : 'none';
  const fix = `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id ${STS_AUDIENCE}`;
  if (expecting.length > 0)
    return [
      {
        code: 'PROVIDER_MISSING_STS_AUDIENCE',
        detail: null,
        providerArn: provider.arn,
        severity: 'high',
        statement: null,
        message: `Provider "${provider.url}" lists client IDs ${ids} but not "${STS_AUDIENCE}", the audience configure-aws-credentials requests by default, which ${expecting.length === 1 ? 'role' : 'roles'} ${expecting.join(', ')} accept${expecting.length === 1 ? 's' : ''}: STS rejects those tokens with InvalidIdentityToken "Incorrect token audience".`,
        reason: REASONS.invisible,
        fix,
      },
    ];
  return [
    {
      code: 'PROVIDER_MISSING_STS_AUDIENCE',
      detail: null,
      providerArn: provider.arn,
      severity: 'low',
      statement: null,
      message: `Provider "${provider.url}" lists client IDs ${ids} but not "${STS_AUDIENCE}", the audience configure-aws-credentials requests by default. No role trusting it accepts that audience, so workflows must set "audience:".`,
      reason:
        'Harmless while every workflow sets its audience; a workflow using the default fails with "Incorrect token audience", which CloudTrail may never record.',
      fix,
    },
  ];
};
