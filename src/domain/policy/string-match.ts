/**
 * IAM string matching: `StringLike` globs and the special policy characters.
 *
 * In a policy of Version `2012-10-17`, `${*}`, `${?}` and `${$}` stand for a literal `*`, `?` and
 * `$` ({@link https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-specialchars | special characters}).
 */

/**
 * A compiled glob: the fixed-width segments between `*`s. In a segment, `null` is `?` (any one
 * character), a string is one literal character.
 */
interface Glob {
  readonly segments: readonly (readonly (string | null)[])[];
  readonly wildcard: boolean;
}

const cache = new Map<string, Glob>();
const CACHE_LIMIT = 10_000;

function compileGlob(pattern: string, variables: boolean): Glob {
  const cacheKey = (variables ? '1' : '0') + pattern;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  const segments: (string | null)[][] = [[]];
  let wildcard = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    const current = segments[segments.length - 1] as (string | null)[];
    if (variables && c === '$' && pattern[i + 1] === '{' && pattern[i + 3] === '}') {
      const inner = pattern[i + 2] as string;
      if (inner === '*' || inner === '?' || inner === '$') {
        current.push(inner);
        i += 3;
        continue;
      }
    }
    if (c === '*') {
      wildcard = true;
      segments.push([]);
    } else if (c === '?') {
      wildcard = true;
      current.push(null);
    } else {
      current.push(c);
    }
  }
  const glob: Glob = {
    segments,
    wildcard,
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, glob);
  return glob;
}

function segmentAt(segment: readonly (string | null)[], value: string, at: number): boolean {
  if (at + segment.length > value.length) return false;
  for (let i = 0; i < segment.length; i++) {
    const s = segment[i];
    if (s !== null && s !== value[at + i]) return false;
  }
  return true;
}

/**
 * `StringLike` semantics: `*` matches any run of characters (including none, and across `:` and
 * `/`), `?` exactly one. Case-sensitive. Linear in the value for each segment: segments between
 * stars are fixed-width, so the leftmost placement of each is always a valid choice.
 *
 * @param variables - `true` when the policy's Version enables policy variables (`2012-10-17`),
 *   so that `${*}`, `${?}` and `${$}` are literal characters.
 */
export function globMatches(pattern: string, value: string, variables = true): boolean {
  const { segments } = compileGlob(pattern, variables);
  const first = segments[0] as readonly (string | null)[];
  if (segments.length === 1) return first.length === value.length && segmentAt(first, value, 0);
  const last = segments[segments.length - 1] as readonly (string | null)[];
  if (first.length + last.length > value.length) return false;
  if (!segmentAt(first, value, 0)) return false;
  const end = value.length - last.length;
  if (!segmentAt(last, value, end)) return false;
  let pos = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const seg = segments[s] as readonly (string | null)[];
    let found = -1;
    for (let at = pos; at + seg.length <= end; at++) {
      if (segmentAt(seg, value, at)) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    pos = found + seg.length;
  }
  return true;
}

/**
 * The literal a `StringEquals` value stands for: with policy variables on, `${*}` → `*`,
 * `${?}` → `?`, `${$}` → `$`; everything else, `*` included, is literal.
 */
export function literalValue(pattern: string, variables = true): string {
  if (!variables || !pattern.includes('${')) return pattern;
  return pattern.replace(/\$\{([*?$])\}/g, '$1');
}

/** `true` when the value has a `*` or `?` that `StringLike` would treat as a wildcard. */
export function hasWildcard(pattern: string, variables = true): boolean {
  return compileGlob(pattern, variables).wildcard;
}
