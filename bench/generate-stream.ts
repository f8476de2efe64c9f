/**
 * Generates a CloudTrail log file (`{"Records":[…]}`) of N realistic records for the benchmarks:
 * denied and successful `AssumeRoleWithWebIdentity` calls spread over the example roles and many
 * repositories and branches, in the shape CloudTrail writes them.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

const ACCOUNT = '111122223333';
const GH = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GH}`;
const ROLES = [
  'payments-deploy',
  'web-deploy',
  'web-preview',
  'cli-release',
  'infra-deploy',
  'billing-deploy',
  'api-deploy',
  'data-pipeline',
  'docs-publish',
  'prod-guarded',
  'shared-deploy',
  'ledger-deploy',
  'payments-deploy-prod',
];
const CONTEXTS = [
  'ref:refs/heads/main',
  'ref:refs/heads/feature/x',
  'environment:production',
  'pull_request',
  'ref:refs/tags/v1.2.3',
];

/** Attempts per failing job: configure-aws-credentials retries a denied call 12 times. */
const RETRIES = 12;

/**
 * One record, deterministic in `i`. Records come in jobs of 12 attempts (the action's retries);
 * each job is one of 13 roles × 400 repositories × 5 `sub` contexts, one job in ten succeeds.
 */
export function benchRecord(i: number): Record<string, unknown> {
  const job = Math.floor(i / RETRIES);
  const role = ROLES[job % ROLES.length] as string;
  const repo = `acme-corp/service-${(job * 7) % 400}`;
  const sub = `repo:${repo}:${CONTEXTS[job % CONTEXTS.length]}`;
  const aud = 'sts.amazonaws.com';
  const failed = job % 10 !== 0;
  const arn = `arn:aws:iam::${ACCOUNT}:role/${role}`;
  const id = `${(i >>> 0).toString(16).padStart(8, '0')}-1111-4222-a333-${String(i).padStart(12, '0')}`;
  return {
    eventVersion: '1.08',
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${PROVIDER}:${aud}:${sub}`,
      userName: sub,
      identityProvider: PROVIDER,
    },
    eventTime: new Date(Date.UTC(2026, 10, 27, 14) + i * 37).toISOString().replace(/\.\d+Z$/, 'Z'),
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRoleWithWebIdentity',
    awsRegion: 'us-east-1',
    sourceIPAddress: '20.57.79.66',
    userAgent:
      'aws-sdk-nodejs/2.1692.0 linux/v20.19.5 configure-aws-credentials-for-github-actions promise',
    ...(failed ? { errorCode: 'AccessDenied', errorMessage: 'An unknown error occurred' } : {}),
    requestParameters: { roleArn: arn, roleSessionName: 'GitHubActions' },
    responseElements: null,
    requestID: id,
    eventID: id,
    readOnly: true,
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: arn }],
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
    tlsDetails: {
      tlsVersion: 'TLSv1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      clientProvidedHostHeader: 'sts.us-east-1.amazonaws.com',
    },
  };
}

/** Writes `count` records as one CloudTrail log file; returns its size in bytes. */
export async function writeLogFile(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write('{"Records":[');
  for (let i = 0; i < count; i++)
    await write((i === 0 ? '' : ',') + JSON.stringify(benchRecord(i)));
  await write(']}\n');
  out.end();
  await once(out, 'finish');
  return bytes;
}

/**
 * One record of a diverse stream, deterministic in `i`: every failing job (12 attempts) has its
 * own repository, 5,000 roles over 20 accounts, and the time runs over 90 days, so the summary
 * meets as many repositories, roles and failing jobs as the input can hold.
 */
export function diverseRecord(i: number): Record<string, unknown> {
  const job = Math.floor(i / RETRIES);
  const base = benchRecord(i);
  const account = String(111122220000 + (job % 20)).padStart(12, '0');
  const arn = `arn:aws:iam::${account}:role/role-${job % 5000}`;
  const sub = `repo:org-${job % 97}/service-${job}:ref:refs/heads/main`;
  const provider = `arn:aws:iam::${account}:oidc-provider/${GH}`;
  return {
    ...base,
    userIdentity: {
      type: 'WebIdentityUser',
      principalId: `${provider}:sts.amazonaws.com:${sub}`,
      userName: sub,
      identityProvider: provider,
    },
    eventTime: new Date(Date.UTC(2026, 8, 1) + Math.floor((i * 7_776_000_000) / 2_000_000))
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
    errorCode: 'AccessDenied',
    errorMessage: 'An unknown error occurred',
    requestParameters: { roleArn: arn, roleSessionName: 'GitHubActions' },
    resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: arn }],
    recipientAccountId: account,
  };
}

/** Writes `count` diverse records as JSON Lines; returns its size in bytes. */
export async function writeDiverseLines(path: string, count: number): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const s = `${JSON.stringify(diverseRecord(i))}\n`;
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}
