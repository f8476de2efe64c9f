/**
 * What one source account can cost the processor: IAM lookups that miss the cache are limited per
 * account by a token bucket (per function instance), so an account failing calls on purpose with
 * ever new role names cannot keep the processor busy reading IAM or crowd out the other accounts.
 * Cached answers are free and never limited: a real burst (one broken policy, a 256-job matrix)
 * reads each role once. Past the budget the record is still diagnosed, from its error code alone
 * (`ENRICHMENT_FAILED`, detail `AccountBudgetDenied`), logged and counted: nothing is dropped.
 * Pages are bounded too, but not here: they come from alarms, one page per alarm transition
 * whatever the number of events.
 */
import type { IamCacheControl, IamLookup, IamReader } from '../ports.js';

/** The bucket of one account. */
interface Bucket {
  tokens: number;
  at: number;
}

/** Options of {@link AccountBudgetReader}. */
export interface AccountBudgetOptions {
  readonly inner: IamReader;
  /** Peeks at the inner reader's cache (a hit costs no budget). */
  readonly cache: Pick<IamCacheControl, 'peekRole' | 'peekProviders'>;
  /** Uncached lookups an account may make at once. @default 100 */
  readonly burst?: number;
  /** Uncached lookups an account regains per minute. @default 100 */
  readonly perMinute?: number;
  readonly now?: () => number;
}

/** The reason of a lookup refused for budget (read by `enrichmentDetail` as `AccountBudgetDenied`). */
export const BUDGET_REASON = 'AccountBudgetDenied: this account used its IAM lookup budget';

/**
 * An `IamReader` that limits the uncached lookups of each account.
 *
 * @example
 * ```ts
 * const reader = new AccountBudgetReader({ inner: iam, cache: iam });
 * ```
 */
export class AccountBudgetReader implements IamReader {
  readonly source: IamReader['source'];
  readonly #o: Required<AccountBudgetOptions>;
  readonly #buckets = new Map<string, Bucket>();

  constructor(options: AccountBudgetOptions) {
    this.#o = { burst: 100, perMinute: 100, now: Date.now, ...options };
    this.source = options.inner.source;
  }

  /** Takes one token from `account`'s bucket; `false` when it is empty. */
  #take(account: string): boolean {
    const now = this.#o.now();
    const b = this.#buckets.get(account) ?? { tokens: this.#o.burst, at: now };
    b.tokens = Math.min(this.#o.burst, b.tokens + ((now - b.at) / 60_000) * this.#o.perMinute);
    b.at = now;
    this.#buckets.set(account, b);
    if (this.#buckets.size > 10_000)
      this.#buckets.delete(this.#buckets.keys().next().value as string);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  #refused<T>(): IamLookup<T> {
    return { ok: false, reason: BUDGET_REASON };
  }

  getRole(account: string, roleArn: string): ReturnType<IamReader['getRole']> {
    const name = roleArn.split('/').at(-1) ?? roleArn;
    if (this.#o.cache.peekRole(account, name) === undefined && !this.#take(account))
      return Promise.resolve(this.#refused());
    return this.#o.inner.getRole(account, roleArn);
  }

  listOidcProviders(account: string): ReturnType<IamReader['listOidcProviders']> {
    if (this.#o.cache.peekProviders(account) === undefined && !this.#take(account))
      return Promise.resolve(this.#refused());
    return this.#o.inner.listOidcProviders(account);
  }

  listRolesTrustingProvider(
    account: string,
    providerArn: string
  ): ReturnType<IamReader['listRolesTrustingProvider']> {
    return this.#o.inner.listRolesTrustingProvider(account, providerArn);
  }

  inferOwners(account: string): ReturnType<IamReader['inferOwners']> {
    return this.#o.inner.inferOwners(account);
  }
}
