/**
 * Builds the request context of an `AssumeRoleWithWebIdentity` call from what CloudTrail records:
 * `aud` and `sub` (recorded), the claims `sub` proves (derived), and everything else the token may
 * carry (not recorded). Keys under another issuer's prefix are absent: STS fills only the keys of
 * the token's own provider.
 */

import { isGithubKey } from '../subject/github-subject.js';
import type { Issuer, Subject } from '../types.js';
import { GITHUB_CONDITION_CLAIMS } from './github-condition-claims.js';
import type { KeyLookup, TrustRequest } from './trust-request.js';

/** The claims of a web-identity call that matter for evaluation. */
export interface WebIdentityClaims {
  /** Provider ARN (or bare issuer for built-in IdPs). */
  readonly provider: string | null;
  readonly issuer: Issuer | null;
  readonly aud: string | null;
  readonly sub: string | null;
  readonly subject: Subject | null;
  readonly roleSessionName?: string | null;
}

/** The action of the OIDC call. */
export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';

function keyPrefix(lowerKey: string): string {
  const colon = lowerKey.lastIndexOf(':');
  return colon < 0 ? '' : lowerKey.slice(0, colon);
}

/** GitHub's `context` segment (`ref:…` or `pull_request`) means the job declares no environment. */
function provesNoEnvironment(subject: Subject | null): boolean {
  if (subject === null || subject.issuerKind !== 'github') return false;
  const keys = subject.pairs.map((p) => p.key);
  return !keys.includes('environment') && (keys.includes('ref') || keys.includes('pull_request'));
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = row[j] as number;
      row[j] = Math.min(
        next + 1,
        (row[j - 1] as number) + 1,
        prev + (a[i - 1] === b[j - 1] ? 0 : 1)
      );
      prev = next;
    }
  }
  return row[b.length] as number;
}

/** What a condition key under a GitHub issuer is, when STS never sets it. */
export interface UnknownConditionKey {
  /** The claim the key names (`subject`). */
  readonly claim: string;
  /** The key STS does set that it most likely meant (`<issuer>:sub`), or `null`. */
  readonly suggestion: string | null;
  /** `true` when the claim is a real token claim STS does not expose (`repository_owner`). */
  readonly tokenClaim: boolean;
}

/**
 * For a key under a GitHub issuer's prefix that STS never sets (`…:subject`, `…:repository_owner`),
 * what it is and the key it most likely meant; `null` for keys STS sets, and for other issuers
 * (whose claim keys oidcwatch does not list).
 *
 * @example
 * ```ts
 * unknownConditionKey(issuer, 'token.actions.githubusercontent.com:subject');
 * // { claim: 'subject', suggestion: 'token.actions.githubusercontent.com:sub' }
 * ```
 */
export function unknownConditionKey(
  issuer: Issuer | null,
  key: string
): UnknownConditionKey | null {
  if (issuer === null || issuer.kind !== 'github') return null;
  const lower = key.toLowerCase();
  const prefix = issuer.url.toLowerCase();
  if (keyPrefix(lower) !== prefix) return null;
  const claim = lower.slice(prefix.length + 1);
  if (GITHUB_CONDITION_CLAIMS.includes(claim)) return null;
  if (isGithubKey(claim)) return { claim, suggestion: null, tokenClaim: true };
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const known of GITHUB_CONDITION_CLAIMS) {
    const d = claim.startsWith(known) || known.startsWith(claim) ? 1 : editDistance(claim, known);
    if (d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  const near = best !== null && bestDistance <= Math.max(2, Math.floor(claim.length / 3));
  return {
    claim,
    suggestion: near ? `${key.slice(0, prefix.length)}:${best}` : null,
    tokenClaim: false,
  };
}

/**
 * The request context for evaluating a role's trust policy against a web-identity call.
 *
 * @example
 * ```ts
 * const request = webIdentityRequest({ provider, issuer, aud: 'sts.amazonaws.com', sub, subject });
 * request.lookup('token.actions.githubusercontent.com:sub'); // { state: 'present', … }
 * request.lookup('token.actions.githubusercontent.com:job_workflow_ref'); // { state: 'unrecorded', … }
 * ```
 */
export function webIdentityRequest(claims: WebIdentityClaims): TrustRequest {
  const known = new Map<string, KeyLookup>();
  const prefix = claims.issuer?.url.toLowerCase() ?? null;
  const github = claims.issuer?.kind === 'github';
  if (prefix !== null) {
    if (claims.subject !== null) {
      for (const [claim, value] of Object.entries(claims.subject.claims)) {
        // STS makes only some GitHub claims condition keys; the sub proves others (ref_type, …).
        if (github && !GITHUB_CONDITION_CLAIMS.includes(claim.toLowerCase())) continue;
        known.set(`${prefix}:${claim.toLowerCase()}`, {
          state: 'present',
          values: [value],
          origin: 'derived',
        });
      }
    }
    if (provesNoEnvironment(claims.subject)) {
      known.set(`${prefix}:environment`, {
        state: 'absent',
        reason: 'the sub has the ref/pull_request form, so the job declares no environment',
      });
    }
    if (claims.sub !== null)
      known.set(`${prefix}:sub`, { state: 'present', values: [claims.sub], origin: 'recorded' });
    if (claims.aud !== null)
      known.set(`${prefix}:aud`, { state: 'present', values: [claims.aud], origin: 'recorded' });
  }
  if (claims.roleSessionName)
    known.set('sts:rolesessionname', {
      state: 'present',
      values: [claims.roleSessionName],
      origin: 'recorded',
    });

  const lookup = (key: string): KeyLookup => {
    const lower = key.toLowerCase();
    const hit = known.get(lower);
    if (hit !== undefined) return hit;
    const p = keyPrefix(lower);
    const claim = lower.slice(p.length + 1);
    if (prefix !== null && p === prefix) {
      const unknown = github ? unknownConditionKey(claims.issuer, key) : null;
      if (unknown !== null)
        return {
          state: 'absent',
          reason: unknown.tokenClaim
            ? `STS does not make the token's "${unknown.claim}" claim a condition key`
            : `STS sets no condition key "${key}" for this issuer` +
              (unknown.suggestion === null ? '' : ` (did you mean "${unknown.suggestion}"?)`),
        };
      return { state: 'unrecorded', reason: `claim "${claim}" is not recorded in CloudTrail` };
    }
    if (p === 'aws' || p === 'sts' || prefix === null)
      return { state: 'unrecorded', reason: `key "${key}" is not recorded in CloudTrail` };
    return {
      state: 'absent',
      reason: `key "${key}" names issuer "${p}", but the token's issuer is "${prefix}"`,
    };
  };

  return {
    action: WEB_IDENTITY_ACTION,
    principal: { type: 'Federated', id: claims.provider ?? '' },
    lookup,
  };
}
