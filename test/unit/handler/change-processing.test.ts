/**
 * The processor on sequences of IAM configuration changes and failed calls, with IAM behind
 * aws-sdk-client-mock: a change makes the cache forget the role or provider at once (the next
 * failure is judged against the new configuration, well inside the 10-minute cache TTL), its old
 * configuration comes from the cache, it is logged and counted, and the failures it explains are
 * annotated with it.
 */
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoleChange } from '../../../src/domain/changes/change-types.js';
import { readConfig } from '../../../src/handler/config.js';
import { type BuiltDeps, buildDeps } from '../../../src/handler/deps.js';
import { handleEvent, type ProcessSummary } from '../../../src/handler/process-event.js';
import type { ChangeStore } from '../../../src/ports.js';
import { captureEmf, lineCollector } from '../../helpers/capture.js';
import { eventBridgeEnvelope, failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import {
  ALICE,
  deleteProviderRecord,
  iamEnvelope,
  updateTrustPolicyRecord,
} from '../../helpers/iam-change-records.js';
import { githubTrustPolicy, SUB_KEY } from '../../helpers/iam-view.js';

const HOME = '111122223333';
const PROVIDER = `arn:aws:iam::${HOME}:oidc-provider/token.actions.githubusercontent.com`;
const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';
const FEATURE = 'repo:acme/api:ref:refs/heads/feature';
const OLD_POLICY = githubTrustPolicy([MAIN, RELEASE]);
const NEW_POLICY = githubTrustPolicy([RELEASE]);

let iamMock = mockClient(IAMClient);
let emf: ReturnType<typeof captureEmf>;

/** What IAM holds now; the mock answers from it. */
const iam = { policy: OLD_POLICY as unknown, providers: [PROVIDER] };

beforeEach(() => {
  emf = captureEmf();
  iamMock = mockClient(IAMClient);
  iam.policy = OLD_POLICY;
  iam.providers = [PROVIDER];
  iamMock.on(GetRoleCommand).callsFake((input: { RoleName: string }) => ({
    Role: {
      Arn: `arn:aws:iam::${HOME}:role/${input.RoleName}`,
      RoleName: input.RoleName,
      Path: '/',
      RoleId: 'AROA',
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(iam.policy)),
    },
  }));
  iamMock.on(ListOpenIDConnectProvidersCommand).callsFake(() => ({
    OpenIDConnectProviderList: iam.providers.map((Arn) => ({ Arn })),
  }));
  iamMock.on(GetOpenIDConnectProviderCommand).resolves({
    Url: 'token.actions.githubusercontent.com',
    ClientIDList: ['sts.amazonaws.com'],
    ThumbprintList: [],
  });
  iamMock.on(ListRolesCommand).resolves({ Roles: [] });
});

afterEach(() => {
  emf.restore();
  iamMock.restore();
});

/** The function's clock: set to each event's time as it is delivered. */
const clock = { now: Date.parse('2026-11-27T13:00:00Z') };

function setup(): { deps: BuiltDeps; logs: ReturnType<typeof lineCollector> } {
  const logs = lineCollector();
  const config = readConfig({ OIDCWATCH_HOME_ACCOUNT: HOME });
  const deps = buildDeps(
    config,
    {},
    {
      clientConfig: {
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      },
      logDestination: logs.stream,
      now: () => clock.now,
    }
  );
  return { deps, logs };
}

/** Delivers an event a few seconds after it happened, as EventBridge does. */
async function deliver(deps: BuiltDeps, event: Record<string, unknown>): Promise<ProcessSummary> {
  clock.now = Date.parse(String(event.time)) + 5_000;
  return (await handleEvent(event, deps)) as ProcessSummary;
}

function failure(sub: string, time: string) {
  return eventBridgeEnvelope(failedWebIdentityRecord({ sub, role: 'deploy', time }));
}

describe('processor: trust policy changed, then failures', () => {
  it('judges the next failure against the new policy at once and names the change, its author and the removed value', async () => {
    // Prepare
    const { deps, logs } = setup();
    const warm = await deliver(deps, failure(FEATURE, '2026-11-27T13:55:00Z'));
    iam.policy = NEW_POLICY;
    const change = iamEnvelope(
      updateTrustPolicyRecord('deploy', NEW_POLICY, {
        eventId: 'c-1',
        time: '2026-11-27T14:00:00Z',
      })
    );

    // Act
    const recorded = await deliver(deps, change);
    const after = await deliver(deps, failure(MAIN, '2026-11-27T14:04:00Z'));

    // Assess
    expect(warm.results[0]?.cause).toBe('SUB_MISMATCH');
    const c = recorded.changes[0] as RoleChange;
    expect(recorded.results).toEqual([]);
    expect(c).toMatchObject({
      type: 'TRUST_POLICY_UPDATED',
      beforeFrom: 'iam-cache',
      actor: ALICE,
    });
    expect(c.diff).toContainEqual(
      expect.objectContaining({ operator: 'StringEquals', key: SUB_KEY, removed: [MAIN] })
    );
    const d = after.results[0];
    // Against the cached old policy (which admits main) this would be DENIED_OUTSIDE_TRUST_POLICY.
    expect(d).toMatchObject({ cause: 'SUB_MISMATCH', detail: 'BRANCH' });
    expect(d?.change).toMatchObject({
      kind: 'TRUST_POLICY_UPDATED',
      eventId: 'c-1',
      by: ALICE,
      verdict: 'explains',
      removed: [MAIN],
      minutesBefore: 4,
    });
    expect(d?.explanation).toContain(`by ${ALICE}); the change removed \`${MAIN}\``);
    expect(iamMock.commandCalls(GetRoleCommand)).toHaveLength(2);
    const changeLine = logs.lines.find((l) => l.msg === 'oidcwatch.change');
    expect(changeLine).toMatchObject({
      changeType: 'TRUST_POLICY_UPDATED',
      actor: ALICE,
      roleArn: `arn:aws:iam::${HOME}:role/deploy`,
      beforeFrom: 'iam-cache',
      removed: [MAIN],
      after: { exists: true, trustPolicy: JSON.stringify(NEW_POLICY) },
    });
    const resultLine = logs.lines.filter((l) => l.msg === 'oidcwatch.result').at(-1);
    expect(resultLine?.change).toMatchObject({ eventId: 'c-1', verdict: 'explains' });
    const counted = emf.docs.filter((doc) => 'ConfigurationChanges' in doc);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      ConfigurationChanges: 1,
      ChangeType: 'TRUST_POLICY_UPDATED',
    });
  });

  it('judges a failure against the old policy from the cache until a change arrives (the control case)', async () => {
    // Prepare
    const { deps } = setup();
    await deliver(deps, failure(FEATURE, '2026-11-27T13:55:00Z'));
    iam.policy = NEW_POLICY;

    // Act
    const stale = await deliver(deps, failure(MAIN, '2026-11-27T14:04:00Z'));

    // Assess
    expect(stale.results[0]?.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
    expect(stale.results[0]?.change).toBeNull();
    expect(iamMock.commandCalls(GetRoleCommand)).toHaveLength(1);
  });

  it('drops its cache entry for a change another function instance recorded, and completes it from its cache', async () => {
    // Prepare
    const a = setup();
    const b = setup();
    const shared: ChangeStore = a.deps.changes.store;
    const depsB: BuiltDeps = { ...b.deps, changes: { ...b.deps.changes, store: shared } };
    await deliver(depsB, failure(FEATURE, '2026-11-27T13:55:00Z'));
    iam.policy = NEW_POLICY;

    // Act
    await deliver(
      a.deps,
      iamEnvelope(updateTrustPolicyRecord('deploy', NEW_POLICY, { eventId: 'c-2' }))
    );
    const onB = await deliver(depsB, failure(MAIN, '2026-11-27T14:04:00Z'));

    // Assess: A had not cached the role, so only B knew the old policy.
    const stored = await shared.changesOf('role|111122223333|deploy');
    expect(onB.results[0]).toMatchObject({ cause: 'SUB_MISMATCH' });
    expect(onB.results[0]?.change).toMatchObject({
      eventId: 'c-2',
      verdict: 'explains',
      removed: [MAIN],
    });
    expect(stored.ok && stored.value[0]?.beforeFrom).toBe('iam-cache');
  });

  it('does not blame a change that does not explain the failure', async () => {
    // Prepare
    const { deps } = setup();
    await deliver(deps, failure(FEATURE, '2026-11-27T13:55:00Z'));
    const widened = githubTrustPolicy([MAIN, RELEASE, 'repo:acme/web:ref:refs/heads/main']);
    iam.policy = widened;

    // Act
    await deliver(deps, iamEnvelope(updateTrustPolicyRecord('deploy', widened)));
    const after = await deliver(deps, failure(FEATURE, '2026-11-27T14:04:00Z'));

    // Assess
    expect(after.results[0]).toMatchObject({ cause: 'SUB_MISMATCH', change: null });
    expect(after.results[0]?.explanation).not.toContain('changed');
  });
});

describe('processor: OIDC provider deleted, then failures', () => {
  it('gives MISSING_OIDC_PROVIDER naming the deletion', async () => {
    // Prepare
    const { deps } = setup();
    await deliver(deps, failure(FEATURE, '2026-11-27T13:55:00Z'));
    iam.providers = [];

    // Act
    const recorded = await deliver(deps, iamEnvelope(deleteProviderRecord({ eventId: 'c-del' })));
    const after = await deliver(deps, failure(MAIN, '2026-11-27T14:02:00Z'));

    // Assess
    expect(recorded.changes[0]).toMatchObject({
      type: 'PROVIDER_DELETED',
      beforeFrom: 'iam-cache',
      before: { exists: true, clientIds: ['sts.amazonaws.com'] },
    });
    expect(after.results[0]?.cause).toBe('MISSING_OIDC_PROVIDER');
    expect(after.results[0]?.change).toMatchObject({
      kind: 'PROVIDER_DELETED',
      eventId: 'c-del',
      providerArn: PROVIDER,
      by: ALICE,
      verdict: 'explains',
    });
    expect(after.results[0]?.explanation).toContain(
      'The OIDC provider token.actions.githubusercontent.com was deleted 2 min before this failure'
    );
    expect(iamMock.commandCalls(ListOpenIDConnectProvidersCommand)).toHaveLength(2);
  });
});

describe('processor: change events that change nothing or cannot be stored', () => {
  it('gives IGNORED for a failed change, with the reason', async () => {
    // Prepare
    const { deps, logs } = setup();
    const failed = updateTrustPolicyRecord('deploy', NEW_POLICY, {
      errorCode: 'MalformedPolicyDocument',
      eventId: 'c-3',
    });

    // Act
    const out = await deliver(deps, iamEnvelope(failed));

    // Assess
    expect(out.changes).toEqual([]);
    expect(out.results[0]).toMatchObject({
      cause: 'IGNORED',
      detail:
        'UpdateAssumeRolePolicy record c-3 failed with MalformedPolicyDocument: it changed nothing',
    });
    expect(logs.lines.filter((l) => l.msg === 'oidcwatch.result')).toHaveLength(1);
  });

  it('lets the event fail (to be retried) when the store cannot be written, and forgets the cache entry first', async () => {
    // Prepare
    const { deps } = setup();
    await deliver(deps, failure(FEATURE, '2026-11-27T13:55:00Z'));
    const broken: ChangeStore = {
      record: async () => {
        throw new Error('ProvisionedThroughputExceededException');
      },
      changesOf: async () => ({ ok: true, value: [] }),
    };
    const depsBroken: BuiltDeps = { ...deps, changes: { ...deps.changes, store: broken } };
    const event = iamEnvelope(updateTrustPolicyRecord('deploy', NEW_POLICY, { eventId: 'c-4' }));

    // Act
    const attempt = deliver(depsBroken, event);

    // Assess
    await expect(attempt).rejects.toThrow('ProvisionedThroughputExceededException');
    expect(deps.iam.peekRole(HOME, 'deploy')).toBeUndefined();
    expect(deps.seen.checkAndRecord(String((event.detail as { eventID: string }).eventID))).toBe(
      false
    );
  });
});
