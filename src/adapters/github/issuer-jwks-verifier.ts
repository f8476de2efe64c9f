/**
 * Verifies the token's signature against its issuer's published keys: `<iss>/.well-known/jwks`
 * (where GitHub publishes them), else the `jwks_uri` of `<iss>/.well-known/openid-configuration`.
 * jose does the work (`createRemoteJWKSet` + `jwtVerify`); the clock is injected through jose's
 * `currentDate`, so a test can move time.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { OidcwatchError } from '../../domain/errors.js';
import { describeFetchError } from './describe-fetch-error.js';

/** The verdict of verification. */
export type VerificationStatus =
  | 'valid'
  | 'bad-signature'
  | 'no-matching-key'
  | 'expired'
  | 'claim-invalid'
  | 'invalid';

/** What verification found. Never holds the token. */
export interface VerificationOutcome {
  readonly status: VerificationStatus;
  /** Where the keys came from. */
  readonly jwksUrl: string;
  /** The key id of the token's header. */
  readonly kid: string | null;
  readonly alg: string | null;
  /** In words. */
  readonly message: string;
}

/** What to verify against. */
export interface VerifyOptions {
  /** `iss` of the token: where the keys are published. */
  readonly issuer: string;
  /** The audience the token must carry. */
  readonly audience: string;
  /** "Now" for `exp` and `nbf`. */
  readonly currentDate: Date;
  /** @default 5000 */
  readonly timeoutMs?: number;
}

interface KeySet {
  readonly url: string;
  readonly keys: ReturnType<typeof createRemoteJWKSet>;
}

async function loadKeySet(url: string, timeoutMs: number): Promise<KeySet> {
  const keys = createRemoteJWKSet(new URL(url), { timeoutDuration: timeoutMs });
  await keys.reload();
  return { url, keys };
}

async function discoveredJwksUri(base: string, timeoutMs: number): Promise<string> {
  const url = `${base}/.well-known/openid-configuration`;
  const response = await fetch(url, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new Error(`HTTP ${response.status}`);
  }
  const doc = (await response.json()) as { jwks_uri?: unknown } | null;
  if (typeof doc?.jwks_uri !== 'string') throw new Error('no jwks_uri in the document');
  return doc.jwks_uri;
}

/** Finds the issuer's key set, or says why it cannot be had. */
async function issuerKeySet(issuer: string, timeoutMs: number): Promise<KeySet> {
  const base = issuer.replace(/\/+$/, '');
  const direct = `${base}/.well-known/jwks`;
  const tried: string[] = [];
  try {
    return await loadKeySet(direct, timeoutMs);
  } catch (e) {
    tried.push(`${direct}: ${describeFetchError(e)}`);
  }
  try {
    const uri = await discoveredJwksUri(base, timeoutMs);
    try {
      return await loadKeySet(uri, timeoutMs);
    } catch (e) {
      tried.push(
        `${uri} (jwks_uri of ${base}/.well-known/openid-configuration): ${describeFetchError(e)}`
      );
    }
  } catch (e) {
    tried.push(`${base}/.well-known/openid-configuration: ${describeFetchError(e)}`);
  }
  throw new OidcwatchError(
    'ERR_SERVICE_UNREACHABLE',
    `cannot fetch the signing keys of issuer ${issuer}; tried ${tried.join('; ')}`
  );
}

function outcomeOf(
  error: unknown,
  base: Omit<VerificationOutcome, 'status' | 'message'>
): VerificationOutcome {
  const e = error as { code?: unknown; claim?: unknown; reason?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  switch (e?.code) {
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return {
        ...base,
        status: 'bad-signature',
        message: `the signature does not verify with key ${base.kid ?? '(no kid)'} of ${base.jwksUrl}`,
      };
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return {
        ...base,
        status: 'no-matching-key',
        message: `${base.jwksUrl} has no ${base.alg ?? ''} key with kid ${base.kid ?? '(none)'}`,
      };
    case 'ERR_JWT_EXPIRED':
      return {
        ...base,
        status: 'expired',
        message: 'the signature is valid, but the token has expired ("exp" is past)',
      };
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return {
        ...base,
        status: 'claim-invalid',
        message: `the signature is valid, but the "${String(e.claim)}" claim fails: ${message}`,
      };
    default:
      return { ...base, status: 'invalid', message };
  }
}

/**
 * Verifies `jwt` against its issuer's keys.
 *
 * @returns the outcome; a bad signature or an expired token is an outcome, not an error
 * @throws OidcwatchError `ERR_SERVICE_UNREACHABLE` when the keys cannot be fetched
 *
 * @example
 * ```ts
 * const v = await verifyWithIssuerKeys(jwt, { issuer: claims.iss, audience: 'sts.amazonaws.com', currentDate: new Date() });
 * v.status; // 'valid'
 * ```
 */
export async function verifyWithIssuerKeys(
  jwt: string,
  options: VerifyOptions
): Promise<VerificationOutcome> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const set = await issuerKeySet(options.issuer, timeoutMs);
  const seen: { kid: string | null; alg: string | null } = { kid: null, alg: null };
  const getKey: JWTVerifyGetKey = (header, token) => {
    seen.kid = typeof header.kid === 'string' ? header.kid : null;
    seen.alg = typeof header.alg === 'string' ? header.alg : null;
    return set.keys(header, token);
  };
  const base = () => ({ jwksUrl: set.url, kid: seen.kid, alg: seen.alg });
  try {
    await jwtVerify(jwt, getKey, {
      issuer: options.issuer,
      audience: options.audience,
      currentDate: options.currentDate,
    });
    return {
      ...base(),
      status: 'valid',
      message: `signed by key ${seen.kid ?? '(no kid)'} of ${set.url}`,
    };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const fetchFailed = e instanceof TypeError && /fetch/i.test(e.message);
    if (code === 'ERR_JWKS_TIMEOUT' || fetchFailed)
      throw new OidcwatchError(
        'ERR_SERVICE_UNREACHABLE',
        `cannot verify against ${set.url}: ${describeFetchError(e)}`
      );
    return outcomeOf(e, base());
  }
}
