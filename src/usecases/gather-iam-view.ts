/**
 * Gathers the IAM view one call needs, through an `IamReader` (snapshot or live IAM). Any failed
 * read gives a `failed` view with the reason: the call is still classified, from its code alone.
 */
import type { IamView, OidcCall, OidcProviderInfo, RoleInfo } from '../domain/types.js';
import type { IamLookup, IamReader } from '../ports.js';

/** Options of `gatherIamView`. */
export interface GatherOptions {
  /** Owners configured by the operator; when empty, inferred per account from its roles. */
  readonly owners?: readonly string[];
}

/**
 * The IAM view of `call`'s account: its role, providers and (when the role is unknown or missing)
 * the roles that trust its provider.
 *
 * @example
 * ```ts
 * const view = await gatherIamView(call, snapshotReader);
 * const diagnosis = classifyCall(call, view);
 * ```
 */
export async function gatherIamView(
  call: OidcCall,
  reader: IamReader,
  options: GatherOptions = {}
): Promise<IamView> {
  const account = call.account;
  if (account === null)
    return { status: 'failed', reason: 'the record names no account', source: reader.source };
  const failed = (what: string, r: { reason: string }): IamView => ({
    status: 'failed',
    reason: `${what}: ${r.reason}`,
    source: reader.source,
  });

  const [roleRead, providersRead] = await Promise.all([
    call.roleArn === null ? null : reader.getRole(account, call.roleArn),
    reader.listOidcProviders(account),
  ]);
  if (roleRead !== null && !roleRead.ok) return failed(`reading role ${call.roleArn}`, roleRead);
  if (!providersRead.ok) return failed(`listing OIDC providers of ${account}`, providersRead);
  const role: RoleInfo | null | undefined = roleRead === null ? undefined : roleRead.value;
  let stale = roleRead?.stale === true || providersRead.stale === true;

  let trusting: readonly RoleInfo[] | undefined;
  const needIndex = call.errorCode === 'AccessDenied' && (role === undefined || role === null);
  if (needIndex && call.provider !== null) {
    const read: IamLookup<readonly RoleInfo[]> = await reader.listRolesTrustingProvider(
      account,
      call.provider
    );
    if (!read.ok) {
      if (role === undefined) return failed(`listing roles of ${account}`, read);
    } else {
      trusting = read.value;
      stale ||= read.stale === true;
    }
  }

  let knownOwners = options.owners;
  if (knownOwners === undefined || knownOwners.length === 0) {
    const owners = await reader.inferOwners(account);
    knownOwners = owners.ok ? owners.value : [];
  }
  const providers: readonly OidcProviderInfo[] = providersRead.value;
  return {
    status: 'ok',
    source: reader.source,
    role,
    providers,
    rolesTrustingProvider: trusting,
    knownOwners,
    stale,
  };
}
