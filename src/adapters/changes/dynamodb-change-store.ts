/**
 * `ChangeStore` on a DynamoDB table (created by the monitor stack): `PutItem` to record, `Query`
 * to read one role's or provider's changes, nothing else. Reads are cached per target for a few
 * seconds and coalesced, so a burst of failures of one role makes one query per function
 * instance; recording a change drops its target's entry, so the instance sees its own changes at
 * once and others within the cache lifetime.
 */
import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { ConfigurationChange } from '../../domain/changes/change-types.js';
import { targetKey } from '../../domain/changes/target-keys.js';
import type { ChangeStore, IamLookup } from '../../ports.js';
import { describeAwsError, isThrottling } from '../iam/iam-api-reader.js';
import { TtlCache } from '../iam/ttl-cache.js';
import { CHANGE_TABLE_KEYS, fromItem, toItem } from './change-item.js';

/** Options of {@link DynamoDbChangeStore}. */
export interface DynamoDbChangeStoreOptions {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  /** How long a change is kept after it was made, s (the item's `expiresAt`). @default 7 days */
  readonly ttlSeconds?: number;
  /** How long a target's changes are served from memory, ms. @default 15 s */
  readonly cacheTtlMs?: number;
  /** Changes read per target, newest first. @default 50 */
  readonly limit?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const DYNAMODB_THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
]);

function throttled(error: unknown): boolean {
  return isThrottling(error) || DYNAMODB_THROTTLING.has((error as { name?: string })?.name ?? '');
}

/**
 * Changes in DynamoDB.
 *
 * @example
 * ```ts
 * const store = new DynamoDbChangeStore({ client: new DynamoDBClient({}), tableName: 'oidcwatch-changes' });
 * await store.record(change);
 * const recent = await store.changesOf('role|111122223333|deploy');
 * ```
 */
export class DynamoDbChangeStore implements ChangeStore {
  readonly #client: Pick<DynamoDBClient, 'send'>;
  readonly #table: string;
  readonly #ttlSeconds: number;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #cache: TtlCache<readonly ConfigurationChange[]>;

  constructor(options: DynamoDbChangeStoreOptions) {
    this.#client = options.client;
    this.#table = options.tableName;
    this.#ttlSeconds = options.ttlSeconds ?? 7 * 86_400;
    this.#limit = options.limit ?? 50;
    this.#now = options.now ?? Date.now;
    const ttlMs = options.cacheTtlMs ?? 15_000;
    this.#cache = new TtlCache({
      policy: { ttlMs, negativeTtlMs: ttlMs, maxStaleMs: 10 * 60_000 },
      maxEntries: 2000,
      now: this.#now,
      canServeStale: throttled,
    });
  }

  async record(change: ConfigurationChange): Promise<void> {
    await this.#client.send(
      new PutItemCommand({ TableName: this.#table, Item: toItem(change, this.#ttlSeconds) })
    );
    this.#cache.invalidate(targetKey(change.target));
  }

  async changesOf(key: string): Promise<IamLookup<readonly ConfigurationChange[]>> {
    const r = await this.#cache.get(key, async () => {
      const out = await this.#client.send(
        new QueryCommand({
          TableName: this.#table,
          KeyConditionExpression: '#target = :target',
          ExpressionAttributeNames: { '#target': CHANGE_TABLE_KEYS.partition },
          ExpressionAttributeValues: { ':target': { S: key } },
          ScanIndexForward: false,
          ConsistentRead: true,
          Limit: this.#limit,
        })
      );
      const nowSeconds = Math.floor(this.#now() / 1000);
      return (out.Items ?? [])
        .map((item) => fromItem(item, nowSeconds))
        .filter((c): c is ConfigurationChange => c !== null);
    });
    return r.ok
      ? { ok: true, value: r.value, stale: r.stale }
      : {
          ok: false,
          reason: `dynamodb:Query on ${this.#table}: ${describeAwsError(r.error)}`,
        };
  }
}
