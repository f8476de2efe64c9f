/**
 * The canary's token: an OIDC ID token from the canary issuer, for the audience STS expects, with
 * a `sub` that no canary role admits. It is signed to be *denied*: the role's trust policy can
 * never be satisfied, and the call's only purpose is the CloudTrail record it leaves.
 */

/** The `sub` the canary sends (the canary roles never admit it). */
export const CANARY_SUBJECT = 'oidcwatch-canary:probe';

/** The audience (the IAM OIDC provider's client id). */
export const CANARY_AUDIENCE = 'sts.amazonaws.com';

/** Token lifetime, seconds (STS refuses an expired token before logging a trust decision). */
export const CANARY_TOKEN_SECONDS = 300;

/** The claims of one canary token. */
export interface CanaryClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
  readonly jti: string;
}

/**
 * The claims for a token issued at `nowMs` by `issuer`.
 *
 * @example
 * ```ts
 * const claims = canaryClaims('https://abc.lambda-url.eu-west-1.on.aws', Date.now(), crypto.randomUUID());
 * ```
 */
export function canaryClaims(issuer: string, nowMs: number, jti: string): CanaryClaims {
  const iat = Math.floor(nowMs / 1000);
  return {
    iss: issuer,
    sub: CANARY_SUBJECT,
    aud: CANARY_AUDIENCE,
    iat,
    nbf: iat - 5,
    exp: iat + CANARY_TOKEN_SECONDS,
    jti,
  };
}

/** The issuer URL for a host (no trailing slash: IAM compares it with `iss` exactly). */
export function issuerUrl(host: string): string {
  return `https://${host.replace(/\/+$/, '')}`;
}
