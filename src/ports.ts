/**
 * Ports: what the use cases need from the outside world. Adapters implement them (IAM over the
 * SDK, the snapshot file); the domain never sees an SDK.
 */
import type { OwnerLookup, RepositoryLookup } from './domain/audit/github/repository-findings.js';
import type { ConfigurationChange } from './domain/changes/change-types.js';
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
  /**
   * Owners the account's roles name most (lowercase). Not used for `FOREIGN_OWNER`, which is
   * judged against configured owners only.
   */
  inferOwners(account: string): Promise<IamLookup<readonly string[]>>;
}

/**
 * Recorded IAM configuration changes (DynamoDB with a TTL on AWS; in memory for the CLI), by the
 * target keys of `src/domain/changes/target-keys.ts`.
 */
export interface ChangeStore {
  /** Records a change (again with the same event id: replaced). Rejects when it cannot. */
  record(change: ConfigurationChange): Promise<void>;
  /** The changes of one role or provider still held, newest first. Never throws. */
  changesOf(targetKey: string): Promise<IamLookup<readonly ConfigurationChange[]>>;
}

/** The processor's IAM cache as change processing sees it: read without loading, and forget. */
export interface IamCacheControl {
  /** The cached role (`null`: IAM said it does not exist) and when it was loaded; none cached: `undefined`. */
  peekRole(
    account: string,
    roleName: string
  ): { value: RoleInfo | null; loadedAtMs: number } | undefined;
  /** The cached provider list of an account and when it was loaded. */
  peekProviders(
    account: string
  ): { value: readonly OidcProviderInfo[]; loadedAtMs: number } | undefined;
  /** Forgets a role at once. */
  invalidateRole(account: string, roleName: string): void;
  /** Forgets an account's providers at once. */
  invalidateProviders(account: string): void;
}

/**
 * GitHub's view of repositories, for `audit --github`. Lookups never throw: a call GitHub did not
 * answer (rate limit, outage, refused credentials) is an `unchecked` lookup with the reason.
 */
export interface RepositoryDirectory {
  /** The repository now at `owner/name`, following a rename or transfer. */
  byName(owner: string, name: string): Promise<RepositoryLookup>;
  /** The repository with this id; `owner` says whose credentials to ask with (the owner named). */
  byId(id: string, owner: string | null): Promise<RepositoryLookup>;
  /** Whether a GitHub account (user or organisation) of this login exists. */
  owner(login: string): Promise<OwnerLookup>;
}
