/**
 * The cache `@octokit/auth-app` keeps installation access tokens in, with our own expiry rule: a
 * token is used until `marginMs` before the `expires_at` GitHub gave it (one hour after it was
 * made), read from the cached value itself, against an injectable clock. The library's default
 * cache keeps tokens for a fixed 59 minutes of wall-clock time, which neither follows GitHub's
 * `expires_at` nor can be tested without waiting.
 *
 * auth-app stores `token|createdAt|expiresAt|…` strings; nothing here logs or exposes them.
 */

/** Options of {@link InstallationTokenCache}. */
export interface InstallationTokenCacheOptions {
  /** A token is no longer handed out this long before it expires, ms. @default 5 minutes */
  readonly marginMs?: number;
  /** Most tokens kept (one per installation and permission set); the oldest go first. @default 1000 */
  readonly maxEntries?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * An auth-app `cache` that honours each token's `expires_at`.
 *
 * @example
 * ```ts
 * const cache = new InstallationTokenCache({ marginMs: 5 * 60_000 });
 * createAppAuth({ appId, privateKey, cache });
 * ```
 */
export class InstallationTokenCache {
  readonly #entries = new Map<string, { value: string; usableUntil: number }>();
  readonly #marginMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: InstallationTokenCacheOptions = {}) {
    this.#marginMs = options.marginMs ?? 5 * 60_000;
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** The cached value for `key`, or `undefined` when absent or too close to expiry. */
  get(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() >= entry.usableUntil) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Stores auth-app's value; one without a readable `expires_at` is not kept. */
  set(key: string, value: string): void {
    const expiresAt = Date.parse(value.split('|')[2] ?? '');
    if (!Number.isFinite(expiresAt)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, usableUntil: expiresAt - this.#marginMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }

  /** Tokens held (expired ones included until next read). */
  get size(): number {
    return this.#entries.size;
  }
}
