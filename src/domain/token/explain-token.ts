/**
 * Everything `oidcwatch doctor` says about the job's token before any policy is read: its claims,
 * the `sub` AWS will see, the issuer, the lifetime, and the condition keys STS will fill from it.
 */
import {
  GITHUB_CONDITION_CLAIMS,
  type PresentedKey,
  presentedConditionKeys,
} from '../policy/token-claims-request.js';
import type { DecodedToken, TokenHeader } from './decode-token.js';
import { explainIssuer, type IssuerExplanation } from './explain-issuer.js';
import { explainSubject, type SubjectExplanation } from './explain-subject.js';

/** The token's timing, in whole seconds. */
export interface TokenLifetime {
  readonly issuedAt: string | null;
  readonly notBefore: string | null;
  readonly expiresAt: string | null;
  /** `exp - iat` (GitHub issues 300 s tokens). */
  readonly lifetimeSeconds: number | null;
  /** `exp - now`; negative once expired. */
  readonly expiresInSeconds: number | null;
  readonly expired: boolean;
}

/** The token, explained. Never holds the token text. */
export interface TokenExplanation {
  readonly header: TokenHeader;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly issuer: IssuerExplanation | null;
  readonly aud: readonly string[];
  readonly subject: SubjectExplanation | null;
  readonly lifetime: TokenLifetime;
  /** The condition keys STS fills from this token, with their values. */
  readonly conditionKeys: readonly PresentedKey[];
  /** Claims the token carries that no condition key exposes (registered JWT claims left out). */
  readonly withheldClaims: readonly string[];
  /** Anything odd: a missing claim, an audience other than the one asked for, … */
  readonly warnings: readonly string[];
}

const REGISTERED = new Set(['iss', 'exp', 'iat', 'nbf', 'jti']);

function seconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function iso(s: number | null): string | null {
  return s === null ? null : new Date(s * 1000).toISOString().replace('.000Z', 'Z');
}

function audiences(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function lifetimeOf(claims: Readonly<Record<string, unknown>>, now: Date): TokenLifetime {
  const iat = seconds(claims.iat);
  const exp = seconds(claims.exp);
  const nowSeconds = Math.floor(now.getTime() / 1000);
  return {
    issuedAt: iso(iat),
    notBefore: iso(seconds(claims.nbf)),
    expiresAt: iso(exp),
    lifetimeSeconds: iat !== null && exp !== null ? exp - iat : null,
    expiresInSeconds: exp === null ? null : exp - nowSeconds,
    expired: exp !== null && exp <= nowSeconds,
  };
}

/**
 * Explains a decoded token.
 *
 * @param token - the decoded header and claims
 * @param options.now - the current time (for expiry)
 * @param options.audience - the audience doctor asked for
 *
 * @example
 * ```ts
 * const e = explainToken(decoded.token, { now: new Date(), audience: 'sts.amazonaws.com' });
 * e.subject?.form; // 'branch'
 * e.conditionKeys[1]; // { key: 'token.actions.githubusercontent.com:sub', values: ['repo:…'] }
 * ```
 */
export function explainToken(
  token: DecodedToken,
  options: { readonly now: Date; readonly audience: string }
): TokenExplanation {
  const { claims } = token;
  const warnings: string[] = [];
  const iss = typeof claims.iss === 'string' ? claims.iss : null;
  const sub = typeof claims.sub === 'string' ? claims.sub : null;
  const aud = audiences(claims.aud);
  const issuer = iss === null ? null : explainIssuer(iss);
  if (iss === null) warnings.push('The token has no iss claim: STS rejects it.');
  if (sub === null) warnings.push('The token has no sub claim: STS rejects it.');
  if (aud.length === 0)
    warnings.push('The token has no aud claim: STS rejects it ("Missing a required claim: aud").');
  else if (!aud.includes(options.audience))
    warnings.push(
      `The token's aud is ${aud.map((a) => `"${a}"`).join(', ')}, not the "${options.audience}" doctor asked for.`
    );
  const lifetime = lifetimeOf(claims, options.now);
  if (lifetime.expired)
    warnings.push(
      `The token expired ${-(lifetime.expiresInSeconds ?? 0)} s ago: STS rejects it with ExpiredTokenException.`
    );
  const conditionKeys =
    issuer === null ? [] : presentedConditionKeys({ issuerUrl: issuer.url, claims });
  const exposed = new Set(GITHUB_CONDITION_CLAIMS);
  const withheldClaims = Object.keys(claims)
    .filter((c) => !REGISTERED.has(c) && !exposed.has(c.toLowerCase()))
    .sort();
  return {
    header: token.header,
    claims,
    issuer,
    aud,
    subject: sub === null ? null : explainSubject(sub),
    lifetime,
    conditionKeys,
    withheldClaims,
    warnings,
  };
}
