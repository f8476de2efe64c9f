/**
 * The keys changes are stored and looked up by: one per role (account and name, as IAM role names
 * are unique regardless of case) and one per OIDC provider (account and URL). A failed call is
 * looked up by the keys of its role and of its token's provider.
 */
import type { OidcCall } from '../types.js';
import type { ConfigurationChange, ProviderTarget, RoleTarget } from './change-types.js';

/** The key of a role. */
export function roleKey(account: string, roleName: string): string {
  return `role|${account}|${roleName.toLowerCase()}`;
}

/** The key of a provider. */
export function providerKey(account: string, url: string): string {
  return `oidc-provider|${account}|${url.toLowerCase()}`;
}

/**
 * The key of a change's target.
 *
 * @example
 * ```ts
 * targetKey(change.target); // 'role|111122223333|deploy'
 * ```
 */
export function targetKey(target: RoleTarget | ProviderTarget): string {
  return target.kind === 'role'
    ? roleKey(target.account, target.name)
    : providerKey(target.account, target.url);
}

/** The name of a role ARN (the part after the last `/`; paths are not part of the name). */
export function roleNameOfArn(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/** The keys of the role and provider a call depends on. */
export function callTargetKeys(call: OidcCall): string[] {
  if (call.account === null) return [];
  const keys: string[] = [];
  if (call.roleArn !== null) keys.push(roleKey(call.account, roleNameOfArn(call.roleArn)));
  if (call.issuer !== null) keys.push(providerKey(call.account, call.issuer.url));
  return keys;
}

/** `true` when a change is of the call's role or of its token's provider. */
export function changeConcernsCall(change: ConfigurationChange, call: OidcCall): boolean {
  return callTargetKeys(call).includes(targetKey(change.target));
}
