/**
 * The shape of an audit check: a pure function of one role (or one provider) and its account.
 */
import type { OidcProviderInfo } from '../../types.js';
import type { AccountView, AuditedRole } from '../account-view.js';
import type { FindingDraft } from '../audit-types.js';

/** A check of one role's trust policy. */
export type RoleCheck = (role: AuditedRole, account: AccountView) => readonly FindingDraft[];

/** A check of one of the account's OIDC providers. */
export type ProviderCheck = (
  provider: OidcProviderInfo,
  account: AccountView
) => readonly FindingDraft[];

/** A check with the name its failure is reported under. */
export interface NamedCheck<C> {
  readonly name: string;
  readonly run: C;
}
