/**
 * Builds `Subject` values with every field present, so that each grammar states only what its
 * subject proves.
 */
import type { IssuerKind, Subject } from '../types.js';

/** The fields a grammar may fill; the rest default to "not encoded". */
type SubjectFields = Partial<Omit<Subject, 'raw' | 'issuerKind'>>;

/**
 * A subject of `issuerKind` with the given fields and nothing else.
 *
 * @param raw - the subject exactly as recorded
 * @param issuerKind - the issuer the subject belongs to
 * @param fields - what the grammar read from it
 * @returns a complete `Subject`
 *
 * @example
 * ```ts
 * buildSubject('system:serviceaccount:ns:sa', 'eks', { form: 'service-account' });
 * ```
 */
function buildSubject(raw: string, issuerKind: IssuerKind, fields: SubjectFields): Subject {
  return {
    raw,
    issuerKind,
    form: 'unknown',
    pairs: [],
    repository: null,
    owner: null,
    ownerId: null,
    repositoryId: null,
    immutable: false,
    ref: null,
    environment: null,
    claims: {},
    ...fields,
  };
}

/**
 * A subject whose grammar was not recognised: `form: 'unknown'`, no pairs, no claims.
 *
 * @param raw - the subject exactly as recorded
 * @param issuerKind - the issuer it came from (`other` when that is not known either)
 * @returns the unknown subject
 *
 * @example
 * ```ts
 * unknownSubject('hello', 'other').form; // 'unknown'
 * ```
 */
function unknownSubject(raw: string, issuerKind: IssuerKind): Subject {
  return buildSubject(raw, issuerKind, {});
}

/**
 * A claims record built with `Object.fromEntries`, so that any key (`__proto__` included) becomes
 * an own property. The first value given for a key wins.
 *
 * @param entries - `[claim, value]` in order of precedence
 * @returns the claims record
 *
 * @example
 * ```ts
 * claimsOf([['ref', 'refs/heads/main'], ['ref', 'ignored']]); // { ref: 'refs/heads/main' }
 * ```
 */
function claimsOf(
  entries: Iterable<readonly [string, string | null | undefined]>
): Record<string, string> {
  const claims = new Map<string, string>();
  for (const [key, value] of entries) {
    if (value !== null && value !== undefined && !claims.has(key)) claims.set(key, value);
  }
  return Object.fromEntries(claims);
}

export type { SubjectFields };
export { buildSubject, claimsOf, unknownSubject };
