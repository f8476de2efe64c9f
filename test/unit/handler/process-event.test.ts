/**
 * The processor under faults the emulator cannot produce (aws-sdk-client-mock): throttling on every
 * IAM call, AccessDenied on the cross-account assume, timeouts, a malformed trust policy. Every
 * event still yields a result, a log line and a metric; only an unexpected fault escapes.
 */
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../../src/handler/config.js';
import { buildDeps } from '../../../src/handler/deps.js';
import {
  type BatchResponse,
  handleEvent,
  type ProcessSummary,
} from '../../../src/handler/process-event.js';
import { captureEmf, lineCollector } from '../../helpers/capture.js';
import { deniedRecord, eventBridge, trustPolicyFor } from '../../helpers/records.js';

let iamMock = mockClient(IAMClient);
const stsMock = mockClient(STSClient);
const HOME = '111122223333';
const MEMBER = '444455556666';
const PROVIDER = `arn:aws:iam::${HOME}:oidc-provider/token.actions.githubusercontent.com`;

function awsError(name: string, message: string): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

function setup(env: Record<string, string> = {}, endpoint?: string) {
  const logs = lineCollector();
  const config = readConfig({
    OIDCWATCH_HOME_ACCOUNT: HOME,
    OIDCWATCH_READ_ROLE_NAME: 'oidcwatch-read',
    ...env,
  });
  const clientConfig = {
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    ...(endpoint ? { endpoint } : {}),
  };
  const deps = buildDeps(config, {}, { clientConfig, logDestination: logs.stream });
  return { deps, logs };
}

function healthyProviders() {
  iamMock
    .on(ListOpenIDConnectProvidersCommand)
    .resolves({ OpenIDConnectProviderList: [{ Arn: PROVIDER }] });
  iamMock.on(GetOpenIDConnectProviderCommand).resolves({
    Url: 'token.actions.githubusercontent.com',
    ClientIDList: ['sts.amazonaws.com'],
    ThumbprintList: [],
  });
  iamMock.on(ListRolesCommand).resolves({ Roles: [] });
}

let emf: ReturnType<typeof captureEmf>;
beforeEach(() => {
  emf = captureEmf();
  iamMock = mockClient(IAMClient);
});
afterEach(() => {
  emf.restore();
  iamMock.restore();
  stsMock.reset();
});

describe('processor under IAM faults', () => {
  it('still yields a result, a log line and a metric for every event when every IAM call is throttled', async () => {
    // Prepare
    iamMock.onAnyCommand().rejects(awsError('Throttling', 'Rate exceeded'));
    const { deps, logs } = setup();
    const events = Array.from({ length: 5 }, () => eventBridge(deniedRecord()));

    // Act
    const results = await Promise.all(
      events.map((e) => handleEvent(e, deps) as Promise<ProcessSummary>)
    );

    // Assess
    expect(results.map((r) => r.results[0]?.cause)).toEqual(Array(5).fill('ENRICHMENT_FAILED'));
    expect(results[0]?.results[0]?.detail).toBe('Throttling');
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toHaveLength(5);
    expect(emf.docs.filter((d) => 'AssumeRoleFailures' in d)).toHaveLength(5);
    expect(emf.docs.filter((d) => 'EnrichmentErrors' in d)).toHaveLength(5);
  });

  it('classifies from the error code alone when the cross-account read role cannot be assumed', async () => {
    // Prepare
    // IAM itself is not mocked here: the real client must resolve the member account's credentials
    // (the failing assume) before it would send anything; nothing listens on the endpoint.
    iamMock.restore();
    stsMock
      .on(AssumeRoleCommand)
      .rejects(
        awsError(
          'AccessDenied',
          `User is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER}:role/oidcwatch-read`
        )
      );
    const { deps, logs } = setup({}, 'http://127.0.0.1:9');

    // Act
    const out = (await handleEvent(
      eventBridge(deniedRecord({ account: MEMBER })),
      deps
    )) as ProcessSummary;

    // Assess
    const d = out.results[0];
    expect(d?.cause).toBe('ENRICHMENT_FAILED');
    expect(d?.detail).toBe('AccessDenied');
    expect(d?.explanation).toContain(`arn:aws:iam::${MEMBER}:role/oidcwatch-read`);
    expect(logs.lines[0]).toMatchObject({
      cause: 'ENRICHMENT_FAILED',
      outcome: 'failure',
      level: 'warn',
    });
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('gives ENRICHMENT_FAILED on a timeout and still counts the event', async () => {
    // Prepare
    healthyProviders();
    iamMock
      .on(GetRoleCommand)
      .rejects(awsError('TimeoutError', 'Connection timed out after 1000 ms'));
    const { deps, logs } = setup();

    // Act
    const out = (await handleEvent(eventBridge(deniedRecord()), deps)) as ProcessSummary;

    // Assess
    expect(out.results[0]).toMatchObject({ cause: 'ENRICHMENT_FAILED', detail: 'TimeoutError' });
    expect(logs.lines).toHaveLength(1);
    expect(emf.docs.some((d) => 'AssumeRoleFailures' in d)).toBe(true);
  });

  it('names an unreadable trust policy instead of failing', async () => {
    // Prepare
    healthyProviders();
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Arn: `arn:aws:iam::${HOME}:role/payments-deploy`,
        RoleName: 'payments-deploy',
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(0),
        AssumeRolePolicyDocument: '%7B%22Version%22%3A',
      },
    });
    const { deps } = setup();

    // Act
    const out = (await handleEvent(eventBridge(deniedRecord()), deps)) as ProcessSummary;

    // Assess
    expect(out.results[0]).toMatchObject({
      cause: 'ENRICHMENT_FAILED',
      detail: 'TRUST_POLICY_UNREADABLE',
    });
    expect(out.results[0]?.explanation).toContain('could not be read');
  });

  it('counts a redelivered eventID once', async () => {
    // Prepare
    healthyProviders();
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Arn: `arn:aws:iam::${HOME}:role/payments-deploy`,
        RoleName: 'payments-deploy',
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(0),
        AssumeRolePolicyDocument: encodeURIComponent(
          JSON.stringify(trustPolicyFor(HOME, 'repo:acme-corp/payments-api:environment:production'))
        ),
      },
    });
    const { deps, logs } = setup();
    const record = deniedRecord({ eventId: '5d3c0c4e-6b8f-4a8e-9d7e-0b1f2a3c4d5e' });

    // Act
    const first = (await handleEvent(eventBridge(record), deps)) as ProcessSummary;
    const again = (await handleEvent(eventBridge(record), deps)) as ProcessSummary;

    // Assess
    expect(first.results).toHaveLength(1);
    expect(again).toEqual({ results: [], changes: [], duplicates: 1 });
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toHaveLength(1);
    expect(emf.docs.filter((d) => 'AssumeRoleFailures' in d)).toHaveLength(1);
  });
});

describe('processor: one call logged in two accounts', () => {
  it('counts a cross-account call once by its sharedEventID, though its eventIDs differ', async () => {
    // Prepare
    healthyProviders();
    iamMock.on(GetRoleCommand).resolves({
      Role: {
        Arn: `arn:aws:iam::${HOME}:role/payments-deploy`,
        RoleName: 'payments-deploy',
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(0),
        AssumeRolePolicyDocument: encodeURIComponent(
          JSON.stringify(trustPolicyFor(HOME, 'repo:acme-corp/payments-api:environment:production'))
        ),
      },
    });
    const { deps, logs } = setup();
    const shared = 'b8e2a5c1-0f3d-4e6a-9c7b-1d2e3f4a5b6c';
    const inCaller = { ...deniedRecord({ eventId: 'e-caller' }), sharedEventID: shared };
    const inTarget = { ...deniedRecord({ eventId: 'e-target' }), sharedEventID: shared };
    const unrelated = deniedRecord({ eventId: 'e-other' });

    // Act
    await handleEvent(eventBridge(inCaller), deps);
    const second = (await handleEvent(eventBridge(inTarget), deps)) as ProcessSummary;
    await handleEvent(eventBridge(unrelated), deps);

    // Assess
    expect(second.duplicates).toBe(1);
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toHaveLength(2);
    expect(emf.docs.filter((d) => 'AssumeRoleFailures' in d)).toHaveLength(2);
  });
});

describe('processor on an SQS redrive batch', () => {
  it('processes EventBridge bodies and Lambda destination records, and reports only the failed message', async () => {
    // Prepare
    iamMock.onAnyCommand().rejects(awsError('Throttling', 'Rate exceeded'));
    const { deps, logs } = setup();
    const throwingRecord = deniedRecord();
    let calls = 0;
    const metrics = deps.metrics;
    const flaky = {
      record: (d: Parameters<typeof metrics.record>[0]) => {
        calls++;
        if (d.eventId === throwingRecord.eventID) throw new Error('metrics sink broke');
        metrics.record(d);
      },
      flush: () => metrics.flush(),
    };
    const batch = {
      Records: [
        {
          messageId: 'm-1',
          eventSource: 'aws:sqs',
          body: JSON.stringify(eventBridge(deniedRecord())),
        },
        {
          messageId: 'm-2',
          eventSource: 'aws:sqs',
          body: JSON.stringify({
            version: '1.0',
            requestContext: { condition: 'RetriesExhausted' },
            requestPayload: eventBridge(deniedRecord()),
          }),
        },
        { messageId: 'm-3', eventSource: 'aws:sqs', body: '{"truncated": ' },
        {
          messageId: 'm-4',
          eventSource: 'aws:sqs',
          body: JSON.stringify(eventBridge(throwingRecord)),
        },
      ],
    };

    // Act
    const out = (await handleEvent(batch, { ...deps, metrics: flaky })) as BatchResponse;

    // Assess
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm-4' }] });
    const causes = logs.lines.filter((l) => l.msg === 'oidcwatch.result').map((l) => l.cause);
    // m-4's metric failed: its result is logged when the retry succeeds, never twice.
    expect(causes).toEqual(['ENRICHMENT_FAILED', 'ENRICHMENT_FAILED', 'MALFORMED_EVENT']);
    expect(calls).toBe(4);
    expect(deps.seen.checkAndRecord(String(throwingRecord.eventID))).toBe(false);
  });
});

describe('no token in any log line', () => {
  it('redacts a JWT wherever an event carries one', async () => {
    // Prepare
    const jwt =
      'eyJhbGciOiJSUzI1NiIsImtpZCI6IjM4ODI2YjE3In0.eyJzdWIiOiJyZXBvOmFjbWUtY29ycC9wYXltZW50cy1hcGk6cmVmOnJlZnMvaGVhZHMvbWFpbiIsImF1ZCI6InN0cy5hbWF6b25hd3MuY29tIn0.c2lnbmF0dXJlLW5vdC1yZWFsLWJ1dC1sb25nLWVub3VnaA';
    iamMock.onAnyCommand().rejects(awsError('Throttling', 'Rate exceeded'));
    const { deps, logs } = setup({ LOG_LEVEL: 'trace' });
    const record = deniedRecord({
      errorCode: 'InvalidIdentityToken',
      errorMessage: `Token ${jwt} is invalid`,
    });
    (record.requestParameters as Record<string, unknown>).webIdentityToken = jwt;
    (record as Record<string, unknown>).additionalEventData = { debug: { note: `copied ${jwt}` } };
    const sneaky = deniedRecord({ sub: `repo:acme-corp/x:ref:refs/heads/${jwt}` });

    // Act
    await handleEvent(eventBridge(record), deps);
    await handleEvent(eventBridge(sneaky), deps);
    await handleEvent(
      { Records: [{ messageId: 'm', eventSource: 'aws:sqs', body: `{"token": "${jwt}"` }] },
      deps
    );

    // Assess
    expect(logs.raw.length).toBeGreaterThanOrEqual(3);
    for (const line of [...logs.raw, ...emf.raw])
      expect(line).not.toContain('eyJhbGciOiJSUzI1NiIs');
    expect(logs.raw.some((l) => l.includes('[REDACTED]'))).toBe(true);
  });
});
