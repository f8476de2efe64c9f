/**
 * `WRONG_PROVIDER_PRINCIPAL/OTHER_ACCOUNT`: `Principal.Federated` names a provider of another
 * account. A provider and the role that trusts it must be in the same account, so the statement
 * never matches (usually a policy copied between accounts).
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import { arnAccount } from '../../policy/trust-request.js';
import type { FindingDraft } from '../audit-types.js';
import { REASONS } from '../severity.js';
import { providerArnsOf, providerUrl } from '../statements.js';
import type { RoleCheck } from './check.js';

/** Flags federated principals of other accounts. */
export const providerInOtherAccount: RoleCheck = (role, account) => {
  const out: FindingDraft[] = [];
  for (const st of role.policy.statements) {
    if (st.effect !== 'Allow') continue;
    for (const provider of providerArnsOf(st)) {
      const owner = arnAccount(provider);
      if (owner === null || owner === account.account) continue;
      const url = providerUrl(provider);
      const own = account.providers.find((p) => p.url.toLowerCase() === url);
      const partition = provider.split(':')[1] ?? 'aws';
      const ownArn = own?.arn ?? `arn:${partition}:iam::${account.account}:oidc-provider/${url}`;
      out.push({
        code: 'WRONG_PROVIDER_PRINCIPAL',
        detail: 'OTHER_ACCOUNT',
        providerArn: provider,
        severity: 'medium',
        statement: statementLabel(st),
        message: `Principal.Federated names "${provider}", a provider of account ${owner}. An OIDC provider and the role that trusts it must be in the same account (${account.account}), so this statement never matches: a policy copied between accounts.`,
        reason: REASONS.neverMatches,
        fix: `Set Principal.Federated to "${ownArn}"${own === undefined ? ' and create that provider in the account' : ''}.`,
      });
    }
  }
  return out;
};
