/**
 * The change stores: in memory (CLI), and on DynamoDB (processor) with the client mocked —
 * exactly `PutItem` and `Query` on the table, the item layout the stack's table is built for
 * (`target`, `at`, the `expiresAt` TTL), reads cached and coalesced per target, and every failure
 * a value rather than an exception.
 */
import {
  DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANGE_TABLE_KEYS, toItem } from '../../../src/adapters/changes/change-item.js';
import { DynamoDbChangeStore } from '../../../src/adapters/changes/dynamodb-change-store.js';
import { MemoryChangeStore } from '../../../src/adapters/changes/memory-change-store.js';
import type { ConfigurationChange } from '../../../src/domain/changes/change-types.js';
import { readChange } from '../../../src/domain/changes/read-change.js';
import { targetKey } from '../../../src/domain/changes/target-keys.js';
import { deleteProviderRecord, updateTrustPolicyRecord } from '../../helpers/iam-change-records.js';
import { githubTrustPolicy } from '../../helpers/iam-view.js';

const ROLE_KEY = 'role|111122223333|deploy';

function change(time: string, eventId: string): ConfigurationChange {
  const r = readChange(
    updateTrustPolicyRecord('deploy', githubTrustPolicy('repo:acme/api:ref:refs/heads/main'), {
      time,
      eventId,
    })
  );
  if (r.kind !== 'change') throw new Error('not a change');
  return r.change;
}

function throttling(): Error {
  const e = new Error('Rate of requests exceeds the allowed throughput.');
  e.name = 'ProvisionedThroughputExceededException';
  return e;
}

describe('MemoryChangeStore', () => {
  it('returns a target’s changes newest first, a redelivered event once', async () => {
    // Prepare
    const store = new MemoryChangeStore();
    const older = change('2026-11-20T10:00:00Z', 'c-1');
    const newer = change('2026-11-27T14:00:00Z', 'c-2');

    // Act
    await store.record(older);
    await store.record(newer);
    await store.record(older);
    const read = await store.changesOf(ROLE_KEY);

    // Assess
    expect(read).toEqual({ ok: true, value: [newer, older] });
    expect(store.all().map((c) => c.eventId)).toEqual(['c-1', 'c-2']);
  });

  it('forgets changes older than its retention', async () => {
    // Prepare
    const store = new MemoryChangeStore({
      retentionMs: 7 * 86_400_000,
      now: () => Date.parse('2026-11-28T00:00:00Z'),
    });
    await store.record(change('2026-11-01T10:00:00Z', 'old'));
    await store.record(change('2026-11-27T14:00:00Z', 'recent'));

    // Act
    const read = await store.changesOf(ROLE_KEY);

    // Assess
    expect(read.ok && read.value.map((c) => c.eventId)).toEqual(['recent']);
  });
});

describe('DynamoDbChangeStore', () => {
  const ddb = mockClient(DynamoDBClient);
  const now = Date.parse('2026-11-27T15:00:00Z');
  let store: DynamoDbChangeStore;

  beforeEach(() => {
    ddb.reset();
    store = new DynamoDbChangeStore({
      client: new DynamoDBClient({ region: 'us-east-1' }),
      tableName: 'oidcwatch-changes',
      ttlSeconds: 7 * 86_400,
      now: () => now,
    });
  });

  afterEach(() => ddb.reset());

  it('records a change as one item keyed by target and time, expiring with the TTL', async () => {
    // Prepare
    ddb.on(PutItemCommand).resolves({});
    const c = change('2026-11-27T14:00:00Z', 'c-1');

    // Act
    await store.record(c);

    // Assess
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input as PutItemCommandInput;
    expect(input.TableName).toBe('oidcwatch-changes');
    expect(input.Item).toEqual({
      target: { S: ROLE_KEY },
      at: { S: '2026-11-27T14:00:00Z#c-1' },
      expiresAt: { N: String(Date.parse('2026-11-27T14:00:00Z') / 1000 + 7 * 86_400) },
      change: { S: JSON.stringify(c) },
    });
    expect(CHANGE_TABLE_KEYS).toEqual({ partition: 'target', sort: 'at', ttl: 'expiresAt' });
  });

  it('reads a target newest first with one consistent query, shared by concurrent callers', async () => {
    // Prepare
    const newer = change('2026-11-27T14:00:00Z', 'c-2');
    const older = change('2026-11-26T14:00:00Z', 'c-1');
    ddb.on(QueryCommand).resolves({ Items: [toItem(newer, 86_400), toItem(older, 7 * 86_400)] });

    // Act
    const reads = await Promise.all([store.changesOf(ROLE_KEY), store.changesOf(ROLE_KEY)]);
    const again = await store.changesOf(ROLE_KEY);

    // Assess
    expect(reads[0]).toEqual({ ok: true, value: [newer, older], stale: false });
    expect(reads[1]).toEqual(reads[0]);
    expect(again.ok && again.value).toEqual([newer, older]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toEqual({
      TableName: 'oidcwatch-changes',
      KeyConditionExpression: '#target = :target',
      ExpressionAttributeNames: { '#target': 'target' },
      ExpressionAttributeValues: { ':target': { S: ROLE_KEY } },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: 50,
    });
  });

  it('sees its own change at once after recording it', async () => {
    // Prepare
    const c = change('2026-11-27T14:00:00Z', 'c-1');
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [] })
      .resolves({ Items: [toItem(c, 86_400)] });
    ddb.on(PutItemCommand).resolves({});
    await store.changesOf(ROLE_KEY);

    // Act
    await store.record(c);
    const read = await store.changesOf(ROLE_KEY);

    // Assess
    expect(read.ok && read.value.map((x) => x.eventId)).toEqual(['c-1']);
  });

  it('skips expired items DynamoDB has not deleted yet, and items that are not changes', async () => {
    // Prepare
    const expired = toItem(change('2026-11-01T14:00:00Z', 'old'), 86_400);
    ddb.on(QueryCommand).resolves({
      Items: [
        expired,
        { target: { S: ROLE_KEY }, at: { S: 'x' }, change: { S: '{"oops"' } },
        { target: { S: ROLE_KEY } },
        { change: { S: '{"eventTime":1}' } },
      ],
    });

    // Act
    const read = await store.changesOf(ROLE_KEY);

    // Assess
    expect(read).toEqual({ ok: true, value: [], stale: false });
  });

  it('answers with the reason when the table cannot be read', async () => {
    // Prepare
    ddb.on(QueryCommand).rejects(throttling());

    // Act
    const read = await store.changesOf(ROLE_KEY);

    // Assess
    expect(read).toEqual({
      ok: false,
      reason:
        'dynamodb:Query on oidcwatch-changes: ProvisionedThroughputExceededException: Rate of requests exceeds the allowed throughput.',
    });
  });

  it('rejects when a change cannot be recorded', async () => {
    // Prepare
    ddb.on(PutItemCommand).rejects(throttling());

    // Act
    const attempt = store.record(change('2026-11-27T14:00:00Z', 'c-1'));

    // Assess
    await expect(attempt).rejects.toThrow('Rate of requests exceeds the allowed throughput.');
  });

  it('keys provider changes by account and URL', () => {
    // Prepare
    const r = readChange(deleteProviderRecord());

    // Act
    const key = r.kind === 'change' ? targetKey(r.change.target) : null;

    // Assess
    expect(key).toBe('oidc-provider|111122223333|token.actions.githubusercontent.com');
  });
});
