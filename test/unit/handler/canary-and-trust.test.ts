/**
 * The processor's canary path and its trust boundary: the canary's denied call (recognised by its
 * OIDC provider) is a heartbeat counted as `CanaryHeartbeat` by account and Region, with what
 * CloudTrail logged for it, never a result, a failure metric or an IAM read; a record whose
 * envelope names another account than the record (a member forging another account's failures)
 * is not diagnosed and never reads IAM.
 */
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/handler/config.js';
import { buildDeps } from '../../../src/handler/deps.js';
import { handleEvent, type ProcessSummary } from '../../../src/handler/process-event.js';
import { captureEmf, lineCollector } from '../../helpers/capture.js';
import {
  eventBridgeEnvelope,
  failedWebIdentityRecord,
  roleArn,
} from '../../helpers/cloudtrail-records.js';

const HOME = '111122223333';
const MEMBER = '444455556666';
const CANARY_HOST = 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws';
const NOW = Date.parse('2026-11-27T14:04:02Z');

let iamMock = mockClient(IAMClient);
let emf: ReturnType<typeof captureEmf>;
beforeEach(() => {
  emf = captureEmf();
  iamMock = mockClient(IAMClient);
});
afterEach(() => {
  emf.restore();
  iamMock.restore();
});

function setup() {
  const logs = lineCollector();
  const config = readConfig({
    OIDCWATCH_HOME_ACCOUNT: HOME,
    OIDCWATCH_READ_ROLE_NAME: 'oidcwatch-read',
    OIDCWATCH_CANARY_ISSUER_HOST: CANARY_HOST,
  });
  const deps = buildDeps(
    config,
    {},
    {
      clientConfig: {
        region: 'eu-west-1',
        maxAttempts: 1,
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      },
      logDestination: logs.stream,
      now: () => NOW,
    }
  );
  return { deps, logs };
}

/** The canary's denied call as CloudTrail logs it in `account` and `region`. */
function canaryCall(account: string, region: string, withRoleArn: boolean) {
  return failedWebIdentityRecord({
    sub: 'oidcwatch-canary:probe',
    issuerUrl: CANARY_HOST,
    account,
    region,
    role: withRoleArn ? 'oidcwatch-canary' : null,
    time: '2026-11-27T14:03:12Z',
  });
}

describe('processor: the canary heartbeat', () => {
  it('counts the canary’s denied call as CanaryHeartbeat for its account and Region, and nothing else', async () => {
    // Prepare
    const { deps, logs } = setup();
    const event = eventBridgeEnvelope(canaryCall(MEMBER, 'us-east-1', true));

    // Act
    const summary = (await handleEvent(event, deps)) as ProcessSummary;

    // Assess
    expect(summary.results).toEqual([]);
    expect(summary.canary).toEqual([
      expect.objectContaining({ account: MEMBER, region: 'us-east-1', errorCode: 'AccessDenied' }),
    ]);
    const heartbeat = emf.docs.filter((d) => 'CanaryHeartbeat' in d);
    expect(heartbeat).toHaveLength(1);
    expect(heartbeat[0]).toMatchObject({
      Account: MEMBER,
      Region: 'us-east-1',
      CanaryHeartbeat: 1,
    });
    const directive = heartbeat[0]?._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] };
    expect(directive.CloudWatchMetrics[0]?.Dimensions).toEqual([[], ['Account', 'Region']]);
    expect(emf.docs.filter((d) => 'AssumeRoleFailures' in d)).toEqual([]);
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toEqual([]);
    expect(iamMock.calls()).toEqual([]);
  });

  it('records per account and Region whether CloudTrail logged roleArn for the denied call, and the lag', async () => {
    // Prepare
    const { deps, logs } = setup();

    // Act
    await handleEvent(eventBridgeEnvelope(canaryCall(HOME, 'eu-west-1', true)), deps);
    await handleEvent(eventBridgeEnvelope(canaryCall(MEMBER, 'us-east-1', false)), deps);

    // Assess
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.canary')).toEqual([
      expect.objectContaining({
        account: HOME,
        region: 'eu-west-1',
        roleArnLogged: true,
        principalIdLogged: true,
        lagSeconds: 50,
      }),
      expect.objectContaining({
        account: MEMBER,
        region: 'us-east-1',
        roleArnLogged: false,
        lagSeconds: 50,
      }),
    ]);
  });

  it('treats a failure from another provider as a failure, not a heartbeat', async () => {
    // Prepare
    const { deps } = setup();
    iamMock.on(GetRoleCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
    const github = failedWebIdentityRecord({
      sub: 'repo:acme-corp/api:ref:refs/heads/main',
      account: HOME,
    });

    // Act
    const summary = (await handleEvent(eventBridgeEnvelope(github), deps)) as ProcessSummary;

    // Assess
    expect(summary.canary).toBeUndefined();
    expect(summary.results).toHaveLength(1);
    expect(emf.docs.filter((d) => 'CanaryHeartbeat' in d)).toEqual([]);
  });
});

describe('processor: the envelope must own its record', () => {
  it('does not diagnose a record another account put on the bus in its name, and reads no IAM', async () => {
    // Prepare
    const { deps, logs } = setup();
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/api:ref:refs/heads/main',
      account: HOME,
    });
    const forged = { ...eventBridgeEnvelope(record), account: MEMBER };

    // Act
    const summary = (await handleEvent(forged, deps)) as ProcessSummary;

    // Assess
    expect(summary.results.map((r) => r.cause)).toEqual(['MALFORMED_EVENT']);
    expect(summary.results[0]?.explanation).toContain(
      `the envelope's account ${MEMBER} is not the record's recipientAccountId ${HOME}`
    );
    expect(iamMock.calls()).toEqual([]);
    expect(emf.docs.filter((d) => 'UntrustedEvents' in d)).toHaveLength(1);
    expect(emf.docs.filter((d) => 'AssumeRoleFailures' in d)).toEqual([]);
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toHaveLength(1);
  });

  it('does not diagnose a web-identity record whose role is in another account than the record', async () => {
    // Prepare
    const { deps } = setup();
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/api:ref:refs/heads/main',
      account: MEMBER,
      role: roleArn('deploy', HOME),
    });

    // Act
    const summary = (await handleEvent(eventBridgeEnvelope(record), deps)) as ProcessSummary;

    // Assess
    expect(summary.results[0]?.cause).toBe('MALFORMED_EVENT');
    expect(summary.results[0]?.explanation).toContain(
      `the role arn:aws:iam::${HOME}:role/deploy is not in the record's account ${MEMBER}`
    );
    expect(iamMock.calls()).toEqual([]);
  });
});

describe('processor config: the canary issuer host', () => {
  it('refuses a value that is not a host name, naming the variable', () => {
    // Prepare
    const env = { OIDCWATCH_CANARY_ISSUER_HOST: 'https://abc.lambda-url.eu-west-1.on.aws/' };

    // Act
    const read = () => readConfig(env);

    // Assess
    expect(read).toThrow(
      'OIDCWATCH_CANARY_ISSUER_HOST must be a host name (the canary function URL\'s), got "https://abc.lambda-url.eu-west-1.on.aws/"'
    );
  });
});
