/**
 * What a trust policy trusts: the federated providers it names, and the owners its `sub`
 * conditions admit. Used to index roles by provider and to infer an account's owners.
 */
import type { RoleInfo } from '../types.js';
import { readTrustPolicy } from './parse-policy.js';
import { hasWildcard } from './string-match.js';

/** The `Principal.Federated` values of a role's Allow statements (empty when unreadable). */
export function federatedPrincipals(role: RoleInfo): string[] {
  const read = readTrustPolicy(role.trustPolicy);
  if (!read.ok) return [];
  const out = new Set<string>();
  for (const st of read.policy.statements) {
    if (st.effect !== 'Allow' || st.principal === null || st.principal === '*') continue;
    for (const f of st.principal.federated) out.add(f);
  }
  return [...out];
}

/** `true` when the role's trust policy names `providerArn` as a federated principal. */
export function trustsProvider(role: RoleInfo, providerArn: string): boolean {
  return federatedPrincipals(role).includes(providerArn);
}

/** The GitHub owners (`repo:OWNER/…`, lowercase, ids stripped) a role's `sub` conditions name. */
export function ownersNamed(role: RoleInfo): string[] {
  const read = readTrustPolicy(role.trustPolicy);
  if (!read.ok) return [];
  const owners = new Set<string>();
  for (const st of read.policy.statements)
    for (const c of st.conditions) {
      if (!c.key.toLowerCase().endsWith(':sub')) continue;
      for (const v of c.values) {
        const m = /^repo:([^/:]+)\//.exec(v);
        const owner = m?.[1]?.replace(/@\d+$/, '');
        if (owner !== undefined && !hasWildcard(owner)) owners.add(owner.toLowerCase());
      }
    }
  return [...owners];
}

/**
 * The owners an account's roles are meant for: those named by at least two roles. With fewer
 * roles nothing can be told apart, and the result is empty (no `FOREIGN_OWNER` check).
 */
export function inferAccountOwners(roles: readonly RoleInfo[]): string[] {
  const counts = new Map<string, number>();
  for (const role of roles)
    for (const o of ownersNamed(role)) counts.set(o, (counts.get(o) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= 2)
    .map(([o]) => o)
    .sort();
}
