/**
 * Real-shaped CloudTrail records of OIDC role assumptions (as CloudTrail writes
 * them): failed calls carry `errorMessage: "An unknown error occurred"`, `responseElements: null`,
 * `readOnly: true` and the claims in `userIdentity`.
 */
import { eventBridgeEnvelope, failedWebIdentityRecord } from './cloudtrail-records.js';

const GH = 'token.actions.githubusercontent.com';

/** Options of `deniedRecord`. */
export interface DeniedRecordOptions {
  readonly account?: string;
  readonly role?: string | null;
  readonly sub?: string;
  readonly aud?: string;
  readonly eventId?: string;
  readonly time?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

/**
 * A denied `AssumeRoleWithWebIdentity` record from GitHub Actions: `failedWebIdentityRecord`
 * with the payments job as default.
 */
export function deniedRecord(o: DeniedRecordOptions = {}): Record<string, unknown> {
  return failedWebIdentityRecord({
    sub: o.sub ?? 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: o.role === undefined ? 'payments-deploy' : o.role,
    ...(o.account === undefined ? {} : { account: o.account }),
    ...(o.aud === undefined ? {} : { aud: o.aud }),
    ...(o.eventId === undefined ? {} : { eventId: o.eventId }),
    ...(o.time === undefined ? {} : { time: o.time }),
    ...(o.errorCode === undefined ? {} : { errorCode: o.errorCode }),
    ...(o.errorMessage === undefined ? {} : { errorMessage: o.errorMessage }),
  });
}

/** The EventBridge envelope CloudTrail events arrive in. */
export const eventBridge = eventBridgeEnvelope;

/** A trust policy admitting one `sub` through GitHub's provider in `account`. */
export function trustPolicyFor(
  account: string,
  sub: string | string[],
  operator = 'StringEquals'
): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubActions',
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${GH}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition:
          operator === 'StringEquals'
            ? { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: sub } }
            : {
                StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' },
                [operator]: { [`${GH}:sub`]: sub },
              },
      },
    ],
  };
}
