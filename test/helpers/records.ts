/**
 * Real-shaped CloudTrail records of OIDC role assumptions (shared/reference/cloudtrail-oidc-facts.md
 * §1): failed calls carry `errorMessage: "An unknown error occurred"`, `responseElements: null`,
 * `readOnly: true` and the claims in `userIdentity`.
 */
import { randomUUID } from 'node:crypto';

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

/** A denied `AssumeRoleWithWebIdentity` record from GitHub Actions. */
export function deniedRecord(o: DeniedRecordOptions = {}): Record<string, unknown> {
  const account = o.account ?? '111122223333';
  const provider = `arn:aws:iam::${account}:oidc-provider/${GH}`;
  const sub = o.sub ?? 'repo:acme-corp/payments-api:ref:refs/heads/main';
  const aud = o.aud ?? 'sts.amazonaws.com';
  const role = o.role === undefined ? 'payments-deploy' : o.role;
  const roleArn = role === null ? null : `arn:aws:iam::${account}:role/${role}`;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${provider}:${aud}:${sub}`,
      userName: sub,
      identityProvider: provider,
    },
    eventTime: o.time ?? '2026-11-27T14:03:12Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: 'us-east-1',
    sourceIPAddress: '20.57.79.66',
    userAgent:
      'aws-sdk-nodejs/2.1692.0 linux/v20.19.5 configure-aws-credentials-for-github-actions promise',
    errorCode: o.errorCode ?? 'AccessDenied',
    errorMessage: o.errorMessage ?? 'An unknown error occurred',
    requestParameters: { roleArn, roleSessionName: 'GitHubActions' },
    responseElements: null,
    requestID: randomUUID(),
    eventID: o.eventId ?? randomUUID(),
    readOnly: true,
    ...(roleArn === null
      ? {}
      : { resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: roleArn }] }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'sts.us-east-1.amazonaws.com',
    },
  };
}

/** The EventBridge envelope CloudTrail events arrive in. */
export function eventBridge(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

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
