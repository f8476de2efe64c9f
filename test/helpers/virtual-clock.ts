/**
 * A virtual clock for code that waits through a `Clock`: `sleep` returns at once in real time
 * and moves virtual time forward to the earliest pending wake-up, so minutes of rate-limited
 * paging run in milliseconds while `now()` still tells what a real run would have seen.
 */
import type { Clock } from '../../src/adapters/clock.js';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/** A `Clock` whose time only moves when someone sleeps. */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  readonly #timers: Timer[] = [];

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  /** Moves time forward by `ms` without anyone sleeping (e.g. work that takes time). */
  advance(ms: number): void {
    this.#now += ms;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = {
        at: this.#now + Math.max(0, ms),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.#timers.indexOf(timer);
        if (i >= 0) this.#timers.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.push(timer);
      // Let every other task run up to its own sleep before time moves on.
      setImmediate(() => this.#fireNext());
    });
  }

  #fireNext(): void {
    if (this.#timers.length === 0) return;
    this.#timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const timer = this.#timers.shift() as Timer;
    this.#now = Math.max(this.#now, timer.at);
    timer.resolve();
  }
}
