/**
 * A small cache for IAM reads under bursts: TTLs (positive and negative), single-flight (concurrent
 * lookups of one key share one request), serve-stale when a refresh fails with throttling, and a
 * bound on entries so a long-lived Lambda's memory stays flat.
 */

/** How long a loaded value is fresh. */
export interface TtlPolicy {
  /** Fresh time of a value, ms. */
  readonly ttlMs: number;
  /** Fresh time of a negative value (`isNegative` true), ms. */
  readonly negativeTtlMs: number;
  /** How long past expiry a value may still be served when a refresh is throttled, ms. */
  readonly maxStaleMs: number;
}

/** What a lookup gave. */
export type CacheResult<V> =
  | { readonly ok: true; readonly value: V; readonly stale: boolean }
  | { readonly ok: false; readonly error: unknown };

interface Entry<V> {
  readonly value: V;
  readonly loadedAt: number;
  readonly freshUntil: number;
}

/** Options of `TtlCache`. */
export interface TtlCacheOptions<V> {
  readonly policy: TtlPolicy;
  /** Entries kept at most; the least recently loaded go first. @default 5000 */
  readonly maxEntries?: number;
  /** Clock, injectable for tests. @default Date.now */
  readonly now?: () => number;
  /** `true` for values cached with the negative TTL (e.g. "role does not exist"). */
  readonly isNegative?: (value: V) => boolean;
  /** `true` when a load error allows serving a stale value (throttling). */
  readonly canServeStale?: (error: unknown) => boolean;
}

/**
 * A TTL cache with single-flight loading.
 *
 * @example
 * ```ts
 * const roles = new TtlCache<RoleInfo | null>({ policy: { ttlMs: 600_000, negativeTtlMs: 60_000, maxStaleMs: 3_600_000 }, isNegative: (v) => v === null });
 * const r = await roles.get('111122223333 deploy', () => fetchRole());
 * ```
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #inFlight = new Map<string, Promise<CacheResult<V>>>();
  readonly #opts: Required<TtlCacheOptions<V>>;
  /** Loads started (one per key per miss, however many callers waited on it). */
  loads = 0;

  constructor(opts: TtlCacheOptions<V>) {
    this.#opts = {
      maxEntries: 5000,
      now: Date.now,
      isNegative: () => false,
      canServeStale: () => false,
      ...opts,
    };
  }

  /** Drops one key (a configuration change makes its value wrong at once). */
  invalidate(key: string): void {
    this.#entries.delete(key);
  }

  /** Drops every key for which `match` is true. */
  invalidateWhere(match: (key: string) => boolean): void {
    for (const key of [...this.#entries.keys()]) if (match(key)) this.#entries.delete(key);
  }

  /**
   * The most recently loaded entry whose key `match`es, fresh or not, without loading anything
   * (what the cache held before a configuration change invalidates it).
   */
  peekWhere(match: (key: string) => boolean): { value: V; loadedAt: number } | undefined {
    let found: Entry<V> | undefined;
    for (const [key, entry] of this.#entries)
      if (match(key) && (found === undefined || entry.loadedAt > found.loadedAt)) found = entry;
    return found === undefined ? undefined : { value: found.value, loadedAt: found.loadedAt };
  }

  /** The value of `key`: fresh from cache, or loaded once for every concurrent caller. */
  get(key: string, load: () => Promise<V>): Promise<CacheResult<V>> {
    const now = this.#opts.now();
    const entry = this.#entries.get(key);
    if (entry !== undefined && now < entry.freshUntil)
      return Promise.resolve({ ok: true, value: entry.value, stale: false });
    const pending = this.#inFlight.get(key);
    if (pending !== undefined) return pending;
    const promise = this.#load(key, load, entry).finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, promise);
    return promise;
  }

  async #load(
    key: string,
    load: () => Promise<V>,
    previous: Entry<V> | undefined
  ): Promise<CacheResult<V>> {
    this.loads++;
    try {
      const value = await load();
      const now = this.#opts.now();
      const ttl = this.#opts.isNegative(value)
        ? this.#opts.policy.negativeTtlMs
        : this.#opts.policy.ttlMs;
      this.#entries.delete(key);
      this.#entries.set(key, { value, loadedAt: now, freshUntil: now + ttl });
      while (this.#entries.size > this.#opts.maxEntries) {
        const oldest = this.#entries.keys().next().value as string;
        this.#entries.delete(oldest);
      }
      return { ok: true, value, stale: false };
    } catch (error) {
      const now = this.#opts.now();
      if (
        previous !== undefined &&
        this.#opts.canServeStale(error) &&
        now - previous.freshUntil <= this.#opts.policy.maxStaleMs
      )
        return { ok: true, value: previous.value, stale: true };
      return { ok: false, error };
    }
  }

  /** Entries held (for tests and the memory bound). */
  get size(): number {
    return this.#entries.size;
  }
}
