/**
 * Time as a dependency: rate limiters, backoff and progress read the time and wait through a
 * `Clock`, so tests drive hours of paging with a virtual clock instead of sleeping.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** The time source and the way to wait. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The process's clock (`Date.now`, `setTimeout`).
 *
 * @example
 * ```ts
 * await systemClock.sleep(500, controller.signal);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(Math.max(0, ms), undefined, signal === undefined ? {} : { signal });
  },
};
