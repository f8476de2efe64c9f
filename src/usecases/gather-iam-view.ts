/**
 * Gathers the IAM view one call needs, through an `IamReader` (snapshot or live IAM). Any failed
 * read gives a `failed` view with the reason: the call is still classified, from its code alone.
 */
import { readTrustPolicy } from '../domain/policy/parse-policy.js';
import { arnAccount } from '../domain/policy/trust-request.js';
import type { IamView, OidcCall, OidcProviderInfo, RoleInfo } from '../domain/types.js';
import type { IamLookup, IamReader } from '../ports.js';

/** Options of `gatherIamView`. */
export interface GatherOptions {
  /**
   * Owners configured by the operator (`FOREIGN_OWNER` is judged against them only; never against
   * owners guessed from other policies). @default none
   */
  readonly owners?: readonly string[];
}

/** The most roles a trust policy names that are read for a remedy (a chaining source, …). */
const MAX_RELATED = 3;

/**
 * Roles the role's trust policy names as AWS principals, when it names no federated principal: a
 * role meant to be reached by role chaining. Their trust policies tell whether the job could
 * assume them instead (a `role` remedy, verified).
 */
function chainSources(role: RoleInfo): string[] {
  const read = readTrustPolicy(role.trustPolicy);
  if (!read.ok) return [];
  const out = new Set<string>();
  for (const st of read.policy.statements) {
    if (st.effect !== 'Allow' || st.principal === null || st.principal === '*') continue;
    if (st.principal.federated.length > 0) return [];
    for (const a of st.principal.aws) if (/^arn:[\w-]+:iam::\d{12}:role\//.test(a)) out.add(a);
  }
  return [...out].slice(0, MAX_RELATED);
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
  // A role is read in the account its ARN names: a denied cross-account chained AssumeRole is
  // recorded in the caller's account, not the role's.
  const account = (call.roleArn === null ? null : arnAccount(call.roleArn)) ?? call.account;
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

  let related: RoleInfo[] | undefined;
  if (call.errorCode === 'AccessDenied' && role !== null && role !== undefined) {
    const sources = chainSources(role);
    if (sources.length > 0) {
      const reads = await Promise.all(
        sources.map((arn) => reader.getRole(arnAccount(arn) ?? account, arn))
      );
      related = reads.flatMap((r) => (r.ok && r.value !== null ? [r.value] : []));
      stale ||= reads.some((r) => r.ok && r.stale === true);
    }
  }
  const providers: readonly OidcProviderInfo[] = providersRead.value;
  return {
    status: 'ok',
    source: reader.source,
    role,
    providers,
    rolesTrustingProvider: trusting,
    relatedRoles: related,
    knownOwners: options.owners ?? [],
    stale,
  };
}
