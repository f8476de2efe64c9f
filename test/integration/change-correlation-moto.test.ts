/**
 * Change correlation end to end against moto_server: real IAM (the role's trust policy really
 * changes) and the DynamoDB change table laid out as the monitor stack creates it. One function
 * instance records the change; another, started later, finds it in the table and annotates the
 * failure with it.
 */
import {
  CreateTableCommand,
  DynamoDBClient,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANGE_TABLE_KEYS } from '../../src/adapters/changes/change-item.js';
import { readConfig } from '../../src/handler/config.js';
import { type BuiltDeps, buildDeps } from '../../src/handler/deps.js';
import { handleEvent, type ProcessSummary } from '../../src/handler/process-event.js';
import { lineCollector } from '../helpers/capture.js';
import { eventBridgeEnvelope, failedWebIdentityRecord } from '../helpers/cloudtrail-records.js';
import { ALICE, iamEnvelope, updateTrustPolicyRecord } from '../helpers/iam-change-records.js';
import { githubTrustPolicy } from '../helpers/iam-view.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';

const RUN = shouldRunMotoSuite('change correlation against moto_server');
/** moto's default account. */
const HOME = '123456789012';
const TABLE = 'oidcwatch-changes';
const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';
const OLD_POLICY = githubTrustPolicy([MAIN, RELEASE], { account: HOME });
const NEW_POLICY = githubTrustPolicy([RELEASE], { account: HOME });

describe.runIf(RUN)('change correlation against moto_server (IAM + DynamoDB)', () => {
  let moto: Moto;
  const clock = { now: Date.parse('2026-11-27T13:00:00Z') };

  function instance(): { deps: BuiltDeps; lines: Record<string, unknown>[] } {
    const logs = lineCollector();
    const config = readConfig({ OIDCWATCH_HOME_ACCOUNT: HOME, OIDCWATCH_CHANGE_TABLE: TABLE });
    const deps = buildDeps(
      config,
      {},
      {
        clientConfig: motoClientConfig(moto.endpoint),
        logDestination: logs.stream,
        metrics: { record: () => undefined, flush: () => undefined },
        now: () => clock.now,
      }
    );
    return { deps, lines: logs.lines };
  }

  async function deliver(deps: BuiltDeps, event: Record<string, unknown>): Promise<ProcessSummary> {
    clock.now = Date.parse(String(event.time)) + 5_000;
    return (await handleEvent(event, deps)) as ProcessSummary;
  }

  function failure(sub: string, time: string) {
    return eventBridgeEnvelope(
      failedWebIdentityRecord({ sub, role: 'deploy', account: HOME, time })
    );
  }

  beforeAll(async () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    moto = await startMoto();
    const iam = new IAMClient(motoClientConfig(moto.endpoint));
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://token.actions.githubusercontent.com',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      })
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'deploy',
        AssumeRolePolicyDocument: JSON.stringify(OLD_POLICY),
      })
    );
    const ddb = new DynamoDBClient(motoClientConfig(moto.endpoint));
    await ddb.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: CHANGE_TABLE_KEYS.partition, AttributeType: 'S' },
          { AttributeName: CHANGE_TABLE_KEYS.sort, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: CHANGE_TABLE_KEYS.partition, KeyType: 'HASH' },
          { AttributeName: CHANGE_TABLE_KEYS.sort, KeyType: 'RANGE' },
        ],
      })
    );
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: TABLE,
        TimeToLiveSpecification: { AttributeName: CHANGE_TABLE_KEYS.ttl, Enabled: true },
      })
    );
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await moto?.stop();
  });

  it('records a trust policy change in the table and annotates failures on every instance', async () => {
    // Prepare
    const first = instance();
    await deliver(
      first.deps,
      failure('repo:acme/api:ref:refs/heads/feature', '2026-11-27T13:55:00Z')
    );
    const iam = new IAMClient(motoClientConfig(moto.endpoint));
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'deploy',
        PolicyDocument: JSON.stringify(NEW_POLICY),
      })
    );
    const event = iamEnvelope(
      updateTrustPolicyRecord('deploy', NEW_POLICY, {
        account: HOME,
        eventId: 'c-moto',
        time: '2026-11-27T14:00:00Z',
      })
    );

    // Act
    const recorded = await deliver(first.deps, event);
    const onFirst = await deliver(first.deps, failure(MAIN, '2026-11-27T14:03:00Z'));
    const second = instance();
    const onSecond = await deliver(second.deps, failure(MAIN, '2026-11-27T14:09:00Z'));

    // Assess
    expect(recorded.changes[0]).toMatchObject({ beforeFrom: 'iam-cache', actor: ALICE });
    for (const [out, minutes] of [
      [onFirst, 3],
      [onSecond, 9],
    ] as const) {
      expect(out.results[0]).toMatchObject({ cause: 'SUB_MISMATCH', enrichment: 'iam' });
      expect(out.results[0]?.change).toMatchObject({
        eventId: 'c-moto',
        by: ALICE,
        verdict: 'explains',
        removed: [MAIN],
        minutesBefore: minutes,
      });
    }
    const items = await new DynamoDBClient(motoClientConfig(moto.endpoint)).send(
      new ScanCommand({ TableName: TABLE })
    );
    expect(items.Items).toHaveLength(1);
    expect(items.Items?.[0]).toMatchObject({
      target: { S: `role|${HOME}|deploy` },
      at: { S: '2026-11-27T14:00:00Z#c-moto' },
      expiresAt: { N: String(Date.parse('2026-11-27T14:00:00Z') / 1000 + 7 * 86_400) },
    });
    expect(first.lines.some((l) => l.msg === 'oidcwatch.change')).toBe(true);
  });
});
