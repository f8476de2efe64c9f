/**
 * Builds the request context of an `AssumeRoleWithWebIdentity` call from what CloudTrail records:
 * `aud` and `sub` (recorded), the claims `sub` proves (derived), and everything else the token may
 * carry (not recorded). Keys under another issuer's prefix are absent: STS fills only the keys of
 * the token's own provider.
 */
import type { Issuer, Subject } from '../types.js';
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
  if (prefix !== null) {
    if (claims.subject !== null) {
      for (const [claim, value] of Object.entries(claims.subject.claims)) {
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
    if (prefix !== null && p === prefix)
      return { state: 'unrecorded', reason: `claim "${claim}" is not recorded in CloudTrail` };
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
