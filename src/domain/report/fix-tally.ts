/**
 * Tallies the fixes of a set of failures, keeping for each the explanation of its earliest
 * occurrence, so the "top fix" of a repository or cause does not depend on input order.
 */
import type { Cause } from '../causes.js';
import type { Remedy } from '../remedy/remedy-types.js';

/** The earliest occurrence of a fix (or of any failure). */
interface Occurrence {
  readonly ms: number;
  readonly explanation: string;
  readonly cause: Cause;
  readonly detail: string | null;
  /** The remedy the failure carried (`null`: none). */
  readonly remedy: Remedy | null;
}

interface FixEntry {
  count: number;
  earliest: Occurrence;
}

/** The most frequent fix of a tally. */
export interface TopFix {
  readonly fix: string;
  readonly count: number;
  readonly explanation: string;
  readonly cause: Cause;
  readonly detail: string | null;
  /** The remedy of the fix's earliest occurrence, `null` when it carried none. */
  readonly remedy: Remedy | null;
}

/** Earlier time first; records without a time come last; ties go to the smaller text. */
function earlier(a: Occurrence, b: Occurrence): boolean {
  if (a.ms !== b.ms) {
    return a.ms < b.ms;
  }
  return a.explanation < b.explanation;
}

/**
 * Counts fixes by text, keeping at most about `2 × limit` distinct fixes: past that the least
 * frequent half is dropped (the most frequent fix, the one reported, survives).
 *
 * @example
 * ```ts
 * const tally = new FixTally();
 * tally.add(d.fix, d.explanation, d.cause, d.detail, eventTimeMs(d.eventTime));
 * tally.top()?.fix;
 * ```
 */
export class FixTally {
  readonly #fixes = new Map<string, FixEntry>();
  readonly #limit: number;
  #earliest: Occurrence | null = null;

  /** @param limit - distinct fixes kept (see the class). */
  constructor(limit = 10) {
    this.#limit = Math.max(1, limit);
  }

  /** Adds one failure; `ms` is its event time, `null` when unknown; `remedy` the fix as data. */
  add(
    fix: string | null,
    explanation: string,
    cause: Cause,
    detail: string | null,
    ms: number | null,
    remedy: Remedy | null = null
  ): void {
    const occurrence: Occurrence = {
      ms: ms ?? Number.POSITIVE_INFINITY,
      explanation,
      cause,
      detail,
      remedy,
    };
    if (this.#earliest === null || earlier(occurrence, this.#earliest)) {
      this.#earliest = occurrence;
    }
    if (fix === null || fix.length === 0) {
      return;
    }
    const entry = this.#fixes.get(fix);
    if (entry === undefined) {
      if (this.#fixes.size >= 2 * this.#limit) this.#prune();
      this.#fixes.set(fix, { count: 1, earliest: occurrence });
      return;
    }
    entry.count += 1;
    if (earlier(occurrence, entry.earliest)) {
      entry.earliest = occurrence;
    }
  }

  #prune(): void {
    const kept = [...this.#fixes]
      .sort(([fa, a], [fb, b]) => b.count - a.count || (fa < fb ? -1 : fa > fb ? 1 : 0))
      .slice(this.#limit);
    for (const [fix] of kept) this.#fixes.delete(fix);
  }

  /** The most frequent fix (ties: the smaller text), or `null` when no failure carried one. */
  top(): TopFix | null {
    let best: [string, FixEntry] | null = null;
    for (const candidate of this.#fixes) {
      if (
        best === null ||
        candidate[1].count > best[1].count ||
        (candidate[1].count === best[1].count && candidate[0] < best[0])
      ) {
        best = candidate;
      }
    }
    if (best === null) {
      return null;
    }
    const [fix, { count, earliest }] = best;
    return {
      fix,
      count,
      explanation: earliest.explanation,
      cause: earliest.cause,
      detail: earliest.detail,
      remedy: earliest.remedy,
    };
  }

  /** The explanation of the top fix, else of the earliest failure; `''` when empty. */
  explanation(): string {
    return this.top()?.explanation ?? this.#earliest?.explanation ?? '';
  }
}
