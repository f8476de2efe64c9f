import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRecord } from '../../../src/domain/input/read-record.js';
import type { OidcCall, ReadOutcome } from '../../../src/domain/types.js';

type Json = Record<string, unknown>;

/** A fixture of `test/fixtures/cloudtrail/`, parsed afresh for each test. */
function loadFixture(name: string): Json {
  const url = new URL(`../../fixtures/cloudtrail/${name}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as Json;
}

/** A copy of `value` with the given top-level keys removed. */
function omit(value: Json, ...keys: string[]): Json {
  const copy = structuredClone(value);
  for (const key of keys) delete copy[key];
  return copy;
}

/** The call of an outcome that must be one. */
function callOf(outcome: ReadOutcome): OidcCall {
  if (outcome.kind !== 'call')
    throw new Error(`expected a call, got ${outcome.kind}: ${outcome.reason}`);
  return outcome.call;
}

const GITHUB_PROVIDER =
  'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

describe('readRecord: AssumeRoleWithWebIdentity', () => {
  it('reads a denied GitHub call', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toEqual({
      eventId: '5d3c8f2e-1b7a-4c9d-8e6f-0a1b2c3d4e5f',
      eventTime: '2026-03-04T09:15:27Z',
      eventName: 'AssumeRoleWithWebIdentity',
      account: '111122223333',
      region: 'eu-west-1',
      errorCode: 'AccessDenied',
      errorMessage: 'An unknown error occurred',
      provider: GITHUB_PROVIDER,
      issuer: { kind: 'github', url: 'token.actions.githubusercontent.com', enterprise: false },
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/feature-x',
      subject: expect.objectContaining({
        form: 'branch',
        repository: 'octo-org/octo-repo',
        ref: 'refs/heads/feature-x',
      }),
      roleArn: 'arn:aws:iam::111122223333:role/deploy',
      roleSource: 'requestParameters',
      roleSessionName: 'GitHubActions',
      durationSeconds: 3600,
      userAgent:
        'aws-sdk-nodejs/2.1130.0 linux/v20.11.1 configure-aws-credentials-for-github-actions promise',
      chained: null,
    });
  });

  it('reads the record inside an EventBridge envelope', () => {
    // Prepare
    const envelope = loadFixture('rr-github-denied-no-role.eventbridge.json');

    // Act
    const call = callOf(readRecord(envelope));

    // Assess
    expect(call).toMatchObject({
      eventId: 'e1f2a3b4-c5d6-4e7f-8091-a2b3c4d5e6f7',
      account: '444455556666',
      region: 'us-east-1',
      aud: 'sts.amazonaws.com',
      sub: 'repo:acme-corp@9912345/payments@1187654321:ref:refs/heads/main',
      subject: { immutable: true, repository: 'acme-corp/payments', form: 'branch' },
      roleSessionName: null,
      durationSeconds: null,
    });
  });

  it('reads a successful call', () => {
    // Prepare
    const record = loadFixture('rr-github-success.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      errorCode: null,
      errorMessage: null,
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      roleArn: 'arn:aws:iam::111122223333:role/deploy',
      durationSeconds: 3600,
    });
    expect(JSON.stringify(call)).not.toContain('IQoJb3JpZ2lu');
  });

  it('reads an aud that contains colons', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-owner-audience.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.aud).toBe('https://github.com/acme-corp');
    expect(call.sub).toBe('repo:acme-corp/web:environment:Production%3AV1');
    expect(call.subject).toMatchObject({ form: 'environment', environment: 'Production:V1' });
    expect(call.durationSeconds).toBeNull();
  });

  it('reads an EKS service-account call', () => {
    // Prepare
    const record = loadFixture('rr-eks-irsa-denied.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      issuer: { kind: 'eks' },
      aud: 'sts.amazonaws.com',
      sub: 'system:serviceaccount:argo:argo-workflows',
      subject: { form: 'service-account', repository: null },
    });
  });

  it('reads a bare-issuer identity from a built-in IdP', () => {
    // Prepare
    const record = loadFixture('rr-google-bare-issuer.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      provider: 'accounts.google.com',
      issuer: { kind: 'other', url: 'accounts.google.com' },
      aud: '1234567890-abcdefg.apps.googleusercontent.com',
      sub: '112233445566778899000',
      subject: { form: 'unknown', issuerKind: 'other' },
      roleArn: 'arn:aws:iam::777788889999:role/google-federated',
      roleSource: 'resources',
    });
  });

  it('reads a GitHub principal id whose provider is a bare issuer', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    const identity = record.userIdentity as Json;
    identity.identityProvider = 'token.actions.githubusercontent.com';
    identity.principalId =
      'token.actions.githubusercontent.com:sts.amazonaws.com:repo:octo-org/octo-repo:pull_request';
    identity.userName = 'repo:octo-org/octo-repo:pull_request';

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      provider: 'token.actions.githubusercontent.com',
      issuer: { kind: 'github' },
      aud: 'sts.amazonaws.com',
      subject: { form: 'pull_request' },
    });
  });
});

describe('readRecord: claims that cannot be proven', () => {
  it('leaves aud null when the principal id does not start with the provider', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    (record.userIdentity as Json).principalId =
      'arn:aws:iam::999999999999:oidc-provider/elsewhere:sts.amazonaws.com:repo:octo-org/octo-repo:ref:refs/heads/feature-x';

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.aud).toBeNull();
    expect(call.sub).toBe('repo:octo-org/octo-repo:ref:refs/heads/feature-x');
  });

  it('leaves aud null when the principal id does not end with the sub', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    (record.userIdentity as Json).userName = 'repo:octo-org/other:ref:refs/heads/main';

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.aud).toBeNull();
  });

  it('leaves aud null when the principal id holds no aud between provider and sub', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    (record.userIdentity as Json).principalId =
      `${GITHUB_PROVIDER}:repo:octo-org/octo-repo:ref:refs/heads/feature-x`;

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.aud).toBeNull();
  });

  it('leaves provider, aud and sub null when userIdentity holds none of them', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    record.userIdentity = { type: 'WebIdentityUser' };

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      provider: null,
      issuer: null,
      aud: null,
      sub: null,
      subject: null,
      account: '111122223333',
    });
  });

  it('falls back to responseElements on success when userIdentity lacks the claims', () => {
    // Prepare
    const record = loadFixture('rr-github-success.json');
    record.userIdentity = { type: 'WebIdentityUser' };

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      provider: GITHUB_PROVIDER,
      aud: 'sts.amazonaws.com',
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      subject: { form: 'branch' },
    });
  });
});

describe('readRecord: role resolution', () => {
  it('takes the role from resources[] when requestParameters has none', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    record.requestParameters = { roleArn: null, roleSessionName: 'GitHubActions' };

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.roleArn).toBe('arn:aws:iam::111122223333:role/deploy');
    expect(call.roleSource).toBe('resources');
  });

  it('takes the role from the assumed-role user of a success', () => {
    // Prepare
    const record = omit(loadFixture('rr-github-success.json'), 'resources', 'requestParameters');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.roleArn).toBe('arn:aws:iam::111122223333:role/deploy');
    expect(call.roleSource).toBe('responseElements');
    expect(call.roleSessionName).toBeNull();
  });

  it('skips resources that are not roles', () => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    record.requestParameters = null;
    record.resources = [
      'junk',
      { type: 'AWS::IAM::SAMLProvider', ARN: 'arn:aws:iam::111122223333:saml-provider/x' },
      { type: 'AWS::IAM::Role' },
    ];

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.roleArn).toBeNull();
    expect(call.roleSource).toBeNull();
  });

  it('gives no role when the record names none', () => {
    // Prepare
    const envelope = loadFixture('rr-github-denied-no-role.eventbridge.json');

    // Act
    const call = callOf(readRecord(envelope));

    // Assess
    expect(call.roleArn).toBeNull();
    expect(call.roleSource).toBeNull();
    expect(call.account).toBe('444455556666');
  });

  it('takes the account from the role ARN, then from the provider ARN', () => {
    // Prepare
    const withRole = omit(loadFixture('rr-google-bare-issuer.json'), 'recipientAccountId');
    const withProvider = omit(
      loadFixture('rr-github-denied-no-role.eventbridge.json').detail as Json,
      'recipientAccountId'
    );
    const withNothing = omit(
      loadFixture('rr-google-bare-issuer.json'),
      'recipientAccountId',
      'resources'
    );

    // Act
    const accounts = [withRole, withProvider, withNothing].map(
      (r) => callOf(readRecord(r)).account
    );

    // Assess
    expect(accounts).toEqual(['777788889999', '444455556666', null]);
  });

  it.each([
    ['a number', 900, 900],
    ['a numeric string', '43200', 43200],
    ['a negative number', -1, null],
    ['a fraction', 1.5, null],
    ['a word', 'an hour', null],
  ])('reads durationSeconds given as %s', (_case, given, expected) => {
    // Prepare
    const record = loadFixture('rr-github-denied-branch.json');
    (record.requestParameters as Json).durationSeconds = given;

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.durationSeconds).toBe(expected);
  });
});

describe('readRecord: chained AssumeRole', () => {
  it('reads an AssumeRole made by a web-identity session', () => {
    // Prepare
    const record = loadFixture('rr-chained-tagsession-denied.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call).toMatchObject({
      eventName: 'AssumeRole',
      errorCode: 'AccessDenied',
      provider: GITHUB_PROVIDER,
      issuer: { kind: 'github' },
      aud: null,
      sub: null,
      roleArn: 'arn:aws:iam::999988887777:role/stac-deploy',
      roleSource: 'requestParameters',
      account: '111122223333',
      chained: {
        sessionRoleArn: 'arn:aws:iam::111122223333:role/github-oidc',
        sessionArn: 'arn:aws:sts::111122223333:assumed-role/github-oidc/GitHubActions',
        tagKeys: ['GitHub', 'Repository', 'Workflow', 'Action', 'Actor', 'Commit', 'Branch'],
        transitiveTagKeys: [
          'GitHub',
          'Repository',
          'Workflow',
          'Action',
          'Actor',
          'Commit',
          'Branch',
        ],
      },
    });
    expect(call.errorMessage).toContain('sts:TagSession');
  });

  it('takes the target role from the authorisation message when requestParameters lacks it', () => {
    // Prepare
    const record = omit(loadFixture('rr-chained-tagsession-denied.json'), 'requestParameters');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.roleArn).toBe('arn:aws:iam::999988887777:role/stac-deploy');
    expect(call.roleSource).toBe('errorMessage');
    expect(call.chained).toMatchObject({ tagKeys: [], transitiveTagKeys: [] });
  });

  it('reads aud and sub from the session attributes when CloudTrail recorded them', () => {
    // Prepare
    const record = loadFixture('rr-chained-tagsession-denied.json');
    const context = (record.userIdentity as Json).sessionContext as Json;
    (context.webIdFederationData as Json).attributes = {
      'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
      'token.actions.githubusercontent.com:sub': 'repo:OvertureMaps/stac:ref:refs/heads/main',
    };

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.aud).toBe('sts.amazonaws.com');
    expect(call.subject).toMatchObject({ form: 'branch', repository: 'OvertureMaps/stac' });
  });

  it('reads tag keys in either case and skips entries that are not tags', () => {
    // Prepare
    const record = loadFixture('rr-chained-tagsession-denied.json');
    const context = (record.userIdentity as Json).sessionContext as Json;
    delete (context.webIdFederationData as Json).attributes;
    record.requestParameters = {
      roleArn: 'arn:aws:iam::999988887777:role/stac-deploy',
      tags: [{ Key: 'GitHub', Value: 'Actions' }, 'junk', { value: 'no key' }],
      transitiveTagKeys: ['GitHub', 7, null],
    };

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(call.aud).toBeNull();
    expect(call.chained).toMatchObject({ tagKeys: ['GitHub'], transitiveTagKeys: ['GitHub'] });
  });

  it('ignores an AssumeRole made by an IAM user', () => {
    // Prepare
    const record = loadFixture('rr-assume-role-by-user.json');

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome).toEqual({
      kind: 'ignored',
      eventId: 'f0e1d2c3-b4a5-4697-8887-a9b0c1d2e3f4',
      eventTime: '2025-07-01T12:00:00Z',
      reason: 'AssumeRole by caller type "IAMUser", not a session that came from web identity',
    });
  });

  it('ignores an AssumeRole by an assumed role that did not come from web identity', () => {
    // Prepare
    const record = loadFixture('rr-chained-tagsession-denied.json');
    const context = (record.userIdentity as Json).sessionContext as Json;
    context.webIdFederationData = {};

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome.kind).toBe('ignored');
  });

  it('ignores an AssumeRole whose caller has no type', () => {
    // Prepare
    const record = loadFixture('rr-assume-role-by-user.json');
    record.userIdentity = {};

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome).toMatchObject({
      kind: 'ignored',
      reason: 'AssumeRole by a caller of unknown type, not a session that came from web identity',
    });
  });
});

describe('readRecord: records out of scope', () => {
  it('ignores another service, naming its eventSource and eventName', () => {
    // Prepare
    const envelope = loadFixture('rr-s3-put-object.eventbridge.json');

    // Act
    const outcome = readRecord(envelope);

    // Assess
    expect(outcome).toEqual({
      kind: 'ignored',
      eventId: '6e5d4c3b-2a19-4087-b6a5-94837261504f',
      eventTime: '2025-05-05T10:00:00Z',
      reason: 'eventSource "s3.amazonaws.com" (eventName "PutObject") is not sts.amazonaws.com',
    });
  });

  it('ignores another STS event, naming it', () => {
    // Prepare
    const record = loadFixture('rr-assume-role-by-user.json');
    record.eventName = 'GetCallerIdentity';

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome).toMatchObject({
      kind: 'ignored',
      reason: 'eventName "GetCallerIdentity" is not AssumeRoleWithWebIdentity or AssumeRole',
    });
  });

  it('ignores an EventBridge event that is not a CloudTrail API call', () => {
    // Prepare
    const envelope = {
      version: '0',
      id: 'a1',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2025-05-05T10:00:00Z',
      detail: {},
    };

    // Act
    const outcome = readRecord(envelope);

    // Assess
    expect(outcome).toEqual({
      kind: 'ignored',
      eventId: null,
      eventTime: '2025-05-05T10:00:00Z',
      reason: 'detail-type "Scheduled Event" is not "AWS API Call via CloudTrail"',
    });
  });

  it('takes the envelope time when the record has none', () => {
    // Prepare
    const envelope = loadFixture('rr-s3-put-object.eventbridge.json');
    envelope.detail = omit(envelope.detail as Json, 'eventTime', 'eventID');
    envelope.time = '2025-05-05T10:00:01Z';

    // Act
    const outcome = readRecord(envelope);

    // Assess
    expect(outcome).toMatchObject({ eventId: null, eventTime: '2025-05-05T10:00:01Z' });
  });
});

describe('readRecord: malformed records', () => {
  it('names the record and the field when userIdentity is missing', () => {
    // Prepare
    const record = omit(loadFixture('rr-github-denied-branch.json'), 'userIdentity');

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome).toEqual({
      kind: 'malformed',
      eventId: '5d3c8f2e-1b7a-4c9d-8e6f-0a1b2c3d4e5f',
      eventTime: '2026-03-04T09:15:27Z',
      reason: 'record 5d3c8f2e-1b7a-4c9d-8e6f-0a1b2c3d4e5f has no "userIdentity"',
    });
  });

  it('reports a chained AssumeRole without userIdentity', () => {
    // Prepare
    const record = omit(loadFixture('rr-chained-tagsession-denied.json'), 'userIdentity');

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome).toMatchObject({
      kind: 'malformed',
      reason: 'record d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70 has no "userIdentity"',
    });
  });

  it.each([
    ['eventName', 'record 5d3c8f2e-1b7a-4c9d-8e6f-0a1b2c3d4e5f has no "eventName"'],
    ['eventSource', 'record 5d3c8f2e-1b7a-4c9d-8e6f-0a1b2c3d4e5f has no "eventSource"'],
  ])('names the missing %s', (key, reason) => {
    // Prepare
    const record = omit(loadFixture('rr-github-denied-branch.json'), key);

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome).toMatchObject({ kind: 'malformed', reason });
  });

  it('names a record without eventID by its time, or says it has none', () => {
    // Prepare
    const timed = omit(loadFixture('rr-github-denied-branch.json'), 'eventID', 'eventName');
    const untimed = omit(timed, 'eventTime');

    // Act
    const outcomes = [readRecord(timed), readRecord(untimed)];

    // Assess
    expect(outcomes.map((o) => (o.kind === 'call' ? null : o.reason))).toEqual([
      'record at 2026-03-04T09:15:27Z has no "eventName"',
      'record without eventID has no "eventName"',
    ]);
  });

  it.each([
    [null, 'record is null, not a JSON object'],
    [[{ eventName: 'AssumeRoleWithWebIdentity' }], 'record is an array, not a JSON object'],
    ['{"eventName":"x"}', 'record is a string, not a JSON object'],
    [42, 'record is a number, not a JSON object'],
    [undefined, 'record is undefined, not a JSON object'],
  ])('reports %j as not an object', (value, reason) => {
    // Prepare
    const input: unknown = value;

    // Act
    const outcome = readRecord(input);

    // Assess
    expect(outcome).toEqual({ kind: 'malformed', eventId: null, eventTime: null, reason });
  });

  it('reports a CloudTrail log file given as one record', () => {
    // Prepare
    const file = { Records: [loadFixture('rr-github-denied-branch.json')] };

    // Act
    const outcome = readRecord(file);

    // Assess
    expect(outcome).toMatchObject({
      kind: 'malformed',
      reason: 'value is a CloudTrail log file ("Records"), not one record',
    });
  });

  it('reports an envelope without a detail object', () => {
    // Prepare
    const envelope = omit(loadFixture('rr-github-denied-no-role.eventbridge.json'), 'detail');
    const anonymous = omit(envelope, 'id');

    // Act
    const outcomes = [readRecord(envelope), readRecord(anonymous)];

    // Assess
    expect(outcomes.map((o) => (o.kind === 'call' ? null : o.reason))).toEqual([
      'EventBridge event "7c0e1f7a-3b8d-4d4e-9a61-2f7d5c9b1e44" has no "detail" object',
      'EventBridge event has no "detail" object',
    ]);
  });

  it('reports a value whose properties throw instead of throwing itself', () => {
    // Prepare
    const hostile = {
      get eventName(): string {
        throw new Error('boom');
      },
    };
    const thrower = {
      get eventName(): string {
        throw 'not an error';
      },
    };

    // Act
    const outcomes = [readRecord(hostile), readRecord(thrower)];

    // Assess
    expect(outcomes).toEqual([
      {
        kind: 'malformed',
        eventId: null,
        eventTime: null,
        reason: 'record could not be read: "boom"',
      },
      {
        kind: 'malformed',
        eventId: null,
        eventTime: null,
        reason: 'record could not be read: a non-Error value was thrown',
      },
    ]);
  });
});

describe('readRecord: tokens', () => {
  it('copies no token into the call', () => {
    // Prepare
    const record = loadFixture('rr-third-party-token-sample.json');

    // Act
    const call = callOf(readRecord(record));

    // Assess
    expect(JSON.stringify(call)).not.toMatch(/eyJ/);
    expect(call.errorMessage).toBe('Token [REDACTED] was rejected: Incorrect token audience');
    expect(call.userAgent).toBe('custom-deployer/1.0 token=[REDACTED]');
    expect(call.subject).toMatchObject({ form: 'pull_request' });
  });

  it('redacts tokens in the chained session and in reasons', () => {
    // Prepare
    const jwt = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
    const chained = loadFixture('rr-chained-tagsession-denied.json');
    (chained.userIdentity as Json).arn = `arn:aws:sts::111122223333:assumed-role/r/${jwt}`;
    ((chained.requestParameters as Json).tags as Json[]).push({ key: jwt, value: 'x' });
    const other = loadFixture('rr-assume-role-by-user.json');
    other.eventName = `Get${jwt}`;
    other.eventID = jwt;

    // Act
    const outcomes = [readRecord(chained), readRecord(other)];

    // Assess
    expect(JSON.stringify(outcomes)).not.toMatch(/eyJ/);
    expect(outcomes[1]).toMatchObject({ eventId: '[REDACTED]' });
  });

  it('cuts long values quoted in reasons', () => {
    // Prepare
    const record = loadFixture('rr-assume-role-by-user.json');
    record.eventName = 'X'.repeat(200);

    // Act
    const outcome = readRecord(record);

    // Assess
    expect(outcome.kind === 'call' ? '' : outcome.reason).toBe(
      `eventName "${'X'.repeat(80)}…" is not AssumeRoleWithWebIdentity or AssumeRole`
    );
  });
});
