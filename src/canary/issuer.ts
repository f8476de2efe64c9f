/**
 * The canary issuer: a Lambda function URL serving the OpenID discovery document and the JWKS
 * STS fetches to verify the canary's token. It serves only the public key; everything else is 404.
 * The issuer URL is the function URL itself (`https://<host>`), read from the request.
 * {@link https://openid.net/specs/openid-connect-discovery-1_0.html | OpenID Connect Discovery}
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { JWK } from 'jose';
import { issuerUrl } from './claims.js';
import { CANARY_ALG, loadCanaryKey, NoCanaryKeyError, publicJwk } from './signing-key.js';

/** The path of the discovery document. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** The path of the key set. */
export const JWKS_PATH = '/.well-known/jwks.json';

/** A function URL request, as far as the issuer reads it. */
export interface IssuerRequest {
  readonly rawPath?: string;
  readonly requestContext?: {
    readonly domainName?: string;
    readonly http?: { readonly method?: string };
  };
}

/** A function URL response. */
export interface IssuerResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What the issuer needs. */
export interface IssuerDeps {
  readonly secrets: SecretsManagerClient;
  readonly secretId: string;
  readonly now: () => number;
  /** How long the public key is reused before the secret is read again, ms. @default 300000 */
  readonly cacheMs?: number;
}

function json(statusCode: number, body: unknown, maxAge = 300): IssuerResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': `public, max-age=${maxAge}` },
    body: JSON.stringify(body),
  };
}

/** The discovery document of `issuer`. */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer}${JWKS_PATH}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [CANARY_ALG],
    claims_supported: ['sub', 'aud', 'iss', 'iat', 'exp', 'jti'],
  };
}

/**
 * The issuer's request handler.
 *
 * @example
 * ```ts
 * const handle = issuerHandler({ secrets, secretId, now: Date.now });
 * export const handler = (event) => handle(event);
 * ```
 */
export function issuerHandler(
  deps: IssuerDeps
): (request: IssuerRequest) => Promise<IssuerResponse> {
  let cached: { jwk: JWK; at: number } | null = null;
  const cacheMs = deps.cacheMs ?? 300_000;
  const publicKey = async (): Promise<JWK> => {
    if (cached !== null && deps.now() - cached.at < cacheMs) return cached.jwk;
    const jwk = publicJwk(await loadCanaryKey(deps.secrets, deps.secretId));
    cached = { jwk, at: deps.now() };
    return jwk;
  };
  return async (request) => {
    const host = request.requestContext?.domainName;
    const method = request.requestContext?.http?.method ?? 'GET';
    if (host === undefined || (method !== 'GET' && method !== 'HEAD'))
      return json(404, { message: 'not found' }, 0);
    if (request.rawPath === DISCOVERY_PATH) return json(200, discoveryDocument(issuerUrl(host)));
    if (request.rawPath !== JWKS_PATH) return json(404, { message: 'not found' }, 0);
    try {
      return json(200, { keys: [await publicKey()] });
    } catch (e) {
      if (e instanceof NoCanaryKeyError) return json(503, { message: 'no key yet' }, 0);
      throw e;
    }
  };
}
