/**
 * The call a job would make with its token, shaped as the classifier's `OidcCall`, so that the
 * trust rules written for CloudTrail records judge it too.
 */

import { providerAccountId } from '../subject/identify-issuer.js';
import { parseSubject } from '../subject/parse-subject.js';
import type { Issuer, OidcCall } from '../types.js';
import type { TokenExplanation } from './explain-token.js';

/**
 * The `AssumeRoleWithWebIdentity` call of a token, as if it had been denied. The token comes from
 * the Actions token endpoint, so its issuer is GitHub's whatever host it names.
 *
 * @example
 * ```ts
 * const call = tokenCall(explanation, 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com', null);
 * call.sub; // the token's sub
 * ```
 */
export function tokenCall(
  token: TokenExplanation,
  providerArn: string,
  roleArn: string | null
): OidcCall {
  const issuer: Issuer | null =
    token.issuer === null
      ? null
      : {
          kind: 'github',
          url: token.issuer.url,
          enterprise: token.issuer.variant !== 'github' && token.issuer.variant !== 'other',
        };
  const sub = token.subject?.sub ?? null;
  return {
    eventId: null,
    eventTime: null,
    eventName: 'AssumeRoleWithWebIdentity',
    account: providerAccountId(providerArn),
    region: null,
    errorCode: 'AccessDenied',
    errorMessage: null,
    provider: providerArn,
    issuer,
    aud: token.aud[0] ?? null,
    sub,
    subject: sub === null ? null : parseSubject(sub, 'github'),
    roleArn,
    roleSource: null,
    roleSessionName: null,
    durationSeconds: null,
    userAgent: null,
    chained: null,
  };
}
