/**
 * Decodes a GitHub Actions OIDC token without verifying it: the protected header and the claims.
 * Pure (jose's decoders do no I/O). The token text itself never leaves this function: neither the
 * result nor the failure reason quotes it.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

/** The protected header fields worth showing. */
export interface TokenHeader {
  readonly alg: string | null;
  readonly kid: string | null;
  readonly typ: string | null;
  /** SHA-1 thumbprint of the signing certificate (GitHub sets it). */
  readonly x5t: string | null;
}

/** A decoded (unverified) token. */
export interface DecodedToken {
  readonly header: TokenHeader;
  /** The payload as JSON. GitHub's claims are strings, `exp`/`iat`/`nbf` numbers. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The outcome of decoding. */
export type DecodeTokenResult =
  | { readonly ok: true; readonly token: DecodedToken }
  | { readonly ok: false; readonly reason: string };

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Decodes a compact JWS.
 *
 * @param jwt - the token text
 * @returns the header and claims, or why the text is not a JWT (never quoting it)
 *
 * @example
 * ```ts
 * const decoded = decodeToken(value);
 * if (decoded.ok) decoded.token.claims.sub; // 'repo:acme-corp/payments-api:ref:refs/heads/main'
 * ```
 */
export function decodeToken(jwt: string): DecodeTokenResult {
  try {
    const header = decodeProtectedHeader(jwt);
    const claims = decodeJwt(jwt);
    return {
      ok: true,
      token: {
        header: {
          alg: text(header.alg),
          kid: text(header.kid),
          typ: text(header.typ),
          x5t: text(header.x5t),
        },
        claims,
      },
    };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return {
      ok: false,
      reason: `not a decodable JWT${typeof code === 'string' ? ` (${code})` : ''}`,
    };
  }
}
