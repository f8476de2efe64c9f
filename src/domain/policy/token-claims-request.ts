/**
 * Builds the request context of an `AssumeRoleWithWebIdentity` call from the token itself, as
 * `oidcwatch doctor` sees it inside the job: every claim STS turns into a condition key is
 * `present` with the token's value, or `absent` when the token lacks it. Unlike the CloudTrail
 * view (`web-identity-request.ts`), nothing the token decides is left `unrecorded`; only keys STS
 * fills from elsewhere (`sts:RoleSessionName`, `aws:*`) stay unknown.
 */
import { GITHUB_CONDITION_CLAIMS } from './github-condition-claims.js';
import type { KeyLookup, TrustRequest } from './trust-request.js';

export { GITHUB_CONDITION_CLAIMS };

import { WEB_IDENTITY_ACTION } from './web-identity-request.js';

/** What the request is built from. */
export interface TokenClaimsInput {
  /** The provider ARN the call presents as `Principal.Federated`. */
  readonly providerArn: string;
  /** The issuer URL without scheme: the prefix of the condition keys (`token.actions.githubusercontent.com`). */
  readonly issuerUrl: string;
  /** The token's payload, as decoded. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The claims STS turns into condition keys. @default GITHUB_CONDITION_CLAIMS */
  readonly conditionClaims?: readonly string[];
}

/** One condition key the token presents, with its values. */
export interface PresentedKey {
  readonly key: string;
  readonly values: readonly string[];
}

/** A claim as condition values: strings as they are, numbers and booleans as text. */
export function claimValues(value: unknown): readonly string[] | null {
  if (typeof value === 'string') return [value];
  if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return null;
}

function keyPrefix(lowerKey: string): string {
  const colon = lowerKey.lastIndexOf(':');
  return colon < 0 ? '' : lowerKey.slice(0, colon);
}

function lowerClaims(claims: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [name, value] of Object.entries(claims)) out.set(name.toLowerCase(), value);
  return out;
}

/**
 * The condition keys the token presents, in the order of `conditionClaims` (aud and sub first).
 *
 * @example
 * ```ts
 * presentedConditionKeys({ issuerUrl: 'token.actions.githubusercontent.com', claims });
 * // [{ key: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] }, …]
 * ```
 */
export function presentedConditionKeys(
  input: Omit<TokenClaimsInput, 'providerArn'>
): PresentedKey[] {
  const claims = lowerClaims(input.claims);
  const out: PresentedKey[] = [];
  for (const claim of input.conditionClaims ?? GITHUB_CONDITION_CLAIMS) {
    const values = claimValues(claims.get(claim));
    if (values !== null) out.push({ key: `${input.issuerUrl}:${claim}`, values });
  }
  return out;
}

/**
 * The request context of the call the job would make with this token.
 *
 * @example
 * ```ts
 * const request = tokenClaimsRequest({ providerArn, issuerUrl: 'token.actions.githubusercontent.com', claims });
 * request.lookup('token.actions.githubusercontent.com:job_workflow_ref');
 * // { state: 'present', values: ['acme/ci/.github/workflows/deploy.yml@refs/heads/main'], origin: 'token' }
 * ```
 */
export function tokenClaimsRequest(input: TokenClaimsInput): TrustRequest {
  const claims = lowerClaims(input.claims);
  const allowed = new Set(
    (input.conditionClaims ?? GITHUB_CONDITION_CLAIMS).map((c) => c.toLowerCase())
  );
  const prefix = input.issuerUrl.toLowerCase();

  const lookup = (key: string): KeyLookup => {
    const lower = key.toLowerCase();
    const p = keyPrefix(lower);
    const claim = lower.slice(p.length + 1);
    if (p === prefix) {
      const has = claims.has(claim);
      if (!allowed.has(claim))
        return {
          state: 'absent',
          reason: has
            ? `STS does not make the token's "${claim}" claim a condition key`
            : `the token has no "${claim}" claim, and STS does not make it a condition key`,
        };
      if (!has) return { state: 'absent', reason: `the token has no "${claim}" claim` };
      const values = claimValues(claims.get(claim));
      if (values === null)
        return { state: 'absent', reason: `the token's "${claim}" claim is not a string` };
      return { state: 'present', values, origin: 'token' };
    }
    if (p === '' || p === 'aws' || p === 'sts')
      return {
        state: 'unrecorded',
        reason: `key "${key}" is set by STS or the caller, not by the token; doctor does not know its value`,
      };
    return {
      state: 'absent',
      reason: `key "${key}" names issuer "${p}", but the token's issuer is "${prefix}"`,
    };
  };

  return {
    action: WEB_IDENTITY_ACTION,
    principal: { type: 'Federated', id: input.providerArn },
    lookup,
  };
}
