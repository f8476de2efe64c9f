/**
 * Ports: what the use cases need from the outside world. Adapters implement them (IAM over the
 * SDK, the snapshot file); the domain never sees an SDK.
 */
import type { OidcProviderInfo, RoleInfo } from './domain/types.js';

/** The outcome of one IAM read. A failure carries the reason; it never throws. */
export type IamLookup<T> =
  | { readonly ok: true; readonly value: T; readonly stale?: boolean }
  | { readonly ok: false; readonly reason: string };

/** Reads what the classifier needs from IAM, per account. */
export interface IamReader {
  /** Where the answers come from. */
  readonly source: 'snapshot' | 'iam';
  /** The role, or `null` when it does not exist. */
  getRole(account: string, roleArn: string): Promise<IamLookup<RoleInfo | null>>;
  /** The account's OIDC providers. */
  listOidcProviders(account: string): Promise<IamLookup<readonly OidcProviderInfo[]>>;
  /** Every role of the account whose trust policy names `providerArn` (`Principal.Federated`). */
  listRolesTrustingProvider(
    account: string,
    providerArn: string
  ): Promise<IamLookup<readonly RoleInfo[]>>;
  /** Owners the account's roles are meant for, inferred from its trust policies (lowercase). */
  inferOwners(account: string): Promise<IamLookup<readonly string[]>>;
}
