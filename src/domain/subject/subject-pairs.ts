/**
 * The `key:value` grammar most issuers build their subjects with (GitHub, GitLab, Terraform Cloud,
 * Buildkite): segments joined by `:`, a `:` inside a value escaped as `%3A`.
 */
import type { SubjectPair } from '../types.js';

/** Keys are claim names: letters, digits, `_`, `-` and `.` (GitHub `repo_property_*` names included). */
const KEY = /^[\w.-]+$/;
const ESCAPED_COLON = /%3A/gi;

/** The pairs of a subject, and whether the whole string followed the grammar. */
interface PairSplit {
  /** The segments in order; values have `%3A` decoded. */
  readonly pairs: readonly SubjectPair[];
  /** `false` when a key is empty or not a claim name, or a key that needs a value has none. */
  readonly complete: boolean;
}

/**
 * Decodes the one escape GitHub applies to subject values (`:` → `%3A`).
 *
 * @param value - a value as it appears in `sub`
 * @returns the claim value
 *
 * @example
 * ```ts
 * decodeSubjectValue('Production%3AV1'); // 'Production:V1'
 * ```
 */
function decodeSubjectValue(value: string): string {
  return value.replace(ESCAPED_COLON, ':');
}

/**
 * Splits a subject into `key:value` pairs. A key listed in `bareKeys` (GitHub's `pull_request`)
 * takes no value; every other key takes the next segment, which may be empty (`head_ref:` on a
 * push). Never throws.
 *
 * @param sub - the subject as recorded
 * @param bareKeys - keys that stand alone
 * @returns the pairs, and whether the string followed the grammar to its end
 *
 * @example
 * ```ts
 * splitSubjectPairs('repo:o/r:pull_request', new Set(['pull_request']));
 * // { pairs: [{ key: 'repo', value: 'o/r' }, { key: 'pull_request', value: null }], complete: true }
 * ```
 */
function splitSubjectPairs(sub: string, bareKeys: ReadonlySet<string>): PairSplit {
  const segments = sub.split(':').values();
  const pairs: SubjectPair[] = [];
  let complete = sub !== '';
  for (const key of segments) {
    if (!KEY.test(key)) complete = false;
    if (bareKeys.has(key)) {
      pairs.push({ key, value: null });
      continue;
    }
    // The value is the next segment: the same iterator, so the loop resumes after it.
    const value = segments.next();
    if (value.done === true) {
      complete = false;
      pairs.push({ key, value: null });
    } else {
      pairs.push({ key, value: decodeSubjectValue(value.value) });
    }
  }
  return { pairs, complete };
}

export type { PairSplit };
export { decodeSubjectValue, splitSubjectPairs };
