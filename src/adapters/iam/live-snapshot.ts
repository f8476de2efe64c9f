/**
 * Reads live IAM into an IAM snapshot (docs/iam-snapshot.md): every OIDC provider
 * (`ListOpenIDConnectProviders` + `GetOpenIDConnectProvider`; providers are global in IAM, so one
 * list covers every Region) and every role (`ListRoles`, paginated; trust policies URL-decoded and
 * parsed; `MaxSessionDuration`), for the account of the credentials (`sts:GetCallerIdentity`) and,
 * given a read role, for other accounts through `sts:AssumeRole`. An account that cannot be read
 * is left out and reported: in a snapshot an account not listed "cannot be enriched", which is
 * the truth, whereas a half-read account would claim roles do not exist.
 */
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { OidcwatchError } from '../../domain/errors.js';
import type { OidcProviderInfo, RoleInfo } from '../../domain/types.js';
import {
  type AwsClientConfig,
  boundedRequestHandler,
  clientConfigFromEnv,
} from '../aws-client-config.js';
import { isNoCredentials, NO_CREDENTIALS_HELP } from '../aws-error.js';
import type { IamSnapshot, SnapshotAccount } from '../snapshot/iam-snapshot.js';
import { AssumedRoleCredentials } from './account-clients.js';

/** An account that could not be read, and why. */
export interface AccountReadFailure {
  readonly account: string;
  readonly reason: string;
}

/** What a live read gave. */
export interface LiveSnapshot {
  readonly snapshot: IamSnapshot;
  /** The account of the credentials. */
  readonly homeAccount: string;
  /** Accounts left out of the snapshot. */
  readonly failures: readonly AccountReadFailure[];
}

/** Options of `readLiveSnapshot`. */
export interface LiveSnapshotOptions {
  /** IAM with the caller's own credentials. */
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /** The role to assume in each of `accounts` (its name; the path-less role in every account). */
  readonly accountRole?: string | undefined;
  /** Other accounts to read (the caller's own is always read, with its own credentials). */
  readonly accounts?: readonly string[] | undefined;
  /** An IAM client using other credentials. @default a bounded `IAMClient` in us-east-1 with them */
  readonly iamWith?: (
    credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string }>
  ) => IAMClient;
  /** Where the endpoint was overridden, for error messages. */
  readonly endpoint?: string | undefined;
}

const DENIED =
  /AccessDenied|UnauthorizedOperation|InvalidClientTokenId|UnrecognizedClient|SignatureDoesNotMatch|ExpiredToken|IncompleteSignature|MissingAuthenticationToken|NotAuthorized|CredentialsProviderError|Could not load credentials/i;

/** An AWS failure in words: the error's name, message and (for network errors) its code. */
export function describeFailure(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; code?: unknown; errors?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  let message = typeof e?.message === 'string' ? e.message : String(error);
  if (message === '' && Array.isArray(e?.errors))
    message = (e.errors as { message?: string }[]).map((x) => x.message ?? '').join('; ');
  const code = typeof e?.code === 'string' && !message.includes(e.code) ? ` (${e.code})` : '';
  return message.startsWith(name) || message.includes(`${name}:`)
    ? `${message}${code}`
    : `${name}: ${message}${code}`;
}

/** `true` when the failure says "not permitted" rather than "unreachable". */
export function isDenied(error: unknown): boolean {
  return DENIED.test(describeFailure(error));
}

async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (e) {
    throw new Error(`${what}: ${describeFailure(e)}`, { cause: e });
  }
}

/** Parses a trust policy as IAM returns it (URL-encoded JSON; some emulators send plain JSON). */
export function trustPolicyOf(document: string | undefined): unknown {
  if (document === undefined) return { Version: '2012-10-17', Statement: [] };
  for (const text of [document, safeDecode(document)])
    try {
      return JSON.parse(text);
    } catch {
      // try the next form
    }
  return safeDecode(document);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Reads one account's OIDC providers and roles.
 *
 * @throws Error naming the IAM call and account that failed
 */
export async function readAccountIam(iam: IAMClient, account: string): Promise<SnapshotAccount> {
  const list = await call(`iam:ListOpenIDConnectProviders in ${account}`, () =>
    iam.send(new ListOpenIDConnectProvidersCommand({}))
  );
  const providers: OidcProviderInfo[] = [];
  for (const arn of (list.OpenIDConnectProviderList ?? []).map((p) => p.Arn)) {
    if (arn === undefined) continue;
    const p = await call(`iam:GetOpenIDConnectProvider ${arn}`, () =>
      iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))
    );
    const url = (p.Url ?? arn.slice(arn.indexOf(':oidc-provider/') + 15))
      .replace(/^https?:\/\//, '')
      .replace(/\/$/, '');
    providers.push({
      arn,
      url,
      clientIds: p.ClientIDList ?? [],
      thumbprints: p.ThumbprintList ?? [],
    });
  }
  const roles: RoleInfo[] = [];
  await call(`iam:ListRoles in ${account}`, async () => {
    for await (const page of paginateListRoles({ client: iam, pageSize: 1000 }, {}))
      for (const r of page.Roles ?? [])
        if (r.Arn !== undefined)
          roles.push({
            arn: r.Arn,
            trustPolicy: trustPolicyOf(r.AssumeRolePolicyDocument),
            ...(r.MaxSessionDuration === undefined
              ? {}
              : { maxSessionDuration: r.MaxSessionDuration }),
          });
  });
  providers.sort((a, b) => a.arn.localeCompare(b.arn));
  roles.sort((a, b) => a.arn.localeCompare(b.arn));
  return { roles, oidcProviders: providers };
}

/** Who the credentials are. */
export interface CallerIdentity {
  readonly account: string;
  /** `aws`, `aws-cn`, `aws-us-gov`, … (from the caller's ARN). */
  readonly partition: string;
}

/**
 * Asks STS who the caller is.
 *
 * @param endpoint - the overridden endpoint, named in error messages
 * @throws OidcwatchError `ERR_AWS_NO_CREDENTIALS`, `ERR_AWS_DENIED` or `ERR_AWS_UNREACHABLE`
 *
 * @example
 * ```ts
 * const { account } = await callerIdentity(new STSClient(clientConfigFromEnv(env, 'STS')));
 * ```
 */
export async function callerIdentity(sts: STSClient, endpoint?: string): Promise<CallerIdentity> {
  const where = endpoint === undefined ? '' : ` at ${endpoint}`;
  try {
    const me = await sts.send(new GetCallerIdentityCommand({}));
    if (me.Account === undefined) throw new Error('the answer names no account');
    return { account: me.Account, partition: me.Arn?.split(':')[1] ?? 'aws' };
  } catch (e) {
    if (isNoCredentials(e))
      throw new OidcwatchError(
        'ERR_AWS_NO_CREDENTIALS',
        `sts:GetCallerIdentity${where}: ${NO_CREDENTIALS_HELP}`,
        { cause: e }
      );
    throw new OidcwatchError(
      isDenied(e) ? 'ERR_AWS_DENIED' : 'ERR_AWS_UNREACHABLE',
      `sts:GetCallerIdentity${where} failed: ${describeFailure(e)}`,
      { cause: e }
    );
  }
}

/**
 * Reads the caller's account and `accounts` into a snapshot.
 *
 * @throws OidcwatchError `ERR_AWS_DENIED` / `ERR_AWS_UNREACHABLE` when `sts:GetCallerIdentity`
 *   fails (nothing can be read); failures of single accounts are returned in `failures` instead
 *
 * @example
 * ```ts
 * const { snapshot, failures } = await readLiveSnapshot({ iam, sts, accountRole: 'oidcwatch-read', accounts: ['444455556666'] });
 * ```
 */
export async function readLiveSnapshot(options: LiveSnapshotOptions): Promise<LiveSnapshot> {
  const { account: home, partition } = await callerIdentity(options.sts, options.endpoint);
  const accounts: Record<string, SnapshotAccount> = {};
  const failures: AccountReadFailure[] = [];
  try {
    accounts[home] = await readAccountIam(options.iam, home);
  } catch (e) {
    failures.push({ account: home, reason: (e as Error).message });
  }
  const others = [...new Set(options.accounts ?? [])].filter((a) => a !== home);
  if (others.length > 0 && options.accountRole !== undefined) {
    const creds = new AssumedRoleCredentials({
      sts: options.sts,
      roleName: options.accountRole,
      sessionName: 'oidcwatch-snapshot',
      partition,
    });
    const iamWith =
      options.iamWith ??
      ((credentials) =>
        new IAMClient({
          region: 'us-east-1',
          credentials,
          maxAttempts: 3,
          requestHandler: boundedRequestHandler(30_000, 5_000),
        }));
    for (const account of others) {
      try {
        accounts[account] = await readAccountIam(
          iamWith(() => creds.get(account)),
          account
        );
      } catch (e) {
        failures.push({ account, reason: (e as Error).message });
      }
    }
  }
  const sorted = Object.fromEntries(
    Object.entries(accounts).sort(([a], [b]) => a.localeCompare(b))
  );
  return { snapshot: { accounts: sorted }, homeAccount: home, failures };
}

/**
 * Reads live IAM with clients built from the command's environment (default credentials,
 * `AWS_ENDPOINT_URL` honoured).
 */
export async function readLiveSnapshotFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  accounts: {
    readonly accountRole?: string | undefined;
    readonly accounts?: readonly string[] | undefined;
  } = {}
): Promise<LiveSnapshot> {
  const iamConfig: AwsClientConfig = clientConfigFromEnv(env, 'IAM');
  const iam = new IAMClient(iamConfig);
  const sts = new STSClient(clientConfigFromEnv(env, 'STS'));
  const others: IAMClient[] = [];
  try {
    return await readLiveSnapshot({
      iam,
      sts,
      accountRole: accounts.accountRole,
      accounts: accounts.accounts,
      endpoint: iamConfig.endpoint,
      iamWith: (credentials) => {
        const { credentials: _own, ...rest } = iamConfig;
        const client = new IAMClient({ ...rest, credentials });
        others.push(client);
        return client;
      },
    });
  } finally {
    for (const client of [iam, sts, ...others]) client.destroy();
  }
}
