/**
 * Remembers recently processed CloudTrail `eventID`s so that a redelivered event (EventBridge,
 * Lambda async retries and SQS redrive are all at-least-once) is not counted twice within this
 * function instance's lifetime. Bounded: the oldest ids are forgotten first.
 */

/** A bounded set of event ids, oldest evicted first. */
export class SeenEvents {
  readonly #ids = new Set<string>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Records `id`; returns `true` when it was already seen (a duplicate). */
  checkAndRecord(id: string): boolean {
    if (this.#ids.has(id)) return true;
    this.#ids.add(id);
    if (this.#ids.size > this.#capacity)
      this.#ids.delete(this.#ids.values().next().value as string);
    return false;
  }

  /** Forgets `id` (its processing failed, so a retry must not be skipped). */
  forget(id: string): void {
    this.#ids.delete(id);
  }

  /** Ids held. */
  get size(): number {
    return this.#ids.size;
  }
}
