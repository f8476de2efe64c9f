/**
 * Builds real-shaped CloudTrail records for the classifier and CLI tests, following
 * the CloudTrail record of `AssumeRoleWithWebIdentity`: a failed `AssumeRoleWithWebIdentity` carries
 * `errorMessage: "An unknown error occurred"` for AccessDenied, `responseElements: null`,
 * `readOnly: true` and its claims in `userIdentity` (`principalId` = provider ARN + aud + sub); a
 * success carries `responseElements` and `additionalEventData`; no token is ever recorded. Also
 * the EventBridge envelope around a record and the chained `AssumeRole` of a web-identity session
 * (the `sts:TagSession` case).
 */
import { readRecord } from '../../src/domain/input/read-record.js';
import type { OidcCall } from '../../src/domain/types.js';

/** A CloudTrail record as JSON. */
export type CloudTrailRecord = Record<string, unknown>;

/** The account most records live in. */
export const ACCOUNT = '111122223333';

/** GitHub's issuer, the prefix of its IAM condition keys. */
export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';

/** The default audience configure-aws-credentials requests. */
export const STS_AUDIENCE = 'sts.amazonaws.com';

/** `configure-aws-credentials`' user agent, as in the 2023–2025 samples. */
export const ACTION_USER_AGENT =
  'aws-sdk-nodejs/2.1692.0 linux/v20.19.5 configure-aws-credentials-for-github-actions promise';

/** `arn:aws:iam::<account>:oidc-provider/<url>`. */
export function providerArn(account = ACCOUNT, url = GITHUB_ISSUER): string {
  return `arn:aws:iam::${account}:oidc-provider/${url}`;
}

/** The GitHub provider ARN of {@link ACCOUNT}. */
export const GITHUB_PROVIDER = providerArn();

/** `arn:aws:iam::<account>:role/<name>`. */
export function roleArn(name: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

let sequence = 0;

/** A deterministic, CloudTrail-looking UUID. */
export function nextUuid(): string {
  sequence += 1;
  const hex = sequence.toString(16).padStart(12, '0');
  return `3f2a9c1e-7b4d-4e8f-9a0b-${hex}`;
}

/** What a web-identity record is about. Everything but `sub` has a realistic default. */
export interface WebIdentitySpec {
  /** The token's `sub`, exactly as recorded. */
  readonly sub: string;
  /** @default 'sts.amazonaws.com' */
  readonly aud?: string;
  /**
   * Role name (in `account`) or full role ARN. `null`: CloudTrail recorded no role (neither
   * `requestParameters.roleArn` nor `resources`), as J-xy saw in 2026.
   * @default 'deploy'
   */
  readonly role?: string | null;
  /** @default ACCOUNT */
  readonly account?: string;
  /** Provider URL without scheme. @default GITHUB_ISSUER */
  readonly issuerUrl?: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '2026-11-27T14:03:12Z' */
  readonly time?: string;
  /** @default a fresh UUID */
  readonly eventId?: string;
  /** Sent only when given (the action omits it unless configured). */
  readonly durationSeconds?: number;
  /** @default 'GitHubActions' */
  readonly roleSessionName?: string;
}

/** A failed web-identity call: the error code and the text CloudTrail stores with it. */
export interface FailedSpec extends WebIdentitySpec {
  /** @default 'AccessDenied' */
  readonly errorCode?: string;
  /** @default 'An unknown error occurred' (what CloudTrail stores for AccessDenied) */
  readonly errorMessage?: string;
}

function resolveRole(spec: WebIdentitySpec): string | null {
  const role = spec.role === undefined ? 'deploy' : spec.role;
  if (role === null) return null;
  return role.startsWith('arn:') ? role : roleArn(role, spec.account ?? ACCOUNT);
}

function webIdentityBase(spec: WebIdentitySpec): CloudTrailRecord {
  const account = spec.account ?? ACCOUNT;
  const provider = providerArn(account, spec.issuerUrl ?? GITHUB_ISSUER);
  const region = spec.region ?? 'us-east-1';
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${provider}:${spec.aud ?? STS_AUDIENCE}:${spec.sub}`,
      userName: spec.sub,
      identityProvider: provider,
    },
    eventTime: spec.time ?? '2026-11-27T14:03:12Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: region,
    sourceIPAddress: '20.57.79.66',
    userAgent: ACTION_USER_AGENT,
  };
}

function tail(spec: WebIdentitySpec, arn: string | null): CloudTrailRecord {
  const account = spec.account ?? ACCOUNT;
  const region = spec.region ?? 'us-east-1';
  return {
    requestID: nextUuid(),
    eventID: spec.eventId ?? nextUuid(),
    readOnly: true,
    ...(arn === null
      ? {}
      : { resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: arn }] }),
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: `sts.${region}.amazonaws.com`,
    },
  };
}

function requestParameters(spec: WebIdentitySpec, arn: string | null): CloudTrailRecord {
  return {
    roleArn: arn,
    roleSessionName: spec.roleSessionName ?? 'GitHubActions',
    ...(spec.durationSeconds === undefined ? {} : { durationSeconds: spec.durationSeconds }),
  };
}

/**
 * A failed `AssumeRoleWithWebIdentity` record (AccessDenied unless `errorCode` says otherwise).
 *
 * @example
 * ```ts
 * failedWebIdentityRecord({ sub: 'repo:acme-corp/api:ref:refs/heads/dev', role: 'api-deploy' });
 * ```
 */
export function failedWebIdentityRecord(spec: FailedSpec): CloudTrailRecord {
  const arn = resolveRole(spec);
  return {
    ...webIdentityBase(spec),
    errorCode: spec.errorCode ?? 'AccessDenied',
    errorMessage: spec.errorMessage ?? 'An unknown error occurred',
    requestParameters: requestParameters(spec, arn),
    responseElements: null,
    ...tail(spec, arn),
  };
}

/** A successful `AssumeRoleWithWebIdentity` record, as cloud-snitch recorded one in 2025. */
export function successWebIdentityRecord(spec: WebIdentitySpec): CloudTrailRecord {
  const arn = resolveRole(spec) ?? roleArn('deploy', spec.account ?? ACCOUNT);
  const account = spec.account ?? ACCOUNT;
  const session = spec.roleSessionName ?? 'GitHubActions';
  const provider = providerArn(account, spec.issuerUrl ?? GITHUB_ISSUER);
  const region = spec.region ?? 'us-east-1';
  return {
    ...webIdentityBase(spec),
    requestParameters: requestParameters(spec, arn),
    responseElements: {
      credentials: {
        accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
        sessionToken: 'EXAMPLE-SESSION-TOKEN-NOT-REAL',
        expiration: 'Nov 27, 2026, 3:46:56 PM',
      },
      subjectFromWebIdentityToken: spec.sub,
      assumedRoleUser: {
        assumedRoleId: `AROAEXAMPLEEXAMPLE012:${session}`,
        arn: `arn:aws:sts::${account}:assumed-role/${arn.slice(arn.lastIndexOf('/') + 1)}/${session}`,
      },
      provider,
      audience: spec.aud ?? STS_AUDIENCE,
    },
    additionalEventData: {
      identityProviderConnectionVerificationMethod: 'IAMTrustStore',
      RequestDetails: { awsServingRegion: region, endpointType: 'regional' },
    },
    ...tail(spec, arn),
  };
}

/** The EventBridge envelope CloudTrail events arrive in (reference §3.1). */
export function eventBridgeEnvelope(record: CloudTrailRecord): CloudTrailRecord {
  return {
    version: '0',
    id: nextUuid(),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: record.recipientAccountId,
    time: String(record.eventTime).replace(/\.\d+Z$/, 'Z'),
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** What a chained `AssumeRole` record is about. */
export interface ChainedSpec {
  /** The role the web-identity session belongs to. @default 'gha-base' */
  readonly sessionRole?: string;
  /** The role the session tries to assume. @default 'cross-deploy' */
  readonly targetRole?: string;
  /** Session tag keys the action sends. @default the seven tags of configure-aws-credentials */
  readonly tagKeys?: readonly string[];
  /** @default 'AccessDenied' */
  readonly errorCode?: string | null;
  /**
   * @default the TagSession message CloudTrail records (OvertureMaps/stac#114)
   */
  readonly errorMessage?: string;
  /** @default ACCOUNT */
  readonly account?: string;
  /** @default '2026-11-27T14:34:03Z' */
  readonly time?: string;
}

/** The session tags configure-aws-credentials sends on `AssumeRole`. */
export const ACTION_TAG_KEYS = [
  'GitHub',
  'Repository',
  'Workflow',
  'Action',
  'Actor',
  'Commit',
  'Branch',
] as const;

/**
 * A chained `AssumeRole` made by the session of a GitHub web-identity role (userIdentity
 * `AssumedRole` with `webIdFederationData`), denied by default with the `sts:TagSession` message.
 */
export function chainedAssumeRoleRecord(spec: ChainedSpec = {}): CloudTrailRecord {
  const account = spec.account ?? ACCOUNT;
  const sessionRole = spec.sessionRole ?? 'gha-base';
  const base = roleArn(sessionRole, account);
  const target = roleArn(spec.targetRole ?? 'cross-deploy', account);
  const sessionArn = `arn:aws:sts::${account}:assumed-role/${sessionRole}/GitHubActions`;
  const errorCode = spec.errorCode === undefined ? 'AccessDenied' : spec.errorCode;
  const tags = spec.tagKeys ?? ACTION_TAG_KEYS;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEEXAMPLE012:GitHubActions',
      arn: sessionArn,
      accountId: account,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE02',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEEXAMPLE012',
          arn: base,
          accountId: account,
          userName: sessionRole,
        },
        webIdFederationData: { federatedProvider: providerArn(account), attributes: {} },
        attributes: { creationDate: '2026-11-27T14:34:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: spec.time ?? '2026-11-27T14:34:03Z',
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '20.57.79.66',
    userAgent: ACTION_USER_AGENT,
    ...(errorCode === null
      ? {}
      : {
          errorCode,
          errorMessage:
            spec.errorMessage ??
            `User: ${sessionArn} is not authorized to perform: sts:TagSession on resource: ${target}`,
        }),
    requestParameters: {
      roleArn: target,
      roleSessionName: 'GitHubActions',
      tags: tags.map((key) => ({ key, value: key === 'GitHub' ? 'Actions' : 'example' })),
      transitiveTagKeys: [],
      durationSeconds: 3600,
    },
    responseElements: null,
    requestID: nextUuid(),
    eventID: nextUuid(),
    readOnly: true,
    resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: target }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: 'Management',
  };
}

/** A CloudTrail record oidcwatch is not about: a console sign-in. */
export function consoleLoginRecord(): CloudTrailRecord {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEEXAMPLE01',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      userName: 'alice',
    },
    eventTime: '2026-11-27T14:35:00Z',
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'Mozilla/5.0',
    requestParameters: null,
    responseElements: { ConsoleLogin: 'Success' },
    eventID: nextUuid(),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

/** A copy of `record` without the given top-level fields (negative cases, powertools-style). */
export function omit(record: CloudTrailRecord, ...keys: string[]): CloudTrailRecord {
  const copy = structuredClone(record);
  for (const key of keys) delete copy[key];
  return copy;
}

/** The `OidcCall` read from a record that must be in scope. */
export function callOf(record: unknown): OidcCall {
  const outcome = readRecord(record);
  if (outcome.kind !== 'call')
    throw new Error(`expected an in-scope record, got ${outcome.kind}: ${outcome.reason}`);
  return outcome.call;
}
