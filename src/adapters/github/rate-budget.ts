/**
 * A per-installation budget of GitHub API calls, so the annotator never spends more than its share
 * of an installation's hourly allowance (GitHub gives an installation at least 5,000 requests an
 * hour, shared by everything that installation does), and stops early when GitHub's own headers
 * say the allowance is nearly gone.
 *
 * Each key (an installation id, `token` or `app`) has a token bucket holding up to `callsPerHour`
 * calls and refilled at `callsPerHour` an hour. Independently, an answer whose
 * `x-ratelimit-remaining` falls to `reserve` of its `x-ratelimit-limit` or below blocks the key
 * until `x-ratelimit-reset`, and a rate-limited answer blocks it for the time GitHub asked.
 * {@link https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api | Rate limits}
 */

/** Options of {@link RateBudgets}. */
export interface RateBudgetOptions {
  /** Calls per key and hour. @default 1000 */
  readonly callsPerHour?: number;
  /** Share of GitHub's own limit left untouched (0–1). @default 0.1 */
  readonly reserve?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  blockedUntil: number;
}

type Headers = Readonly<Record<string, string | number | undefined>>;

const HOUR_MS = 3_600_000;

/**
 * Budgets of API calls, one per key.
 *
 * @example
 * ```ts
 * const budgets = new RateBudgets({ callsPerHour: 1000 });
 * const wait = budgets.take('12345678'); // 0: go ahead; else ms to wait
 * ```
 */
export class RateBudgets {
  readonly #buckets = new Map<string, Bucket>();
  readonly #capacity: number;
  readonly #reserve: number;
  readonly #now: () => number;

  constructor(options: RateBudgetOptions = {}) {
    this.#capacity = options.callsPerHour ?? 1000;
    this.#reserve = options.reserve ?? 0.1;
    this.#now = options.now ?? Date.now;
  }

  #bucket(key: string): Bucket {
    const now = this.#now();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      b = { tokens: this.#capacity, updatedAt: now, blockedUntil: 0 };
      this.#buckets.set(key, b);
      return b;
    }
    const refill = ((now - b.updatedAt) * this.#capacity) / HOUR_MS;
    b.tokens = Math.min(this.#capacity, b.tokens + refill);
    b.updatedAt = now;
    return b;
  }

  /**
   * Takes one call from `key`'s budget.
   *
   * @returns 0 when the call may go ahead (and is counted), else how long to wait, ms
   */
  take(key: string): number {
    const b = this.#bucket(key);
    const now = this.#now();
    if (b.blockedUntil > now) return b.blockedUntil - now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * HOUR_MS) / this.#capacity);
  }

  /** Reads the rate-limit headers of an answer for `key`. */
  observe(key: string, headers: Headers | undefined): void {
    const limit = Number(headers?.['x-ratelimit-limit']);
    const remaining = Number(headers?.['x-ratelimit-remaining']);
    const reset = Number(headers?.['x-ratelimit-reset']);
    if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    if (limit > 0 && remaining <= limit * this.#reserve) this.block(key, reset * 1000 + 1000);
  }

  /** Blocks `key` until `untilMs` (epoch ms), e.g. after a rate-limited answer. */
  block(key: string, untilMs: number): void {
    const b = this.#bucket(key);
    b.blockedUntil = Math.max(b.blockedUntil, untilMs);
  }

  /** Calls `key` may still make now (whole calls). */
  available(key: string): number {
    const b = this.#bucket(key);
    return b.blockedUntil > this.#now() ? 0 : Math.floor(b.tokens);
  }
}
