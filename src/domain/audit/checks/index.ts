/**
 * The audit's checks, in the order their findings are listed for one role or provider.
 */
import type { NamedCheck, ProviderCheck, RoleCheck } from './check.js';
import { conditionKeyProvider } from './condition-key-provider.js';
import { missingProvider } from './missing-provider.js';
import { overPermissive } from './over-permissive.js';
import { ownerCase } from './owner-case.js';
import { providerInOtherAccount } from './provider-in-other-account.js';
import { providerStsAudience } from './provider-sts-audience.js';
import { subWithoutRepoPrefix } from './sub-without-repo-prefix.js';
import { thumbprintOnlyProvider } from './thumbprint-only-provider.js';
import { unknownConditionKeyCheck } from './unknown-condition-key.js';
import { wrongAction } from './wrong-action.js';

/** Checks run on every role that trusts an OIDC provider. */
export const ROLE_CHECKS: readonly NamedCheck<RoleCheck>[] = [
  { name: 'missing-provider', run: missingProvider },
  { name: 'provider-in-other-account', run: providerInOtherAccount },
  { name: 'wrong-action', run: wrongAction },
  { name: 'over-permissive', run: overPermissive },
  { name: 'condition-key-provider', run: conditionKeyProvider },
  { name: 'unknown-condition-key', run: unknownConditionKeyCheck },
  { name: 'sub-without-repo-prefix', run: subWithoutRepoPrefix },
  { name: 'owner-case', run: ownerCase },
];

/** Checks run on every OIDC provider of an account. */
export const PROVIDER_CHECKS: readonly NamedCheck<ProviderCheck>[] = [
  { name: 'provider-sts-audience', run: providerStsAudience },
  { name: 'thumbprint-only-provider', run: thumbprintOnlyProvider },
];
