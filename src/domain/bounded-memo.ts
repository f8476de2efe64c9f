/**
 * Memoises a pure function of a string. CloudTrail streams repeat the same providers and subjects
 * (a failing job retries a dozen times), so the hot path reads them once. Bounded: when full the
 * memo starts over, so memory stays flat on any input.
 */

/**
 * Wraps `fn` with a memo of at most `limit` entries.
 *
 * @example
 * ```ts
 * const parse = boundedMemo((s: string) => expensive(s), 10_000);
 * ```
 */
export function boundedMemo<V>(fn: (key: string) => V, limit = 10_000): (key: string) => V {
  const memo = new Map<string, V>();
  return (key: string) => {
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const value = fn(key);
    if (memo.size >= limit) memo.clear();
    memo.set(key, value);
    return value;
  };
}
