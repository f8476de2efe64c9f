/**
 * Writes the bundled sample data in `examples/`: an IAM snapshot and CloudTrail records (as
 * EventBridge envelopes, a gzipped CloudTrail log file and JSON Lines) that together show every
 * cause and finding. The records follow the shapes CloudTrail writes:
 * failed calls carry `errorMessage: "An unknown error occurred"` for AccessDenied,
 * `responseElements: null`, `readOnly: true`, and the claims in `userIdentity`; no token is ever
 * recorded. Deterministic: run `npx tsx scripts/generate-examples.ts` and the files are identical.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const OUT = join(import.meta.dirname, '..', 'examples');
const GH = 'token.actions.githubusercontent.com';
const ACME = '111122223333';
const DATA = '444455556666';
const NOPROV = '222233334444';
const GHES_ACCT = '555566667777';
const UNKNOWN_ACCT = '777788889999';
const GHES = 'github.acme-internal.example/_services/token';
const EKS = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const GITLAB = 'gitlab.com';
/** A GitHub Enterprise Cloud custom issuer (`https://token.actions.githubusercontent.com/<enterpriseSlug>`). */
const GH_ENTERPRISE = `${GH}/acme`;
/** GitHub Enterprise Cloud with data residency: the organization moved here from github.com. */
const GHE_COM = 'token.actions.acme.ghe.com';
/** A second EKS cluster, created to replace the first. */
const EKS_NEW = 'oidc.eks.us-east-1.amazonaws.com/id/NEWCLUSTER8B2E4F19A7C3D5E60EXAMPLE';
const TFC = 'app.terraform.io';

const providerArn = (account: string, url: string) =>
  `arn:aws:iam::${account}:oidc-provider/${url}`;
const roleArn = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;

// ---- IAM snapshot -------------------------------------------------------------------------

type Condition = Record<string, Record<string, string | string[]>>;

function webIdentityPolicy(account: string, condition: Condition, extra: object[] = [], url = GH) {
  const sid =
    url === GH
      ? 'GitHubActions'
      : url === EKS
        ? 'EksServiceAccount'
        : url === GITLAB
          ? 'GitLabCI'
          : url === GH_ENTERPRISE
            ? 'GitHubEnterpriseIssuer'
            : url === TFC
              ? 'TerraformCloud'
              : 'GitHubEnterprise';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Federated: providerArn(account, url) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
      ...extra,
    ],
  };
}

const AUD = { [`${GH}:aud`]: 'sts.amazonaws.com' };
const sub = (values: string | string[]) => ({ [`${GH}:sub`]: values });

const acmeRoles = [
  [
    'payments-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:acme-corp/payments-api:ref:refs/heads/main') },
    }),
  ],
  [
    'web-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/web:environment:staging'),
    }),
  ],
  [
    'web-preview',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/web:ref:refs/heads/*'),
    }),
  ],
  [
    'cli-release',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/cli:ref:refs/tags/v*'),
    }),
  ],
  [
    'infra-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:Acme-Corp/infra:ref:refs/heads/main') },
    }),
  ],
  [
    'billing-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/billing-service:*'),
    }),
  ],
  [
    'api-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: {
        ...AUD,
        ...sub(
          'repo:acme-corp/api:environment:prod:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main'
        ),
      },
    }),
  ],
  [
    'data-pipeline',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/data-pipeline:*'),
    }),
  ],
  [
    'docs-publish',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/docs:ref:refs/heads/main'),
    }),
  ],
  [
    'copied-deploy',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: providerArn('999988887777', GH) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: AUD, StringLike: sub('repo:acme-corp/mobile:*') },
        },
      ],
    },
  ],
  [
    'search-deploy',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitHubActions',
          Effect: 'Allow',
          Principal: { Federated: providerArn(ACME, GH) },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: AUD, StringLike: sub('repo:acme-corp/search:*') },
        },
      ],
    },
  ],
  [
    'prod-guarded',
    webIdentityPolicy(ACME, { StringEquals: AUD, StringLike: sub('repo:acme-corp/*') }, [
      {
        Sid: 'OnlyMainInProd',
        Effect: 'Deny',
        Principal: { Federated: providerArn(ACME, GH) },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringNotLike: sub('repo:acme-corp/*:ref:refs/heads/main') },
      },
    ]),
  ],
  [
    'shared-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: {
        ...AUD,
        [`${GH}:job_workflow_ref`]:
          'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
      },
      StringLike: sub('repo:acme-corp/orders:*'),
    }),
  ],
  [
    'ledger-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:acme-corp/ledger:ref:refs/heads/main') },
    }),
  ],
  ['legacy-ci', webIdentityPolicy(ACME, { StringEquals: AUD })],
  ['sandbox', webIdentityPolicy(ACME, { StringEquals: AUD, StringLike: sub('repo:*') })],
  [
    'metrics-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      'ForAllValues:StringLike': sub('repo:acme-corp/metrics:*'),
    }),
  ],
  [
    'vendor-sync',
    webIdentityPolicy(ACME, { StringEquals: AUD, StringLike: sub('repo:octo-org/octo-repo:*') }),
  ],
  [
    'tools-deploy',
    webIdentityPolicy(ACME, { StringEquals: { ...AUD, ...sub('repo:acme-corp/tools:*') } }),
  ],
  [
    'reports-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:acme-corp/reports:ref:refs/heads/main') },
    }),
  ],
  [
    'gha-base',
    webIdentityPolicy(ACME, { StringEquals: AUD, StringLike: sub('repo:acme-corp/platform:*') }),
  ],
  [
    'cross-deploy',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ChainFromGitHub',
          Effect: 'Allow',
          Principal: { AWS: roleArn(ACME, 'gha-base') },
          Action: 'sts:AssumeRole',
        },
      ],
    },
  ],
  [
    'eks-external-dns',
    webIdentityPolicy(
      ACME,
      {
        StringEquals: {
          [`${EKS}:aud`]: 'sts.amazonaws.com',
          [`${EKS}:sub`]: 'system:serviceaccount:kube-system:external-dns',
        },
      },
      [],
      EKS
    ),
  ],
  [
    'gitlab-deploy',
    webIdentityPolicy(
      ACME,
      {
        StringEquals: {
          [`${GITLAB}:aud`]: 'https://gitlab.com',
          [`${GITLAB}:sub`]: 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
        },
      },
      [],
      GITLAB
    ),
  ],
  // Planted for `oidcwatch audit` (no CloudTrail record: these are found in IAM alone).
  // A sub pattern without the "repo:" prefix: GitHub subjects never look like that.
  [
    'pages-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('acme-corp/pages:ref:refs/heads/main'),
    }),
  ],
  // Trusts the enterprise issuer (…/acme) but keys its conditions on the default issuer's prefix:
  // those keys are absent from the request, so the statement never admits anything.
  [
    'enterprise-deploy',
    webIdentityPolicy(
      ACME,
      { StringEquals: AUD, StringLike: sub('repo:acme-corp/enterprise-tools:*') },
      [],
      GH_ENTERPRISE
    ),
  ],
  // Copied from a GitLab role: trusts GitHub's provider, conditions on a gitlab.com key.
  [
    'mirror-sync',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: { [`${GITLAB}:sub`]: 'project_path:acme-corp/mirror:*' },
    }),
  ],
  // ---- remedies (issue 10): realistic cases where the obvious fix is wrong ----------------------
  // An owner-wide pattern written in another case than GitHub spells the owner: the fix adds the
  // owner-wide pattern in the right case beside it, never the one repository in its place.
  [
    'platform-tools',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:ACME-CORP/*:ref:refs/heads/main'),
    }),
  ],
  // StringEqualsIgnoreCase: the owner's case differs, but what rejects the job is the branch.
  [
    'portal-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringEqualsIgnoreCase: sub('repo:Acme-Corp/portal:ref:refs/heads/main'),
    }),
  ],
  // A negated condition in an Allow: production is excluded on purpose.
  [
    'preview-sandbox',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/*'),
      StringNotLike: sub('repo:acme-corp/*:environment:production'),
    }),
  ],
  // Null "false": only jobs that declare an environment.
  [
    'portal-env',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp/portal:*'),
      Null: { [`${GH}:environment`]: 'false' },
    }),
  ],
  // A custom sub template that pins the shared deployment workflow.
  [
    'release-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: {
        ...AUD,
        ...sub(
          'repo:acme-corp/release:environment:prod:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main'
        ),
      },
    }),
  ],
  // Merge-queue runs get a new ref every time.
  [
    'monorepo-ci',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:acme-corp/monorepo:ref:refs/heads/main') },
    }),
  ],
  // The payroll repository moved to GHE.com (data residency); the role still trusts github.com.
  [
    'payroll-deploy',
    webIdentityPolicy(ACME, { StringEquals: AUD, StringLike: sub('repo:acme-corp/payroll:*') }),
  ],
  // cert-manager moved to a new EKS cluster; the role trusts the old cluster's issuer.
  [
    'eks-cert-manager',
    webIdentityPolicy(
      ACME,
      {
        StringEquals: {
          [`${EKS}:aud`]: 'sts.amazonaws.com',
          [`${EKS}:sub`]: 'system:serviceaccount:cert-manager:cert-manager',
        },
      },
      [],
      EKS
    ),
  ],
  // Plan and apply are separate roles on purpose.
  [
    'tf-network-plan',
    webIdentityPolicy(
      ACME,
      {
        StringEquals: { [`${TFC}:aud`]: 'aws.workload.identity' },
        StringLike: {
          [`${TFC}:sub`]: 'organization:acme-corp:project:*:workspace:network:run_phase:plan',
        },
      },
      [],
      TFC
    ),
  ],
  // The repository pinned by ids was deleted and re-created (new repository id).
  [
    'ledger-v2-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: sub('repo:acme-corp@41235811/ledger-v2@555000111:*'),
    }),
  ],
  // A misspelled condition key: "subject" is no key STS sets, so the statement never matches.
  [
    'reports-export',
    webIdentityPolicy(ACME, {
      StringEquals: AUD,
      StringLike: { [`${GH}:subject`]: 'repo:acme-corp/reports:*' },
    }),
  ],
  // Two statements, each with its own operator.
  [
    'storefront-deploy',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'MainBranch',
          Effect: 'Allow',
          Principal: { Federated: providerArn(ACME, GH) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { ...AUD, ...sub('repo:acme-corp/storefront:ref:refs/heads/main') },
          },
        },
        {
          Sid: 'ReleaseBranches',
          Effect: 'Allow',
          Principal: { Federated: providerArn(ACME, GH) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: AUD,
            StringLike: sub('repo:acme-corp/storefront:ref:refs/heads/release/*'),
          },
        },
      ],
    },
  ],
  // Written by hand with "allow": IAM would reject this document (a snapshot edited offline).
  [
    'importer-deploy',
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitHubActions',
          Effect: 'allow',
          Principal: { Federated: providerArn(ACME, GH) },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: AUD, StringLike: sub('repo:acme-corp/importer:*') },
        },
      ],
    },
  ],
  // A long-running export asks for more than IAM's 12-hour maximum.
  [
    'batch-export',
    webIdentityPolicy(ACME, { StringEquals: AUD, StringLike: sub('repo:acme-corp/batch:*') }),
  ],
  // Planted for `oidcwatch audit --github` (clean in IAM; GitHub tells): on GitHub,
  // acme-corp/reporting was renamed acme-corp/insights and acme-corp/billing-v1 was deleted.
  [
    'reporting-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:acme-corp/reporting:environment:production') },
    }),
  ],
  [
    'billing-v1-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: { ...AUD, ...sub('repo:acme-corp/billing-v1:ref:refs/heads/main') },
    }),
  ],
] as const;

const snapshot = {
  accounts: {
    [ACME]: {
      roles: acmeRoles.map(([name, policy]) => ({
        arn: roleArn(ACME, name),
        trustPolicy:
          name === 'reports-deploy' ? encodeURIComponent(JSON.stringify(policy)) : policy,
        maxSessionDuration: 3600,
      })),
      oidcProviders: [
        {
          arn: providerArn(ACME, GH),
          url: GH,
          clientIds: ['sts.amazonaws.com', 'https://github.com/acme-corp'],
          thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        },
        {
          arn: providerArn(ACME, EKS),
          url: EKS,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
        },
        {
          arn: providerArn(ACME, GITLAB),
          url: GITLAB,
          clientIds: ['https://gitlab.com'],
          thumbprints: ['b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a'],
        },
        {
          arn: providerArn(ACME, GH_ENTERPRISE),
          url: GH_ENTERPRISE,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        },
        {
          arn: providerArn(ACME, GHE_COM),
          url: GHE_COM,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        },
        {
          arn: providerArn(ACME, EKS_NEW),
          url: EKS_NEW,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
        },
        {
          arn: providerArn(ACME, TFC),
          url: TFC,
          clientIds: ['aws.workload.identity'],
          thumbprints: ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'],
        },
      ],
    },
    [DATA]: {
      roles: [
        {
          // Reached by role chaining from the platform account's gha-base (sts:AssumeRole only).
          arn: roleArn(DATA, 'analytics-admin'),
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'FromPlatformCi',
                Effect: 'Allow',
                Principal: { AWS: roleArn(ACME, 'gha-base') },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          maxSessionDuration: 3600,
        },
        {
          arn: roleArn(DATA, 'analytics-deploy'),
          trustPolicy: webIdentityPolicy(DATA, {
            StringEquals: AUD,
            StringLike: sub('repo:acme-corp/analytics:*'),
          }),
          maxSessionDuration: 3600,
        },
      ],
      oidcProviders: [
        {
          arn: providerArn(DATA, GH),
          url: GH,
          clientIds: ['https://github.com/acme-corp'],
          thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        },
      ],
    },
    [NOPROV]: {
      roles: [
        {
          arn: roleArn(NOPROV, 'staging-deploy'),
          trustPolicy: webIdentityPolicy(NOPROV, {
            StringEquals: AUD,
            StringLike: sub('repo:acme-corp/payments-api:*'),
          }),
          maxSessionDuration: 3600,
        },
      ],
      oidcProviders: [],
    },
    [GHES_ACCT]: {
      roles: [
        {
          arn: roleArn(GHES_ACCT, 'ghes-deploy'),
          trustPolicy: webIdentityPolicy(
            GHES_ACCT,
            {
              StringEquals: { [`${GHES}:aud`]: 'sts.amazonaws.com' },
              StringLike: { [`${GHES}:sub`]: 'repo:platform/deployer:*' },
            },
            [],
            GHES
          ),
          maxSessionDuration: 3600,
        },
      ],
      oidcProviders: [
        {
          arn: providerArn(GHES_ACCT, GHES),
          url: GHES,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['0000000000000000000000000000000000000000'],
        },
      ],
    },
  },
};

// ---- CloudTrail records -------------------------------------------------------------------

let counter = 0;
/** A deterministic UUID-shaped id. */
function uuid(seed: string): string {
  const h = createHash('sha256').update(`${seed}:${counter++}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const USER_AGENT =
  'aws-sdk-nodejs/2.1692.0 linux/v20.19.5 configure-aws-credentials-for-github-actions promise';

interface CallSpec {
  time: string;
  account: string;
  region?: string;
  url?: string;
  aud?: string;
  sub: string;
  role: string | null;
  errorCode?: string;
  errorMessage?: string;
  duration?: number;
  sessionName?: string;
  roleArnRecorded?: boolean;
  noResources?: boolean;
  /** Record `identityProvider` as the bare issuer host rather than the provider ARN. */
  bareProvider?: boolean;
}

function webIdentityRecord(s: CallSpec): Record<string, unknown> {
  const region = s.region ?? 'us-east-1';
  const url = s.url ?? GH;
  const aud = s.aud ?? 'sts.amazonaws.com';
  const provider = s.bareProvider ? url : providerArn(s.account, url);
  const arn = s.role === null ? null : roleArn(s.account, s.role);
  const session = s.sessionName ?? 'GitHubActions';
  const failed = s.errorCode !== undefined;
  const record: Record<string, unknown> = {
    eventVersion: '1.08',
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${provider}:${aud}:${s.sub}`,
      userName: s.sub,
      identityProvider: provider,
    },
    eventTime: s.time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: region,
    sourceIPAddress: '20.57.79.66',
    userAgent: USER_AGENT,
  };
  if (failed) {
    record.errorCode = s.errorCode;
    record.errorMessage = s.errorMessage ?? 'An unknown error occurred';
  }
  record.requestParameters = {
    roleArn: s.roleArnRecorded === false ? null : arn,
    roleSessionName: session,
    ...(s.duration === undefined ? {} : { durationSeconds: s.duration }),
  };
  record.responseElements = failed
    ? null
    : {
        credentials: {
          accessKeyId: 'ASIAEXAMPLEEXAMPLE01',
          sessionToken: 'EXAMPLE-SESSION-TOKEN-NOT-REAL',
          expiration: 'Nov 27, 2026, 3:46:56 PM',
        },
        subjectFromWebIdentityToken: s.sub,
        assumedRoleUser: {
          assumedRoleId: `AROAEXAMPLEEXAMPLE012:${session}`,
          arn: `arn:aws:sts::${s.account}:assumed-role/${s.role}/${session}`,
        },
        provider,
        audience: aud,
      };
  if (!failed)
    record.additionalEventData = {
      identityProviderConnectionVerificationMethod: 'IAMTrustStore',
      RequestDetails: { awsServingRegion: region, endpointType: 'regional' },
    };
  record.requestID = uuid(`${s.time}req`);
  record.eventID = uuid(`${s.time}evt`);
  record.readOnly = true;
  if (arn !== null && !s.noResources)
    record.resources = [{ accountId: s.account, type: 'AWS::IAM::Role', ARN: arn }];
  record.eventType = 'AwsApiCall';
  record.managementEvent = true;
  record.recipientAccountId = s.account;
  record.eventCategory = 'Management';
  record.tlsDetails = {
    tlsVersion: 'TLSv1.3',
    cipherSuite: 'TLS_AES_128_GCM_SHA256',
    clientProvidedHostHeader: `sts.${region}.amazonaws.com`,
  };
  return record;
}

function envelope(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: uuid('envelope'),
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: record.recipientAccountId,
    time: (record.eventTime as string).replace(/\.\d+Z$/, 'Z'),
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** The action's backoff: attempts 1–8 within seconds, 9–12 spread over ~100 s. */
function retryTimes(start: string, attempts = 12): string[] {
  const t0 = Date.parse(start);
  const offsets = [0, 0.1, 0.3, 0.7, 1.4, 2.6, 4.2, 6.1, 14, 31, 62, 101];
  return offsets
    .slice(0, attempts)
    .map((o) => new Date(t0 + o * 1000).toISOString().replace(/\.000Z$/, 'Z'));
}

const failures: CallSpec[] = [
  // The 3 a.m. story: the payments job now declares `environment: production`; 2 matrix jobs × 12 retries.
  ...retryTimes('2026-11-27T14:03:12Z').map((time) => ({
    time,
    account: ACME,
    sub: 'repo:acme-corp/payments-api:environment:production',
    role: 'payments-deploy',
    errorCode: 'AccessDenied',
  })),
  ...retryTimes('2026-11-27T14:03:14Z').map((time) => ({
    time,
    account: ACME,
    sub: 'repo:acme-corp/payments-api:environment:production',
    role: 'payments-deploy',
    errorCode: 'AccessDenied',
  })),
  {
    time: '2026-11-27T14:05:40Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/feature/retry-logic',
    role: 'payments-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:06:02Z',
    account: ACME,
    sub: 'repo:acme-corp/web:environment:production',
    role: 'web-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:06:30Z',
    account: ACME,
    sub: 'repo:acme-corp/web:pull_request',
    role: 'web-preview',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:07:11Z',
    account: ACME,
    sub: 'repo:acme-corp/cli:ref:refs/tags/release-2026.11',
    role: 'cli-release',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:08:45Z',
    account: ACME,
    sub: 'repo:acme-corp/infra:ref:refs/heads/main',
    role: 'infra-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:09:13Z',
    account: ACME,
    sub: 'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main',
    role: 'billing-deploy',
    errorCode: 'AccessDenied',
    roleArnRecorded: false,
  },
  {
    time: '2026-11-27T14:10:27Z',
    account: ACME,
    sub: 'repo:acme-corp/api:environment:prod',
    role: 'api-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:11:05Z',
    account: ACME,
    sub: 'repo:acme-corp/analytics:ref:refs/heads/main',
    role: 'data-pipeline',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:12:51Z',
    account: ACME,
    aud: 'https://github.com/acme-corp',
    sub: 'repo:acme-corp/docs:ref:refs/heads/main',
    role: 'docs-publish',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:13:20Z',
    account: ACME,
    sub: 'repo:acme-corp/mobile:ref:refs/heads/main',
    role: 'copied-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:14:02Z',
    account: ACME,
    sub: 'repo:acme-corp/search:ref:refs/heads/main',
    role: 'search-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:15:33Z',
    account: ACME,
    sub: 'repo:acme-corp/checkout:ref:refs/heads/hotfix/cart',
    role: 'prod-guarded',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:16:48Z',
    account: ACME,
    sub: 'repo:acme-corp/orders:ref:refs/heads/main',
    role: 'shared-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:17:30Z',
    account: ACME,
    sub: 'repo:acme-corp/ledger:ref:refs/heads/main',
    role: 'ledger-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:18:09Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy-prod',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:19:44Z',
    account: ACME,
    sub: 'repo:acme-corp/web:ref:refs/heads/main',
    role: null,
    errorCode: 'AccessDenied',
    roleArnRecorded: false,
    noResources: true,
  },
  {
    time: '2026-11-27T14:20:15Z',
    account: ACME,
    sub: 'repo:acme-corp/tools:ref:refs/heads/main',
    role: 'tools-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:21:37Z',
    account: ACME,
    sub: 'repo:acme-corp/reports:ref:refs/heads/main',
    role: 'reports-deploy',
    errorCode: 'ValidationError',
    errorMessage: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    duration: 7200,
  },
  {
    time: '2026-11-27T14:22:03Z',
    account: ACME,
    sub: 'repo:acme-corp/reports:ref:refs/heads/main',
    role: 'reports-deploy',
    errorCode: 'ValidationError',
    errorMessage:
      "1 validation error detected: Value 'dependabot[bot]' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    sessionName: 'dependabot[bot]',
  },
  {
    time: '2026-11-27T14:23:12Z',
    account: ACME,
    region: 'af-south-1',
    sub: 'repo:acme-corp/web:ref:refs/heads/main',
    role: 'web-preview',
    errorCode: 'RegionDisabledException',
    errorMessage: `STS is not activated in this region for account:${ACME}. Your account administrator can activate STS in this region using the IAM Console.`,
  },
  {
    time: '2026-11-27T14:24:56Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
    errorCode: 'ExpiredTokenException',
    errorMessage:
      'Token expired: current date/time 1795875896 must be before the expiration date/time1795875795',
  },
  {
    time: '2026-11-27T14:25:30Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
    errorCode: 'InvalidIdentityToken',
    errorMessage:
      "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements",
  },
  {
    time: '2026-11-27T14:26:01Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
    errorCode: 'IDPCommunicationError',
    errorMessage: 'The identity provider could not be reached.',
  },
  {
    time: '2026-11-27T14:26:40Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
    errorCode: 'IDPRejectedClaim',
    errorMessage: 'The claim has been revoked.',
  },
  {
    time: '2026-11-27T14:27:18Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
    errorCode: 'InvalidIdentityToken',
    errorMessage: 'Missing a required claim: aud',
  },
  {
    time: '2026-11-27T14:28:05Z',
    account: DATA,
    sub: 'repo:acme-corp/analytics:ref:refs/heads/main',
    role: 'analytics-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:28:50Z',
    account: DATA,
    sub: 'repo:acme-corp/analytics:ref:refs/heads/main',
    role: 'analytics-deploy',
    errorCode: 'InvalidIdentityToken',
    errorMessage: 'Incorrect token audience',
  },
  {
    time: '2026-11-27T14:29:31Z',
    account: NOPROV,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'staging-deploy',
    errorCode: 'InvalidIdentityToken',
    errorMessage:
      'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
  },
  {
    time: '2026-11-27T14:30:12Z',
    account: NOPROV,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'staging-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:31:44Z',
    account: GHES_ACCT,
    url: GHES,
    sub: 'repo:platform/deployer:ref:refs/heads/main',
    role: 'ghes-deploy',
    errorCode: 'InvalidIdentityToken',
    errorMessage: "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
  },
  {
    time: '2026-11-27T14:32:20Z',
    account: UNKNOWN_ACCT,
    sub: 'repo:acme-corp/warehouse:ref:refs/heads/main',
    role: 'warehouse-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:33:02Z',
    account: ACME,
    url: EKS,
    sub: 'system:serviceaccount:kube-system:external-dns-v2',
    role: 'eks-external-dns',
    errorCode: 'AccessDenied',
    sessionName: 'botocore-session-1795876382',
  },
  {
    time: '2026-11-27T14:33:40Z',
    account: ACME,
    url: GITLAB,
    aud: 'https://gitlab.com',
    sub: 'project_path:acme-corp/platform/api:ref_type:branch:ref:feature-x',
    role: 'gitlab-deploy',
    errorCode: 'AccessDenied',
  },
];

const successes: CallSpec[] = [
  {
    time: '2026-11-27T14:00:05Z',
    account: ACME,
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
  },
  {
    time: '2026-11-27T14:01:10Z',
    account: ACME,
    sub: 'repo:acme-corp/legacy-app:ref:refs/heads/main',
    role: 'legacy-ci',
  },
  {
    time: '2026-11-27T14:01:50Z',
    account: ACME,
    sub: 'repo:someone-else/fork:ref:refs/heads/main',
    role: 'sandbox',
  },
  {
    time: '2026-11-27T14:02:20Z',
    account: ACME,
    sub: 'repo:acme-corp/metrics:ref:refs/heads/main',
    role: 'metrics-deploy',
  },
  {
    time: '2026-11-27T14:02:45Z',
    account: ACME,
    sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    role: 'vendor-sync',
  },
  {
    time: '2026-11-27T14:34:00Z',
    account: ACME,
    sub: 'repo:acme-corp/platform:ref:refs/heads/main',
    role: 'gha-base',
  },
];

/**
 * A chained AssumeRole by the gha-base web-identity session, denied for sts:TagSession. A
 * cross-account target is recorded in the caller's account (recipientAccountId), not the role's.
 */
function chainedTagSessionRecord(
  target = roleArn(ACME, 'cross-deploy'),
  time = '2026-11-27T14:34:03Z',
  action = 'sts:TagSession'
): Record<string, unknown> {
  const base = roleArn(ACME, 'gha-base');
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEEXAMPLE012:GitHubActions',
      arn: `arn:aws:sts::${ACME}:assumed-role/gha-base/GitHubActions`,
      accountId: ACME,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE02',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEEXAMPLE012',
          arn: base,
          accountId: ACME,
          userName: 'gha-base',
        },
        webIdFederationData: { federatedProvider: providerArn(ACME, GH), attributes: {} },
        attributes: { creationDate: '2026-11-27T14:34:00Z', mfaAuthenticated: 'false' },
      },
    },
    eventTime: time,
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    awsRegion: 'us-east-1',
    sourceIPAddress: '20.57.79.66',
    userAgent: USER_AGENT,
    errorCode: 'AccessDenied',
    errorMessage: `User: arn:aws:sts::${ACME}:assumed-role/gha-base/GitHubActions is not authorized to perform: ${action} on resource: ${target}`,
    requestParameters: {
      roleArn: target,
      roleSessionName: 'GitHubActions',
      tags: ['GitHub', 'Repository', 'Workflow', 'Action', 'Actor', 'Commit', 'Branch'].map(
        (key) => ({ key, value: key === 'GitHub' ? 'Actions' : 'example' })
      ),
      durationSeconds: 3600,
    },
    responseElements: null,
    requestID: uuid('chained-req'),
    eventID: uuid('chained-evt'),
    readOnly: true,
    resources: [{ accountId: target.split(':')[4], type: 'AWS::IAM::Role', ARN: target }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACME,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'sts.us-east-1.amazonaws.com',
    },
  };
}

/** A record oidcwatch is not about (a console login). */
function consoleLogin(): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEEXAMPLE01',
      arn: `arn:aws:iam::${ACME}:user/alice`,
      accountId: ACME,
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
    eventID: uuid('console'),
    readOnly: false,
    eventType: 'AwsConsoleSignIn',
    managementEvent: true,
    recipientAccountId: ACME,
    eventCategory: 'Management',
  };
}

// ---- write --------------------------------------------------------------------------------

rmSync(join(OUT, 'events'), { recursive: true, force: true });
mkdirSync(join(OUT, 'events', 'eventbridge'), { recursive: true });
mkdirSync(join(OUT, 'events', 'cloudtrail-s3'), { recursive: true });

writeFileSync(join(OUT, 'iam-snapshot.json'), `${JSON.stringify(snapshot, null, 2)}\n`);

const failureRecords = failures.map(webIdentityRecord);
// The burst and the first half of single failures arrive as EventBridge envelopes (one file each).
const burst = failureRecords.slice(0, 24);
const singles = failureRecords.slice(24);
burst.forEach((r, i) => {
  writeFileSync(
    join(OUT, 'events', 'eventbridge', `payments-burst-${String(i + 1).padStart(2, '0')}.json`),
    `${JSON.stringify(envelope(r), null, 2)}\n`
  );
});
// The rest as one CloudTrail log file, gzipped as CloudTrail writes to S3 (successes mixed in).
const logRecords = [
  ...successes.map(webIdentityRecord),
  ...singles,
  chainedTagSessionRecord(),
].sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
writeFileSync(
  join(
    OUT,
    'events',
    'cloudtrail-s3',
    `${ACME}_CloudTrail_us-east-1_20261127T1435Z_EXAMPLE.json.gz`
  ),
  gzipSync(`${JSON.stringify({ Records: logRecords })}\n`, { level: 9 })
);
// An export with an out-of-scope record and a truncated one: nothing is dropped silently.
const truncated = JSON.stringify(
  webIdentityRecord({
    time: '2026-11-27T14:36:00Z',
    account: ACME,
    sub: 'repo:acme-corp/web:ref:refs/heads/main',
    role: 'web-preview',
    errorCode: 'AccessDenied',
  })
).slice(0, 180);
const noIdentity = {
  ...webIdentityRecord({
    time: '2026-11-27T14:36:30Z',
    account: ACME,
    sub: 'repo:acme-corp/web:ref:refs/heads/main',
    role: 'web-preview',
    errorCode: 'AccessDenied',
  }),
};
delete noIdentity.userIdentity;
writeFileSync(
  join(OUT, 'events', 'export.jsonl'),
  `${[JSON.stringify(consoleLogin()), truncated, JSON.stringify(noIdentity)].join('\n')}\n`
);
// ---- IAM configuration changes (classify --changes) ------------------------------------------

/** A CloudTrail `UpdateAssumeRolePolicy` record: the new document as JSON text (no old one). */
function trustPolicyChange(
  time: string,
  roleName: string,
  policy: unknown,
  actor: string
): Record<string, unknown> {
  const session = /assumed-role\/([^/]+)\//.exec(actor)?.[1] ?? 'PlatformAdmin';
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEEXAMPLE099:${actor.split('/').at(-1)}`,
      arn: actor,
      accountId: ACME,
      accessKeyId: 'ASIAEXAMPLEEXAMPLE09',
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEEXAMPLE099',
          arn: roleArn(ACME, session),
          accountId: ACME,
          userName: session,
        },
        attributes: { creationDate: time, mfaAuthenticated: 'false' },
      },
    },
    eventTime: time,
    eventSource: 'iam.amazonaws.com',
    eventName: 'UpdateAssumeRolePolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.77',
    userAgent: 'aws-cli/2.17.60 md/command#iam.update-assume-role-policy',
    requestParameters: { roleName, policyDocument: JSON.stringify(policy, null, 2) },
    responseElements: null,
    requestID: uuid(`${time}change-req`),
    eventID: uuid(`${time}change-evt`),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACME,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'iam.amazonaws.com',
    },
  };
}

const policyOf = (name: string) =>
  (acmeRoles.find(([n]) => n === name) as readonly [string, unknown])[1];
const ALICE = `arn:aws:sts::${ACME}:assumed-role/PlatformAdmin/alice@example.com`;
const BOB = `arn:aws:sts::${ACME}:assumed-role/PlatformAdmin/bob@example.com`;
// A week earlier the payments role also admitted the production environment; six minutes before
// the burst, a "tidy-up" removed it. The web-preview edit the same afternoon explains nothing.
const changes = [
  trustPolicyChange(
    '2026-11-20T09:12:40Z',
    'payments-deploy',
    webIdentityPolicy(ACME, {
      StringEquals: {
        ...AUD,
        ...sub([
          'repo:acme-corp/payments-api:ref:refs/heads/main',
          'repo:acme-corp/payments-api:environment:production',
        ]),
      },
    }),
    BOB
  ),
  trustPolicyChange('2026-11-27T13:40:11Z', 'web-preview', policyOf('web-preview'), BOB),
  trustPolicyChange('2026-11-27T13:57:04Z', 'payments-deploy', policyOf('payments-deploy'), ALICE),
];
rmSync(join(OUT, 'changes'), { recursive: true, force: true });
mkdirSync(join(OUT, 'changes'), { recursive: true });
writeFileSync(
  join(OUT, 'changes', 'iam-changes.jsonl'),
  `${changes.map((c) => JSON.stringify(c)).join('\n')}\n`
);

// ---- remedies (issue 10): cases where the obvious fix is wrong -----------------------------------
// Written last (their ids come after every other record's, so the files above do not change) into a
// second CloudTrail log file of the same account.

const remedyFailures: CallSpec[] = [
  {
    time: '2026-11-27T14:37:05Z',
    account: ACME,
    sub: 'repo:acme-corp/platform-tools:ref:refs/heads/main',
    role: 'platform-tools',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:37:40Z',
    account: ACME,
    sub: 'repo:acme-corp/portal:ref:refs/heads/develop',
    role: 'portal-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:38:12Z',
    account: ACME,
    sub: 'repo:acme-corp/web:environment:production',
    role: 'preview-sandbox',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:38:51Z',
    account: ACME,
    sub: 'repo:acme-corp/portal:ref:refs/heads/main',
    role: 'portal-env',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:39:30Z',
    account: ACME,
    sub: 'repo:acme-corp/release:environment:prod:job_workflow_ref:acme-corp/release/.github/workflows/hotfix.yml@refs/heads/main',
    role: 'release-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:40:02Z',
    account: ACME,
    sub: 'repo:acme-corp/monorepo:ref:refs/heads/gh-readonly-queue/main/pr-4821-3f9c2d7e8a1b4c6d9e0f1a2b3c4d5e6f7a8b9c0d',
    role: 'monorepo-ci',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:40:44Z',
    account: ACME,
    url: GHE_COM,
    sub: 'repo:acme-corp/payroll:ref:refs/heads/main',
    role: 'payroll-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:41:20Z',
    account: ACME,
    url: EKS_NEW,
    sub: 'system:serviceaccount:cert-manager:cert-manager',
    role: 'eks-cert-manager',
    errorCode: 'AccessDenied',
    sessionName: 'botocore-session-1795877680',
  },
  {
    // A job naming the chained-to role directly: it has no Federated principal, on purpose.
    time: '2026-11-27T14:41:58Z',
    account: ACME,
    sub: 'repo:acme-corp/platform:ref:refs/heads/main',
    role: 'cross-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:42:31Z',
    account: ACME,
    url: TFC,
    aud: 'aws.workload.identity',
    sub: 'organization:acme-corp:project:infra:workspace:network:run_phase:apply',
    role: 'tf-network-plan',
    errorCode: 'AccessDenied',
    sessionName: 'terraform-run-apply',
  },
  {
    time: '2026-11-27T14:43:07Z',
    account: ACME,
    sub: 'repo:acme-corp@41235811/ledger-v2@555000999:ref:refs/heads/main',
    role: 'ledger-v2-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:43:45Z',
    account: ACME,
    sub: 'repo:acme-corp/reports:ref:refs/heads/main',
    role: 'reports-export',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:44:19Z',
    account: ACME,
    sub: 'repo:acme-corp/storefront:ref:refs/heads/hotfix/checkout-total',
    role: 'storefront-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:44:58Z',
    account: ACME,
    sub: 'repo:acme-corp/importer:ref:refs/heads/main',
    role: 'importer-deploy',
    errorCode: 'AccessDenied',
  },
  {
    time: '2026-11-27T14:45:36Z',
    account: ACME,
    sub: 'repo:acme-corp/batch:ref:refs/heads/main',
    role: 'batch-export',
    errorCode: 'ValidationError',
    errorMessage: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    duration: 50_000,
  },
  {
    // identityProvider recorded as the bare issuer host: compared by issuer, not as an ARN.
    time: '2026-11-27T14:46:10Z',
    account: ACME,
    sub: 'repo:acme-corp/web:ref:refs/tags/v2.3.0',
    role: 'web-preview',
    errorCode: 'AccessDenied',
    bareProvider: true,
  },
  {
    time: '2026-11-27T14:46:49Z',
    account: ACME,
    url: GITLAB,
    aud: 'https://gitlab.com',
    sub: 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
    role: 'gitlab-deploy',
    errorCode: 'ExpiredTokenException',
    errorMessage:
      'Token expired: current date/time 1795877209 must be before the expiration date/time1795877100',
  },
];
const remedyRecords = [
  ...remedyFailures.map(webIdentityRecord),
  chainedTagSessionRecord(
    roleArn(DATA, 'analytics-admin'),
    '2026-11-27T14:47:22Z',
    'sts:AssumeRole'
  ),
];
writeFileSync(
  join(
    OUT,
    'events',
    'cloudtrail-s3',
    `${ACME}_CloudTrail_us-east-1_20261127T1450Z_EXAMPLE.json.gz`
  ),
  gzipSync(`${JSON.stringify({ Records: remedyRecords })}\n`, { level: 9 })
);

console.log(
  `wrote ${failureRecords.length + successes.length + 4 + remedyRecords.length} records, ${changes.length} IAM changes and the IAM snapshot to ${OUT}`
);
