/**
 * Bounded building blocks of the report: the summary of a 2 GB export must fit the same memory as
 * that of a 2 MB one. Each structure holds at most a configured number of entries; past that it
 * keeps the largest and counts the rest, and says that its figures are estimates.
 */

/** Registers of the HyperLogLog sketch: 2^12, about 1.6 % standard error, 4 KiB. */
const HLL_BITS = 12;
const HLL_SIZE = 1 << HLL_BITS;
/** Distinct values counted exactly before the counter switches to the sketch. */
const EXACT_LIMIT = 1000;

/** 32-bit FNV-1a of a string, then a murmur3 finaliser so every bit is mixed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Counts distinct strings: exactly up to {@link EXACT_LIMIT}, then with a HyperLogLog sketch of
 * fixed size (then {@link DistinctCounter.exact} is `false`).
 *
 * @example
 * ```ts
 * const repos = new DistinctCounter();
 * repos.add('acme/api');
 * repos.count; // 1
 * ```
 */
export class DistinctCounter {
  #set: Set<string> | null = new Set();
  #registers: Uint8Array | null = null;

  add(value: string): void {
    if (this.#set !== null) {
      this.#set.add(value);
      if (this.#set.size <= EXACT_LIMIT) return;
      this.#registers = new Uint8Array(HLL_SIZE);
      for (const v of this.#set) this.#addHashed(v);
      this.#set = null;
      return;
    }
    this.#addHashed(value);
  }

  #addHashed(value: string): void {
    const h = hash32(value);
    const index = h >>> (32 - HLL_BITS);
    const rest = (h << HLL_BITS) >>> 0;
    const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
    const registers = this.#registers as Uint8Array;
    if (rank > (registers[index] as number)) registers[index] = rank;
  }

  /** `false` once the count is an estimate. */
  get exact(): boolean {
    return this.#set !== null;
  }

  /** The number of distinct values added (an estimate once {@link exact} is `false`). */
  get count(): number {
    if (this.#set !== null) return this.#set.size;
    const registers = this.#registers as Uint8Array;
    let sum = 0;
    let zeros = 0;
    for (const r of registers) {
      sum += 2 ** -r;
      if (r === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / HLL_SIZE);
    const raw = (alpha * HLL_SIZE * HLL_SIZE) / sum;
    const estimate =
      raw <= 2.5 * HLL_SIZE && zeros > 0 ? HLL_SIZE * Math.log(HLL_SIZE / zeros) : raw;
    return Math.round(estimate);
  }
}

/**
 * A map of at most `limit` keys (well, `2 × limit` between prunings): when full, the half with the
 * smallest weight is dropped at once (amortised O(log n) per key), and their weights are summed in
 * {@link BoundedMap.dropped}. The largest keys survive, as in the Space-Saving family of top-k
 * sketches; a key dropped and seen again starts over, so its count may be an under-estimate.
 *
 * @example
 * ```ts
 * const repos = new BoundedMap<RepositoryState>(2000, (s) => s.failures);
 * repos.getOrCreate('acme/api', () => newState()).failures += 1;
 * ```
 */
export class BoundedMap<V> {
  readonly #map = new Map<string, V>();
  readonly #limit: number;
  readonly #weight: (v: V) => number;
  /** Keys dropped so far. */
  droppedKeys = 0;
  /** Summed weight of the dropped keys. */
  dropped = 0;

  constructor(limit: number, weight: (v: V) => number) {
    this.#limit = Math.max(1, limit);
    this.#weight = weight;
  }

  get(key: string): V | undefined {
    return this.#map.get(key);
  }

  /** The value of `key`, created when absent (pruning first when the map is full). */
  getOrCreate(key: string, create: () => V): V {
    let value = this.#map.get(key);
    if (value === undefined) {
      if (this.#map.size >= 2 * this.#limit) this.#prune();
      value = create();
      this.#map.set(key, value);
    }
    return value;
  }

  #prune(): void {
    const entries = [...this.#map].sort(
      ([ka, a], [kb, b]) => this.#weight(b) - this.#weight(a) || (ka < kb ? -1 : ka > kb ? 1 : 0)
    );
    for (const [key, value] of entries.slice(this.#limit)) {
      this.#map.delete(key);
      this.droppedKeys += 1;
      this.dropped += this.#weight(value);
    }
  }

  /** `false` once a key was dropped. */
  get exact(): boolean {
    return this.droppedKeys === 0;
  }

  get size(): number {
    return this.#map.size;
  }

  entries(): IterableIterator<[string, V]> {
    return this.#map.entries();
  }

  values(): IterableIterator<V> {
    return this.#map.values();
  }
}

/**
 * Up to `limit` names (the first seen), and how many distinct names there were in all.
 *
 * @example
 * ```ts
 * const roles = new NameSample(100);
 * roles.add('arn:aws:iam::111122223333:role/deploy');
 * roles.names(); // sorted
 * ```
 */
export class NameSample {
  readonly #names = new Set<string>();
  readonly #all = new DistinctCounter();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(name: string): void {
    this.#all.add(name);
    if (this.#names.size < this.#limit) this.#names.add(name);
  }

  /** The names kept, in code-point order. */
  names(): string[] {
    return [...this.#names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Distinct names added (an estimate past 1,000). */
  get count(): number {
    return Math.max(this.#all.count, this.#names.size);
  }

  /** `false` when names were left out or the count is an estimate. */
  get exact(): boolean {
    return this.#all.exact && this.#all.count === this.#names.size;
  }
}
