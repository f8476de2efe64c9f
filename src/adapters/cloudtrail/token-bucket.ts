/**
 * A token bucket per account and Region for CloudTrail `LookupEvents`, whose quota is 2 requests
 * per second per account and Region. Every request, retries included, takes a token first.
 */
import type { Clock } from '../clock.js';

/** Options of `TokenBucket`. */
export interface TokenBucketOptions {
  /** Tokens added per second. @default 2 */
  readonly ratePerSecond?: number;
  /**
   * Tokens the bucket holds. With 1, requests are spaced by `1 / rate` seconds, so no window of
   * one second ever holds more than `rate` requests. @default 1
   */
  readonly capacity?: number;
  readonly clock: Clock;
}

/**
 * A token bucket (as a virtual schedule: each take reserves the next free slot synchronously, so
 * concurrent takers never share one token).
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket({ ratePerSecond: 2, clock: systemClock });
 * await bucket.take(signal); // then send one request
 * ```
 */
export class TokenBucket {
  readonly #intervalMs: number;
  readonly #burstMs: number;
  readonly #clock: Clock;
  /** The time at which the bucket would be full again (GCRA's theoretical arrival time). */
  #full = Number.NEGATIVE_INFINITY;

  constructor(options: TokenBucketOptions) {
    const rate = options.ratePerSecond ?? 2;
    const capacity = options.capacity ?? 1;
    if (!(rate > 0) || !(capacity >= 1))
      throw new RangeError('a token bucket needs a positive rate and a capacity of at least 1');
    this.#intervalMs = 1000 / rate;
    this.#burstMs = (capacity - 1) * this.#intervalMs;
    this.#clock = options.clock;
  }

  /** Waits for a token. Rejects when `signal` aborts while waiting. */
  async take(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const now = this.#clock.now();
    const start = Math.max(now, this.#full - this.#burstMs);
    this.#full = Math.max(this.#full, now) + this.#intervalMs;
    if (start > now) await this.#clock.sleep(start - now, signal);
  }
}
