/**
 * `ChangeStore` in memory: the CLI's store (changes read from `--changes` files or CloudTrail's
 * history), and the processor's when no table is configured (then each function instance only
 * knows the changes it processed itself).
 */
import type { ConfigurationChange } from '../../domain/changes/change-types.js';
import { targetKey } from '../../domain/changes/target-keys.js';
import type { ChangeStore, IamLookup } from '../../ports.js';

/** Options of {@link MemoryChangeStore}. */
export interface MemoryChangeStoreOptions {
  /**
   * How long a change is kept after its `eventTime`, ms; `null` keeps everything (history).
   *
   * @default null
   */
  readonly retentionMs?: number | null;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Changes in a `Map` by target key, newest first.
 *
 * @example
 * ```ts
 * const store = new MemoryChangeStore();
 * await store.record(change);
 * (await store.changesOf(targetKey(change.target))).ok; // true
 * ```
 */
export class MemoryChangeStore implements ChangeStore {
  readonly #byTarget = new Map<string, ConfigurationChange[]>();
  readonly #retentionMs: number | null;
  readonly #now: () => number;

  constructor(options: MemoryChangeStoreOptions = {}) {
    this.#retentionMs = options.retentionMs ?? null;
    this.#now = options.now ?? Date.now;
  }

  async record(change: ConfigurationChange): Promise<void> {
    const key = targetKey(change.target);
    const list = (this.#byTarget.get(key) ?? []).filter(
      (c) => c.eventId === null || c.eventId !== change.eventId
    );
    list.push(change);
    list.sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    this.#byTarget.set(key, list);
  }

  async changesOf(key: string): Promise<IamLookup<readonly ConfigurationChange[]>> {
    const list = this.#byTarget.get(key) ?? [];
    if (this.#retentionMs === null) return { ok: true, value: [...list] };
    const oldest = this.#now() - this.#retentionMs;
    const kept = list.filter((c) => Date.parse(c.eventTime) >= oldest);
    this.#byTarget.set(key, kept);
    return { ok: true, value: kept };
  }

  /** Every change held, oldest first. */
  all(): ConfigurationChange[] {
    return [...this.#byTarget.values()]
      .flat()
      .sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  }
}
