/**
 * The durable record of failing jobs already handled, so that a job's retries, a redelivered
 * event and a second function instance post once. A worker claims a failing job's key before it
 * calls GitHub; the claim is held for a while (a worker that dies mid-way does not block the job
 * for ever), then completed with the outcome, or released when the work is given back to be
 * retried.
 */

/** What a claim found. */
export type ClaimResult =
  | { readonly state: 'claimed' }
  /** Handled before: nothing to do. */
  | { readonly state: 'done'; readonly outcome: string }
  /** Another worker holds it until `untilMs`. */
  | { readonly state: 'busy'; readonly untilMs: number };

/** Where claims and outcomes are kept. */
export interface AnnotationStore {
  /** Claims `key` for `holdMs` unless it is done or held by another worker. */
  claim(key: string, holdMs: number): Promise<ClaimResult>;
  /** Marks `key` handled, with its outcome (kept for days). */
  complete(key: string, outcome: string): Promise<void>;
  /** Gives `key` back (its work will be retried). */
  release(key: string): Promise<void>;
}

/** Options of {@link MemoryAnnotationStore}. */
export interface MemoryAnnotationStoreOptions {
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Claims in memory: one process (the CLI, tests).
 *
 * @example
 * ```ts
 * const store = new MemoryAnnotationStore();
 * if ((await store.claim(key, 300_000)).state === 'claimed') { … await store.complete(key, 'posted'); }
 * ```
 */
export class MemoryAnnotationStore implements AnnotationStore {
  readonly #items = new Map<
    string,
    { state: 'claimed' | 'done'; until: number; outcome: string }
  >();
  readonly #now: () => number;

  constructor(options: MemoryAnnotationStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async claim(key: string, holdMs: number): Promise<ClaimResult> {
    const item = this.#items.get(key);
    const now = this.#now();
    if (item?.state === 'done') return { state: 'done', outcome: item.outcome };
    if (item?.state === 'claimed' && item.until > now)
      return { state: 'busy', untilMs: item.until };
    this.#items.set(key, { state: 'claimed', until: now + holdMs, outcome: '' });
    return { state: 'claimed' };
  }

  async complete(key: string, outcome: string): Promise<void> {
    this.#items.set(key, { state: 'done', until: Number.POSITIVE_INFINITY, outcome });
  }

  async release(key: string): Promise<void> {
    if (this.#items.get(key)?.state === 'claimed') this.#items.delete(key);
  }
}
