/**
 * A short memory of "IAM did not answer" per account: after a timeout or a connection failure,
 * further reads of that account fail at once for a while instead of each waiting out its own
 * timeout, so a burst of failures from one account never queues behind a dead endpoint.
 */

import { isNoAnswer } from '../aws-client-config.js';

/** The error a read fails with while its account is remembered as unreachable. */
export class IamUnreachableError extends Error {
  override readonly name = 'IamUnreachable';
}

/** Options of {@link UnreachableMemory}. */
export interface UnreachableMemoryOptions {
  /** How long an account is remembered as unreachable. @default 30 s */
  readonly forMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Remembers, per account, the last time IAM did not answer.
 *
 * @example
 * ```ts
 * const memory = new UnreachableMemory({ forMs: 30_000 });
 * const out = await memory.guard(account, () => client.send(new GetRoleCommand(input)));
 * ```
 */
export class UnreachableMemory {
  readonly #forMs: number;
  readonly #now: () => number;
  readonly #down = new Map<string, { since: number; why: string }>();

  constructor(options: UnreachableMemoryOptions = {}) {
    this.#forMs = options.forMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Runs `request` for `account`, or fails at once with {@link IamUnreachableError} while the
   * account is remembered as unreachable. A request that gets no answer starts the memory.
   */
  async guard<T>(account: string, request: () => Promise<T>): Promise<T> {
    const down = this.#down.get(account);
    const now = this.#now();
    if (down !== undefined) {
      if (now - down.since < this.#forMs) {
        const ago = Math.round((now - down.since) / 1000);
        throw new IamUnreachableError(
          `IAM of ${account} did not answer ${ago} s ago (${down.why}); not asked again for ${Math.round(this.#forMs / 1000)} s`
        );
      }
      this.#down.delete(account);
    }
    try {
      return await request();
    } catch (error) {
      if (isNoAnswer(error)) {
        const e = error as { name?: string; message?: string };
        if (this.#down.size >= 10_000) this.#down.clear();
        this.#down.set(account, {
          since: this.#now(),
          why: `${e.name ?? 'Error'}: ${e.message ?? ''}`.slice(0, 200),
        });
      }
      throw error;
    }
  }
}
