/**
 * One account arranged for the checks: its roles that trust an OIDC provider (trust policies read
 * once), its providers, the owners its roles are meant for and how each owner is spelled.
 */
import { readTrustPolicy, type TrustPolicy } from '../policy/parse-policy.js';
import type { OidcProviderInfo, RoleInfo } from '../types.js';
import type { AuditAccountInput, AuditOptions } from './audit-types.js';
import { type OwnerSpelling, ownerSpellings } from './owner-spellings.js';
import { isOidcStatement } from './statements.js';

/** A role whose trust policy trusts an OIDC provider. */
export interface AuditedRole {
  readonly arn: string;
  /** The name with its path (`role/ci/deploy` → `ci/deploy`). */
  readonly name: string;
  readonly policy: TrustPolicy;
}

/** A role whose trust policy cannot be read, but mentions OIDC federation. */
export interface UnreadableRole {
  readonly arn: string;
  readonly reason: string;
}

/** What the checks see of one account. */
export interface AccountView {
  readonly account: string;
  /** Every role of the account. */
  readonly allRoles: readonly RoleInfo[];
  /** The roles audited, by name. */
  readonly roles: readonly AuditedRole[];
  readonly unreadable: readonly UnreadableRole[];
  readonly providers: readonly OidcProviderInfo[];
  /** Owners the roles are meant for, lowercase, as given with `--owners` (`FOREIGN_OWNER`). Empty: not checked. */
  readonly knownOwners: readonly string[];
  /** The right spelling of each owner, by lowercase name (`OWNER_CASE`). */
  readonly ownerSpellings: ReadonlyMap<string, OwnerSpelling>;
  readonly ownersGiven: boolean;
}

/** The role name with its path, from a role ARN. */
export function roleNameOf(arn: string): string {
  const at = arn.indexOf(':role/');
  return at < 0 ? arn : arn.slice(at + ':role/'.length);
}

function mentionsOidc(document: unknown): boolean {
  const text = typeof document === 'string' ? document : JSON.stringify(document ?? null);
  return /oidc-provider|AssumeRoleWithWebIdentity/i.test(text);
}

/** Arranges one account for the checks. */
export function accountView(
  account: string,
  input: AuditAccountInput,
  options: AuditOptions
): AccountView {
  const roles: AuditedRole[] = [];
  const unreadable: UnreadableRole[] = [];
  for (const role of input.roles) {
    const read = readTrustPolicy(role.trustPolicy);
    if (!read.ok) {
      if (mentionsOidc(role.trustPolicy)) unreadable.push({ arn: role.arn, reason: read.reason });
      continue;
    }
    if (read.policy.statements.some(isOidcStatement))
      roles.push({ arn: role.arn, name: roleNameOf(role.arn), policy: read.policy });
  }
  roles.sort((a, b) => a.name.localeCompare(b.name));
  const owners = options.owners?.filter((o) => o.trim() !== '');
  const ownersGiven = owners !== undefined && owners.length > 0;
  return {
    account,
    allRoles: input.roles,
    roles,
    unreadable,
    providers: input.oidcProviders,
    // FOREIGN_OWNER only against owners the operator gives: owners guessed from the account's
    // other policies would call a deliberate vendor integration (or a minority owner) foreign.
    knownOwners: ownersGiven ? owners.map((o) => o.toLowerCase()) : [],
    ownerSpellings: ownerSpellings(
      roles.map((r) => r.policy),
      ownersGiven ? owners : undefined
    ),
    ownersGiven,
  };
}
