/**
 * Keeps web identity tokens out of everything the reader returns. CloudTrail does not record the
 * token, but third-party samples carry `webIdentityToken` and messages may quote one.
 */

/**
 * A JWS (`header.payload.signature`, the signature possibly empty) or JWE (five segments) whose
 * header is base64url JSON, which always starts `eyJ` (`{"`). Every further `.segment` is taken
 * too, so that no part of a token is left behind.
 */
const JWT = /eyJ[\w-]+\.[\w-]+(?:\.[\w-]*)+/g;

/** What a token is replaced with. */
const REDACTED = '[REDACTED]';

/**
 * Replaces every JWT-shaped substring with `[REDACTED]`.
 *
 * @param value - any text taken from a record
 * @returns the text without tokens
 *
 * @example
 * ```ts
 * redactTokens('bad token eyJhbGciOi.eyJzdWIi.c2ln'); // 'bad token [REDACTED]'
 * ```
 */
function redactTokens(value: string): string {
  // Most values carry no token: skip the regex (and its allocation) on the hot path.
  return value.includes('eyJ') ? value.replace(JWT, REDACTED) : value;
}

/**
 * `redactTokens` for a value that may be absent.
 *
 * @param value - text or `null`
 * @returns the text without tokens, or `null`
 *
 * @example
 * ```ts
 * redactNullable(null); // null
 * ```
 */
function redactNullable(value: string | null): string | null {
  return value === null ? null : redactTokens(value);
}

export { REDACTED, redactNullable, redactTokens };
