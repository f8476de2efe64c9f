/**
 * `MISSING_OIDC_PROVIDER`: the role trusts a provider of its own account that the account does not
 * have. STS answers `InvalidIdentityToken` ("No OpenIDConnect provider found in your account"),
 * which CloudTrail may never record (cloudtrail-oidc-facts §1.6): only an audit finds it.
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import { literalValue } from '../../policy/string-match.js';
import { arnAccount } from '../../policy/trust-request.js';
import type { FindingDraft } from '../audit-types.js';
import { REASONS } from '../severity.js';
import {
  isBindingClause,
  keyClaim,
  keyProvider,
  providerArnsOf,
  providerUrl,
} from '../statements.js';
import type { RoleCheck } from './check.js';

/** Flags same-account providers the role trusts and the account lacks. */
export const missingProvider: RoleCheck = (role, account) => {
  const existing = new Set(account.providers.map((p) => p.arn));
  const out: FindingDraft[] = [];
  const seen = new Set<string>();
  for (const st of role.policy.statements) {
    if (st.effect !== 'Allow') continue;
    for (const provider of providerArnsOf(st)) {
      if (seen.has(provider) || existing.has(provider) || arnAccount(provider) !== account.account)
        continue;
      seen.add(provider);
      const url = providerUrl(provider);
      const audiences = st.conditions
        .filter(
          (c) =>
            isBindingClause(c) &&
            c.parsed?.base === 'StringEquals' &&
            keyClaim(c.key) === 'aud' &&
            keyProvider(c.key) === url
        )
        .flatMap((c) => c.values.map((v) => literalValue(v, role.policy.variables)));
      const clientIds =
        audiences.length > 0 ? [...new Set(audiences)].join(' ') : 'sts.amazonaws.com';
      const has = account.providers.map((p) => `"${p.url}"`);
      out.push({
        code: 'MISSING_OIDC_PROVIDER',
        detail: null,
        providerArn: provider,
        severity: 'high',
        statement: statementLabel(st),
        message: `The role trusts "${provider}", but account ${account.account} has no such OIDC provider (${has.length > 0 ? `it has ${has.join(', ')}` : 'it has none'}). STS rejects every token with InvalidIdentityToken "No OpenIDConnect provider found in your account".`,
        reason: REASONS.invisible,
        fix: `aws iam create-open-id-connect-provider --url https://${url} --client-id-list ${clientIds}`,
      });
    }
  }
  return out;
};
