/**
 * `IamReader` over the IAM API: `GetRole`, `ListRoles` (the per-account index of roles and their
 * trust policies), `ListOpenIDConnectProviders` + `GetOpenIDConnectProvider`. Every read is cached
 * and coalesced (see `TtlCache`), so a burst of thousands of failures makes one `GetRole` per role;
 * a throttled refresh serves the last value, marked stale. IAM's read quota is account-wide and
 * shared with everything else in the account, so this matters more than latency.
 */
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  type IAMClient,
  ListOpenIDConnectProvidersCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { inferAccountOwners, trustsProvider } from '../../domain/policy/trusted-providers.js';
import type { OidcProviderInfo, RoleInfo } from '../../domain/types.js';
import type { IamCacheControl, IamLookup, IamReader } from '../../ports.js';
import { isNoAnswer } from '../aws-client-config.js';
import { checkProvider, checkRole } from './iam-response.js';
import { type CacheResult, TtlCache, type TtlPolicy } from './ttl-cache.js';
import { IamUnreachableError, UnreachableMemory } from './unreachable-memory.js';

/** Cache lifetimes (defaults: README, "Metrics and logs"). */
export interface IamCachePolicy {
  /** `GetRole` results. @default 10 min */
  readonly roleTtlMs: number;
  /** "Role does not exist". @default 2 min */
  readonly negativeTtlMs: number;
  /** Providers and the per-account role index. @default 15 min */
  readonly accountTtlMs: number;
  /** How long an expired value may be served while IAM throttles. @default 1 h */
  readonly maxStaleMs: number;
}

/** Default cache lifetimes. */
export const DEFAULT_IAM_CACHE_POLICY: IamCachePolicy = {
  roleTtlMs: 10 * 60_000,
  negativeTtlMs: 2 * 60_000,
  accountTtlMs: 15 * 60_000,
  maxStaleMs: 60 * 60_000,
};

/** Options of `IamApiReader`. */
export interface IamApiReaderOptions {
  /** The IAM client for an account (the home client, or one with assumed credentials). */
  readonly clientFor: (account: string) => Promise<IAMClient>;
  readonly cache?: Partial<IamCachePolicy>;
  /** @default Date.now */
  readonly now?: () => number;
  /**
   * Which accounts' IAM did not answer lately: their reads fail at once for a while.
   * @default one that remembers for 30 s
   */
  readonly unreachable?: UnreachableMemory;
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

/** `true` for IAM's throttling errors (`Throttling: Rate exceeded`). */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return THROTTLING.has(e?.name ?? '') || e?.$metadata?.httpStatusCode === 429;
}

function isNoSuchEntity(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  return name === 'NoSuchEntity' || name === 'NoSuchEntityException';
}

/** An error in words, for `ENRICHMENT_FAILED` details. */
export function describeAwsError(error: unknown): string {
  const e = error as { name?: string; message?: string };
  const name = e?.name ?? 'Error';
  const message = e?.message ?? String(error);
  return message.startsWith(name) ? message : `${name}: ${message}`;
}

/** The role name of an ARN (`GetRole` takes the name; the path is not part of it). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

function decodePolicy(document: string | undefined): string {
  if (document === undefined) return '';
  try {
    return decodeURIComponent(document);
  } catch {
    return document;
  }
}

function toLookup<T>(r: CacheResult<T>, what: string): IamLookup<T> {
  return r.ok
    ? { ok: true, value: r.value, stale: r.stale }
    : { ok: false, reason: `${what}: ${describeAwsError(r.error)}` };
}

/**
 * Reads IAM through the API, cached and coalesced.
 *
 * @example
 * ```ts
 * const iam = new IAMClient({ maxAttempts: 3 });
 * const reader = new IamApiReader({ clientFor: async () => iam });
 * const role = await reader.getRole('111122223333', 'arn:aws:iam::111122223333:role/deploy');
 * ```
 */
export class IamApiReader implements IamReader, IamCacheControl {
  readonly source = 'iam' as const;
  readonly #clientFor: (account: string) => Promise<IAMClient>;
  readonly #roles: TtlCache<RoleInfo | null>;
  readonly #providers: TtlCache<readonly OidcProviderInfo[]>;
  readonly #index: TtlCache<readonly RoleInfo[]>;
  readonly #unreachable: UnreachableMemory;

  constructor(options: IamApiReaderOptions) {
    const p = { ...DEFAULT_IAM_CACHE_POLICY, ...options.cache };
    const now = options.now ?? Date.now;
    this.#unreachable = options.unreachable ?? new UnreachableMemory({ now });
    // A throttled or unanswered refresh serves the last value, marked stale.
    const canServeStale = (e: unknown) =>
      isThrottling(e) || isNoAnswer(e) || e instanceof IamUnreachableError;
    const base = { now, canServeStale };
    const account: TtlPolicy = {
      ttlMs: p.accountTtlMs,
      negativeTtlMs: p.accountTtlMs,
      maxStaleMs: p.maxStaleMs,
    };
    this.#clientFor = options.clientFor;
    this.#roles = new TtlCache<RoleInfo | null>({
      ...base,
      policy: { ttlMs: p.roleTtlMs, negativeTtlMs: p.negativeTtlMs, maxStaleMs: p.maxStaleMs },
      isNegative: (v) => v === null,
    });
    this.#providers = new TtlCache({ ...base, policy: account, maxEntries: 1000 });
    this.#index = new TtlCache({ ...base, policy: account, maxEntries: 200 });
  }

  /** IAM requests made so far, by kind (for the burst benchmark and tests). */
  get loads(): { roles: number; providers: number; index: number } {
    return { roles: this.#roles.loads, providers: this.#providers.loads, index: this.#index.loads };
  }

  /**
   * What the cache holds for a role, fresh or not, without calling IAM: from `GetRole`, else from
   * the account's role index, whichever was loaded last. `value` is `null` when IAM said the role
   * does not exist; `undefined` when nothing is cached.
   */
  peekRole(
    account: string,
    roleName: string
  ): { value: RoleInfo | null; loadedAtMs: number } | undefined {
    const name = roleName.toLowerCase();
    const direct = this.#roles.peekWhere(
      (k) => k.startsWith(`${account} `) && roleNameOf(k).toLowerCase() === name
    );
    const index = this.#index.peekWhere((k) => k === account);
    const listed = index?.value.find((r) => roleNameOf(r.arn).toLowerCase() === name);
    const fromIndex =
      index === undefined ? undefined : { value: listed ?? null, loadedAtMs: index.loadedAt };
    if (direct === undefined) return fromIndex;
    if (fromIndex !== undefined && fromIndex.loadedAtMs > direct.loadedAt) return fromIndex;
    return { value: direct.value, loadedAtMs: direct.loadedAt };
  }

  /** What the cache holds for an account's OIDC providers, without calling IAM. */
  peekProviders(
    account: string
  ): { value: readonly OidcProviderInfo[]; loadedAtMs: number } | undefined {
    const hit = this.#providers.peekWhere((k) => k === account);
    return hit === undefined ? undefined : { value: hit.value, loadedAtMs: hit.loadedAt };
  }

  /** Forgets one role at once (its trust policy changed, or it was created or deleted). */
  invalidateRole(account: string, roleName: string): void {
    const name = roleName.toLowerCase();
    this.#roles.invalidateWhere(
      (k) => k.startsWith(`${account} `) && roleNameOf(k).toLowerCase() === name
    );
    this.#index.invalidate(account);
  }

  /** Forgets an account's providers at once (one was created, deleted or changed). */
  invalidateProviders(account: string): void {
    this.#providers.invalidate(account);
  }

  async getRole(account: string, roleArn: string): Promise<IamLookup<RoleInfo | null>> {
    const r = await this.#roles.get(`${account} ${roleArn}`, () =>
      this.#unreachable.guard(account, async () => {
        const client = await this.#clientFor(account);
        try {
          const out = await client.send(new GetRoleCommand({ RoleName: roleNameOf(roleArn) }));
          checkRole(`iam:GetRole ${roleNameOf(roleArn)} in ${account}`, account, out.Role);
          return {
            arn: out.Role?.Arn ?? roleArn,
            trustPolicy: decodePolicy(out.Role?.AssumeRolePolicyDocument),
            maxSessionDuration: out.Role?.MaxSessionDuration,
          };
        } catch (e) {
          if (isNoSuchEntity(e)) return null;
          throw e;
        }
      })
    );
    return toLookup(r, `iam:GetRole ${roleNameOf(roleArn)} in ${account}`);
  }

  async listOidcProviders(account: string): Promise<IamLookup<readonly OidcProviderInfo[]>> {
    const r = await this.#providers.get(account, () =>
      this.#unreachable.guard(account, async () => {
        const client = await this.#clientFor(account);
        const list = await client.send(new ListOpenIDConnectProvidersCommand({}));
        const arns = (list.OpenIDConnectProviderList ?? [])
          .map((p) => p.Arn)
          .filter((a): a is string => a !== undefined);
        return Promise.all(
          arns.map(async (arn) => {
            const p = await client.send(
              new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })
            );
            checkProvider(`iam:GetOpenIDConnectProvider in ${account}`, account, arn, p);
            const url = (p.Url ?? arn.slice(arn.indexOf(':oidc-provider/') + 15))
              .replace(/^https?:\/\//, '')
              .replace(/\/$/, '');
            return {
              arn,
              url,
              clientIds: p.ClientIDList ?? [],
              thumbprints: p.ThumbprintList ?? [],
            };
          })
        );
      })
    );
    return toLookup(r, `listing OIDC providers of ${account}`);
  }

  async #accountRoles(account: string): Promise<CacheResult<readonly RoleInfo[]>> {
    return this.#index.get(account, () =>
      this.#unreachable.guard(account, async () => {
        const client = await this.#clientFor(account);
        const roles: RoleInfo[] = [];
        for await (const page of paginateListRoles({ client, pageSize: 1000 }, {}))
          for (const role of page.Roles ?? [])
            if (role.Arn !== undefined) {
              checkRole(`iam:ListRoles in ${account}`, account, role);
              roles.push({
                arn: role.Arn,
                trustPolicy: decodePolicy(role.AssumeRolePolicyDocument),
                maxSessionDuration: role.MaxSessionDuration,
              });
            }
        return roles;
      })
    );
  }

  async listRolesTrustingProvider(
    account: string,
    providerArn: string
  ): Promise<IamLookup<readonly RoleInfo[]>> {
    const r = await this.#accountRoles(account);
    if (!r.ok) return toLookup(r, `iam:ListRoles in ${account}`);
    return {
      ok: true,
      value: r.value.filter((role) => trustsProvider(role, providerArn)),
      stale: r.stale,
    };
  }

  async inferOwners(account: string): Promise<IamLookup<readonly string[]>> {
    const r = await this.#accountRoles(account);
    if (!r.ok) return toLookup(r, `iam:ListRoles in ${account}`);
    return { ok: true, value: inferAccountOwners(r.value), stale: r.stale };
  }
}
