/**
 * Real-shaped CloudTrail records of the IAM configuration calls the monitor correlates with
 * failures. The shape follows real records: Stratus Red Team's detonation of
 * `UpdateAssumeRolePolicy` (2024: `eventSource` `iam.amazonaws.com`, `awsRegion` us-east-1,
 * `readOnly: false`, `responseElements: null`, the new document as JSON text in
 * `requestParameters.policyDocument`) and an AWS SSO `CreateRole` (2023: the document as JSON text
 * in `requestParameters.assumeRolePolicyDocument`, repeated URL-encoded in
 * `responseElements.role`). No public record of the OIDC provider calls was found: their fields
 * are the API parameters in CloudTrail's lower camel case (`openIDConnectProviderArn`, `url`,
 * `clientIDList`, `thumbprintList`, `clientID`), which the reader matches regardless of case.
 */
import { ACCOUNT, GITHUB_ISSUER, nextUuid, providerArn } from './cloudtrail-records.js';

/** A CloudTrail record as JSON. */
export type IamRecord = Record<string, unknown>;

/** The engineer who changes things in the tests. */
export const ALICE = `arn:aws:sts::${ACCOUNT}:assumed-role/PlatformAdmin/alice@example.com`;

/** Who, where and when. */
export interface ChangeSpec {
  /** @default '2026-11-27T14:00:00Z' */
  readonly time?: string;
  /** @default ACCOUNT */
  readonly account?: string;
  /** The caller's session ARN. @default ALICE */
  readonly actor?: string;
  /** @default a fresh UUID */
  readonly eventId?: string;
  /** Makes it a failed call. */
  readonly errorCode?: string;
}

/** How the policy document is written in the record. */
export type DocumentForm = 'json' | 'url' | 'object';

function writeDocument(doc: unknown, form: DocumentForm): unknown {
  if (form === 'object') return doc;
  const text = JSON.stringify(doc, null, 2);
  return form === 'url' ? encodeURIComponent(text) : text;
}

function iamRecord(
  eventName: string,
  spec: ChangeSpec,
  requestParameters: IamRecord,
  responseElements: IamRecord | null = null
): IamRecord {
  const account = spec.account ?? ACCOUNT;
  const actor = spec.actor ?? ALICE;
  const session = /assumed-role\/([^/]+)\//.exec(actor)?.[1];
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: session === undefined ? 'IAMUser' : 'AssumedRole',
      principalId: 'AROA2QXCZ4R7KJ6PLMN3A:alice@example.com',
      arn: actor,
      accountId: account,
      accessKeyId: 'ASIA2QXCZ4R7KJ6PLMN3',
      ...(session === undefined
        ? {}
        : {
            sessionContext: {
              sessionIssuer: {
                type: 'Role',
                principalId: 'AROA2QXCZ4R7KJ6PLMN3A',
                arn: `arn:aws:iam::${account}:role/${session}`,
                accountId: account,
                userName: session,
              },
              attributes: { creationDate: '2026-11-27T13:01:07Z', mfaAuthenticated: 'false' },
            },
          }),
    },
    eventTime: spec.time ?? '2026-11-27T14:00:00Z',
    eventSource: 'iam.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.77',
    userAgent: 'aws-cli/2.17.60 md/command#iam',
    ...(spec.errorCode === undefined
      ? {}
      : { errorCode: spec.errorCode, errorMessage: `${spec.errorCode} for ${eventName}` }),
    requestParameters,
    responseElements,
    requestID: nextUuid(),
    eventID: spec.eventId ?? nextUuid(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'iam.amazonaws.com',
    },
  };
}

/** `UpdateAssumeRolePolicy` of `roleName` to `policy`. */
export function updateTrustPolicyRecord(
  roleName: string,
  policy: unknown,
  spec: ChangeSpec & { readonly form?: DocumentForm } = {}
): IamRecord {
  return iamRecord('UpdateAssumeRolePolicy', spec, {
    roleName,
    policyDocument: writeDocument(policy, spec.form ?? 'json'),
  });
}

/** `CreateRole` of `roleName` trusting `policy`. */
export function createRoleRecord(
  roleName: string,
  policy: unknown,
  spec: ChangeSpec = {}
): IamRecord {
  const account = spec.account ?? ACCOUNT;
  return iamRecord(
    'CreateRole',
    spec,
    { roleName, assumeRolePolicyDocument: writeDocument(policy, 'json'), maxSessionDuration: 3600 },
    {
      role: {
        path: '/',
        roleName,
        roleId: 'AROAZ73XJMJGC5KJSHBHM',
        arn: `arn:aws:iam::${account}:role/${roleName}`,
        createDate: 'Nov 27, 2026, 2:00:00 PM',
        assumeRolePolicyDocument: writeDocument(policy, 'url'),
      },
    }
  );
}

/** `DeleteRole` of `roleName`. */
export function deleteRoleRecord(roleName: string, spec: ChangeSpec = {}): IamRecord {
  return iamRecord('DeleteRole', spec, { roleName });
}

/** `CreateOpenIDConnectProvider` for GitHub (or `url`). */
export function createProviderRecord(
  spec: ChangeSpec & { readonly url?: string; readonly clientIds?: string[] } = {}
): IamRecord {
  const url = spec.url ?? GITHUB_ISSUER;
  return iamRecord(
    'CreateOpenIDConnectProvider',
    spec,
    {
      url: `https://${url}`,
      clientIDList: spec.clientIds ?? ['sts.amazonaws.com'],
      thumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    },
    { openIDConnectProviderArn: providerArn(spec.account ?? ACCOUNT, url) }
  );
}

/** `DeleteOpenIDConnectProvider` of GitHub's provider (or `url`'s). */
export function deleteProviderRecord(spec: ChangeSpec & { readonly url?: string } = {}): IamRecord {
  return iamRecord('DeleteOpenIDConnectProvider', spec, {
    openIDConnectProviderArn: providerArn(spec.account ?? ACCOUNT, spec.url ?? GITHUB_ISSUER),
  });
}

/** `UpdateOpenIDConnectProviderThumbprint` of GitHub's provider. */
export function thumbprintRecord(thumbprints: string[], spec: ChangeSpec = {}): IamRecord {
  return iamRecord('UpdateOpenIDConnectProviderThumbprint', spec, {
    openIDConnectProviderArn: providerArn(spec.account ?? ACCOUNT),
    thumbprintList: thumbprints,
  });
}

/** `AddClientIDToOpenIDConnectProvider` / `RemoveClientIDFromOpenIDConnectProvider` on GitHub's provider. */
export function clientIdRecord(
  action: 'add' | 'remove',
  clientId: string,
  spec: ChangeSpec = {}
): IamRecord {
  return iamRecord(
    action === 'add'
      ? 'AddClientIDToOpenIDConnectProvider'
      : 'RemoveClientIDFromOpenIDConnectProvider',
    spec,
    { openIDConnectProviderArn: providerArn(spec.account ?? ACCOUNT), clientID: clientId }
  );
}

/** The EventBridge envelope IAM events arrive in (`aws.iam`, us-east-1). */
export function iamEnvelope(record: IamRecord): IamRecord {
  return {
    version: '0',
    id: nextUuid(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: record.recipientAccountId,
    time: record.eventTime,
    region: 'us-east-1',
    resources: [],
    detail: record,
  };
}
