/**
 * "Did you mean" for a mistyped command or option: the nearest known word by edit distance, when
 * it is near enough to be the one meant.
 */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate nearest `typed`, or `null` when none is within a third of its length (at least 2
 * edits; case is ignored).
 *
 * @example
 * ```ts
 * nearest('--jsno', ['--json', '--trace']); // '--json'
 * ```
 */
export function nearest(typed: string, candidates: readonly string[]): string | null {
  const word = typed.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = distance(word, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== null && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : null;
}

/** ` (did you mean X?)`, or nothing when no candidate is near. */
export function didYouMean(typed: string, candidates: readonly string[]): string {
  const hit = nearest(typed, candidates);
  return hit === null ? '' : ` (did you mean ${hit}?)`;
}
