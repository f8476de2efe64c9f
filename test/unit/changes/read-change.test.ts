import { describe, expect, it } from 'vitest';
import {
  CHANGE_EVENT_NAMES,
  type ConfigurationChange,
  type ProviderChange,
  type RoleChange,
} from '../../../src/domain/changes/change-types.js';
import { readChange } from '../../../src/domain/changes/read-change.js';
import {
  ACCOUNT,
  failedWebIdentityRecord,
  GITHUB_PROVIDER,
} from '../../helpers/cloudtrail-records.js';
import {
  ALICE,
  clientIdRecord,
  createProviderRecord,
  createRoleRecord,
  deleteProviderRecord,
  deleteRoleRecord,
  iamEnvelope,
  thumbprintRecord,
  updateTrustPolicyRecord,
} from '../../helpers/iam-change-records.js';
import { githubTrustPolicy, SUB_KEY } from '../../helpers/iam-view.js';

const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';

function changeOf(value: unknown): ConfigurationChange {
  const r = readChange(value);
  if (r.kind !== 'change') throw new Error(`expected a change, got ${JSON.stringify(r)}`);
  return r.change;
}

describe('readChange: trust policies', () => {
  it.each([
    ['JSON text', 'json'],
    ['URL-encoded text', 'url'],
    ['an object', 'object'],
  ] as const)('reads the new trust policy of UpdateAssumeRolePolicy written as %s', (_, form) => {
    // Prepare
    const policy = githubTrustPolicy(RELEASE);
    const record = updateTrustPolicyRecord('deploy', policy, { form, eventId: 'e-1' });

    // Act
    const change = changeOf(record) as RoleChange;

    // Assess
    expect(change).toMatchObject({
      eventId: 'e-1',
      eventName: 'UpdateAssumeRolePolicy',
      type: 'TRUST_POLICY_UPDATED',
      account: ACCOUNT,
      region: 'us-east-1',
      actor: ALICE,
      target: { kind: 'role', name: 'deploy', arn: `arn:aws:iam::${ACCOUNT}:role/deploy` },
      before: { exists: true, trustPolicy: null },
      after: { exists: true, trustPolicy: policy },
      beforeFrom: 'event',
      diff: null,
    });
  });

  it('reads a change inside its EventBridge envelope as one outside it', () => {
    // Prepare
    const record = updateTrustPolicyRecord('deploy', githubTrustPolicy(MAIN), { eventId: 'e-2' });

    // Act
    const inside = changeOf(iamEnvelope(record));
    const outside = changeOf(record);

    // Assess
    expect(inside).toEqual(outside);
  });

  it('reads CreateRole as a role that did not exist, with every value of its policy added', () => {
    // Prepare
    const policy = githubTrustPolicy(MAIN);

    // Act
    const change = changeOf(createRoleRecord('deploy', policy)) as RoleChange;

    // Assess
    expect(change.type).toBe('ROLE_CREATED');
    expect(change.before).toEqual({ exists: false, trustPolicy: null });
    expect(change.after).toEqual({ exists: true, trustPolicy: policy });
    expect(change.diff).toContainEqual({
      element: 'Condition',
      effect: 'Allow',
      operator: 'StringEquals',
      key: SUB_KEY,
      added: [MAIN],
      removed: [],
    });
  });

  it('takes the policy of CreateRole from its URL-encoded response when the request lacks it', () => {
    // Prepare
    const policy = githubTrustPolicy(MAIN);
    const record = createRoleRecord('deploy', policy);
    (record.requestParameters as Record<string, unknown>).assumeRolePolicyDocument = undefined;

    // Act
    const change = changeOf(record) as RoleChange;

    // Assess
    expect(change.after.trustPolicy).toEqual(policy);
  });

  it('reads DeleteRole as a role that existed and no longer does', () => {
    // Prepare
    const record = deleteRoleRecord('deploy');

    // Act
    const change = changeOf(record) as RoleChange;

    // Assess
    expect(change.type).toBe('ROLE_DELETED');
    expect(change.before).toEqual({ exists: true, trustPolicy: null });
    expect(change.after).toEqual({ exists: false, trustPolicy: null });
  });

  it('keeps a document that is not JSON as text, for the evaluator to call unreadable', () => {
    // Prepare
    const record = updateTrustPolicyRecord('deploy', {});
    (record.requestParameters as Record<string, unknown>).policyDocument = '{"Version": oops';

    // Act
    const change = changeOf(record) as RoleChange;

    // Assess
    expect(change.after.trustPolicy).toBe('{"Version": oops');
  });
});

describe('readChange: OIDC providers', () => {
  it('reads CreateOpenIDConnectProvider with its URL, client IDs and thumbprints', () => {
    // Prepare
    const record = createProviderRecord({ clientIds: ['sts.amazonaws.com'] });

    // Act
    const change = changeOf(record) as ProviderChange;

    // Assess
    expect(change).toMatchObject({
      type: 'PROVIDER_CREATED',
      target: {
        kind: 'provider',
        url: 'token.actions.githubusercontent.com',
        arn: GITHUB_PROVIDER,
      },
      before: { exists: false },
      after: { exists: true, clientIds: ['sts.amazonaws.com'] },
    });
    expect(change.diff).toEqual([
      {
        element: 'ClientIDList',
        effect: null,
        operator: null,
        key: null,
        added: ['sts.amazonaws.com'],
        removed: [],
      },
      {
        element: 'ThumbprintList',
        effect: null,
        operator: null,
        key: null,
        added: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        removed: [],
      },
    ]);
  });

  it('reads DeleteOpenIDConnectProvider without claiming what was there (the call is idempotent)', () => {
    // Prepare
    const record = deleteProviderRecord();

    // Act
    const change = changeOf(record) as ProviderChange;

    // Assess
    expect(change.type).toBe('PROVIDER_DELETED');
    expect(change.before.exists).toBeNull();
    expect(change.after.exists).toBe(false);
    expect(change.target.url).toBe('token.actions.githubusercontent.com');
  });

  it('reads the client-ID calls as what they prove: the ID is in, or out of, the list', () => {
    // Prepare
    const add = clientIdRecord('add', 'https://github.com/acme');
    const remove = clientIdRecord('remove', 'sts.amazonaws.com');

    // Act
    const added = changeOf(add) as ProviderChange;
    const removed = changeOf(remove) as ProviderChange;

    // Assess
    expect(added.type).toBe('PROVIDER_CLIENT_ID_ADDED');
    expect(added.after).toMatchObject({
      exists: true,
      clientIds: null,
      withClientIds: ['https://github.com/acme'],
    });
    expect(removed.type).toBe('PROVIDER_CLIENT_ID_REMOVED');
    expect(removed.after).toMatchObject({
      exists: true,
      clientIds: null,
      withoutClientIds: ['sts.amazonaws.com'],
    });
  });

  it('reads UpdateOpenIDConnectProviderThumbprint with the new thumbprints', () => {
    // Prepare
    const record = thumbprintRecord(['1c58a3a8518e8759bf075b76b750d4f2df264fcd']);

    // Act
    const change = changeOf(record) as ProviderChange;

    // Assess
    expect(change.type).toBe('PROVIDER_THUMBPRINT_UPDATED');
    expect(change.after.thumbprints).toEqual(['1c58a3a8518e8759bf075b76b750d4f2df264fcd']);
  });

  it('matches request parameter names regardless of case', () => {
    // Prepare
    const record = deleteProviderRecord();
    record.requestParameters = { OpenIDConnectProviderArn: GITHUB_PROVIDER };

    // Act
    const change = changeOf(record);

    // Assess
    expect(change.target.arn).toBe(GITHUB_PROVIDER);
  });
});

describe('readChange: scope', () => {
  it('reads every one of the eight event names', () => {
    // Prepare
    const records = [
      updateTrustPolicyRecord('deploy', githubTrustPolicy(MAIN)),
      createRoleRecord('deploy', githubTrustPolicy(MAIN)),
      deleteRoleRecord('deploy'),
      createProviderRecord(),
      deleteProviderRecord(),
      thumbprintRecord(['1c58a3a8518e8759bf075b76b750d4f2df264fcd']),
      clientIdRecord('add', 'x'),
      clientIdRecord('remove', 'x'),
    ];

    // Act
    const names = records.map((r) => changeOf(r).eventName);

    // Assess
    expect(names).toEqual([...CHANGE_EVENT_NAMES]);
  });

  it('leaves STS records and other IAM calls to other readers', () => {
    // Prepare
    const sts = failedWebIdentityRecord({ sub: MAIN });
    const putRolePolicy = { ...deleteRoleRecord('deploy'), eventName: 'PutRolePolicy' };

    // Act
    const outcomes = [sts, putRolePolicy, 'text', null, { Records: [] }].map(readChange);

    // Assess
    expect(outcomes.every((o) => o.kind === 'other')).toBe(true);
  });

  it('ignores a failed change, which changed nothing, and says why', () => {
    // Prepare
    const record = updateTrustPolicyRecord('deploy', githubTrustPolicy(MAIN), {
      errorCode: 'MalformedPolicyDocument',
      eventId: 'e-9',
    });

    // Act
    const outcome = readChange(record);

    // Assess
    expect(outcome).toEqual({
      kind: 'ignored',
      eventId: 'e-9',
      eventTime: '2026-11-27T14:00:00Z',
      reason:
        'UpdateAssumeRolePolicy record e-9 failed with MalformedPolicyDocument: it changed nothing',
    });
  });

  it.each([
    [
      'no role name',
      () => ({ ...deleteRoleRecord('deploy', { eventId: 'e-3' }), requestParameters: {} }),
      'DeleteRole record e-3 has no requestParameters.roleName',
    ],
    [
      'no provider ARN',
      () => ({ ...deleteProviderRecord({ eventId: 'e-4' }), requestParameters: {} }),
      'DeleteOpenIDConnectProvider record e-4 has no requestParameters.openIDConnectProviderArn naming an OIDC provider',
    ],
    [
      'no client ID',
      () => ({
        ...clientIdRecord('add', 'x', { eventId: 'e-5' }),
        requestParameters: { openIDConnectProviderArn: GITHUB_PROVIDER },
      }),
      'AddClientIDToOpenIDConnectProvider record e-5 has no requestParameters.clientID',
    ],
    [
      'no provider URL',
      () => ({
        ...createProviderRecord({ eventId: 'e-6' }),
        requestParameters: {},
        responseElements: null,
      }),
      'CreateOpenIDConnectProvider record e-6 has no requestParameters.url',
    ],
    [
      'no thumbprints',
      () => ({
        ...thumbprintRecord([], { eventId: 'e-7' }),
        requestParameters: { openIDConnectProviderArn: GITHUB_PROVIDER },
      }),
      'UpdateOpenIDConnectProviderThumbprint record e-7 has no requestParameters.thumbprintList',
    ],
    [
      'no event time',
      () => ({ ...deleteRoleRecord('deploy', { eventId: 'e-8' }), eventTime: undefined }),
      'DeleteRole record e-8 has no readable "eventTime"',
    ],
    [
      'no account',
      () => ({
        ...deleteRoleRecord('deploy', { eventId: 'e-10' }),
        recipientAccountId: undefined,
        userIdentity: {},
      }),
      'DeleteRole record e-10 names no account',
    ],
  ])('calls a record with %s malformed, naming the field', (_, make, reason) => {
    // Prepare
    const record = JSON.parse(JSON.stringify(make()));

    // Act
    const outcome = readChange(record);

    // Assess
    expect(outcome).toMatchObject({ kind: 'malformed', reason });
  });

  it('never throws on a hostile value', () => {
    // Prepare
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor() {
          throw new Error('boom');
        },
      }
    );

    // Act
    const outcome = readChange(hostile);

    // Assess
    expect(outcome).toMatchObject({ kind: 'malformed', reason: 'record could not be read: boom' });
  });
});
