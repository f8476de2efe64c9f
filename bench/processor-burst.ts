/**
 * Child process of the benchmark: a burst of 3,000 failure events over 10 roles in 2 accounts,
 * fired concurrently at the processor (as a 256-job matrix with retries produces), against a
 * counting fake IAM with simulated latency. Then warm per-event latency, one event at a time.
 */
import { Writable } from 'node:stream';
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { readConfig } from '../src/handler/config.js';
import { buildDeps } from '../src/handler/deps.js';
import { handleEvent } from '../src/handler/process-event.js';

const LATENCY_MS = 20;
const HOME = '111122223333';
const MEMBER = '444455556666';
const GH = 'token.actions.githubusercontent.com';
const delay = <T>(value: T) => new Promise<T>((r) => setTimeout(() => r(value), LATENCY_MS));
const roles = Array.from({ length: 10 }, (_, i) => ({
  account: i < 5 ? HOME : MEMBER,
  name: `deploy-${i}`,
}));

const iam = mockClient(IAMClient);
const sts = mockClient(STSClient);
iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => {
  const account = Number(input.RoleName.split('-')[1]) < 5 ? HOME : MEMBER;
  const policy = {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: `arn:aws:iam::${account}:oidc-provider/${GH}` },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${GH}:aud`]: 'sts.amazonaws.com',
            [`${GH}:sub`]: `repo:acme-corp/${input.RoleName}:ref:refs/heads/main`,
          },
        },
      },
    ],
  };
  return delay({
    Role: {
      Arn: `arn:aws:iam::${account}:role/${input.RoleName}`,
      RoleName: input.RoleName,
      Path: '/',
      RoleId: 'AROA',
      CreateDate: new Date(0),
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(policy)),
    },
  });
});
iam
  .on(ListOpenIDConnectProvidersCommand)
  .callsFake(() =>
    delay({ OpenIDConnectProviderList: [{ Arn: `arn:aws:iam::${HOME}:oidc-provider/${GH}` }] })
  );
iam
  .on(GetOpenIDConnectProviderCommand)
  .callsFake(() => delay({ Url: GH, ClientIDList: ['sts.amazonaws.com'], ThumbprintList: [] }));
iam.on(ListRolesCommand).callsFake(() => delay({ Roles: [], IsTruncated: false }));
sts.on(AssumeRoleCommand).callsFake(() =>
  delay({
    Credentials: {
      AccessKeyId: 'ASIA',
      SecretAccessKey: 's',
      SessionToken: 't',
      Expiration: new Date(Date.now() + 3_600_000),
    },
  })
);

const sink = new Writable({ write: (_c, _e, cb) => cb() });
const deps = buildDeps(
  readConfig({ OIDCWATCH_HOME_ACCOUNT: HOME, OIDCWATCH_READ_ROLE_NAME: 'oidcwatch-read' }),
  {},
  {
    clientConfig: {
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    },
    logDestination: sink,
  }
);
const metrics = { record: () => {}, flush: () => {} };

function event(i: number): Record<string, unknown> {
  const role = roles[i % roles.length] as { account: string; name: string };
  const provider = `arn:aws:iam::${role.account}:oidc-provider/${GH}`;
  const sub = `repo:acme-corp/${role.name}:environment:production`;
  return {
    version: '0',
    id: `e-${i}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: role.account,
    time: '2026-11-27T14:03:12Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: {
        type: 'WebIdentityUser',
        principalId: `${provider}:sts.amazonaws.com:${sub}`,
        userName: sub,
        identityProvider: provider,
      },
      eventTime: '2026-11-27T14:03:12Z',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRoleWithWebIdentity',
      awsRegion: 'us-east-1',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      requestParameters: {
        roleArn: `arn:aws:iam::${role.account}:role/${role.name}`,
        roleSessionName: 'GitHubActions',
      },
      responseElements: null,
      eventID: `evt-${i}`,
      readOnly: true,
      recipientAccountId: role.account,
    },
  };
}

// The EMF sink is swapped for a no-op only so stdout stays one JSON line; the real one is a
// synchronous JSON write per result.
const run = { ...deps, metrics };
const t0 = performance.now();
await Promise.all(Array.from({ length: 3000 }, (_, i) => handleEvent(event(i), run)));
const burstMs = performance.now() - t0;

const counts = {
  getRole: iam.commandCalls(GetRoleCommand).length,
  listProviders: iam.commandCalls(ListOpenIDConnectProvidersCommand).length,
  getProvider: iam.commandCalls(GetOpenIDConnectProviderCommand).length,
  listRoles: iam.commandCalls(ListRolesCommand).length,
};
const samples: number[] = [];
for (let i = 3000; i < 6000; i++) {
  const t = performance.now();
  await handleEvent(event(i), { ...deps, metrics: deps.metrics });
  samples.push(performance.now() - t);
}
samples.sort((a, b) => a - b);
const pct = (p: number) =>
  samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))] as number;
process.stdout.write(
  `\n${JSON.stringify({
    keys: roles.length,
    ...counts,
    iamCalls: counts.getRole + counts.listProviders + counts.getProvider + counts.listRoles,
    burstMs,
    latencyMs: LATENCY_MS,
    p50: pct(50),
    p99: pct(99),
  })}\n`
);
