/**
 * `AnnotationStore` on a DynamoDB table (created by the annotator construct), keyed by the failing
 * job's key. A claim is a conditional `PutItem` that succeeds only when the key is new or its
 * claim has lapsed, so two workers (or a job's redelivered message) cannot both post; `complete`
 * records the outcome, `release` deletes a claim still held. Items expire through the
 * `expiresAt` TTL attribute. Only `PutItem`, `GetItem` and `DeleteItem`, on this table.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AnnotationStore, ClaimResult } from '../../annotator/annotation-store.js';

/** The table's key and attributes (the construct uses the same names). */
export const ANNOTATION_TABLE_KEYS = { partition: 'key', ttl: 'expiresAt' } as const;

/** Options of {@link DynamoDbAnnotationStore}. */
export interface DynamoDbAnnotationStoreOptions {
  readonly client: Pick<DynamoDBClient, 'send'>;
  readonly tableName: string;
  /** How long a handled job is remembered, s. @default 7 days */
  readonly ttlSeconds?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

function isConditionFailure(e: unknown): boolean {
  return (
    e instanceof ConditionalCheckFailedException ||
    (e as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Claims and outcomes in DynamoDB.
 *
 * @example
 * ```ts
 * const store = new DynamoDbAnnotationStore({ client: new DynamoDBClient({}), tableName: 'oidcwatch-annotations' });
 * const claim = await store.claim(failingJobKey, 300_000);
 * ```
 */
export class DynamoDbAnnotationStore implements AnnotationStore {
  readonly #o: Required<Omit<DynamoDbAnnotationStoreOptions, 'client'>> & {
    client: Pick<DynamoDBClient, 'send'>;
  };

  constructor(options: DynamoDbAnnotationStoreOptions) {
    this.#o = { ttlSeconds: 7 * 86_400, now: Date.now, ...options };
  }

  #expiresAt(): string {
    return String(Math.floor(this.#o.now() / 1000) + this.#o.ttlSeconds);
  }

  async claim(key: string, holdMs: number): Promise<ClaimResult> {
    const now = this.#o.now();
    try {
      await this.#o.client.send(
        new PutItemCommand({
          TableName: this.#o.tableName,
          Item: {
            [ANNOTATION_TABLE_KEYS.partition]: { S: key },
            state: { S: 'claimed' },
            holdUntil: { N: String(now + holdMs) },
            [ANNOTATION_TABLE_KEYS.ttl]: { N: this.#expiresAt() },
          },
          ConditionExpression:
            'attribute_not_exists(#key) OR (#state = :claimed AND #holdUntil < :now)',
          ExpressionAttributeNames: {
            '#key': ANNOTATION_TABLE_KEYS.partition,
            '#state': 'state',
            '#holdUntil': 'holdUntil',
          },
          ExpressionAttributeValues: { ':claimed': { S: 'claimed' }, ':now': { N: String(now) } },
        })
      );
      return { state: 'claimed' };
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
    const out = await this.#o.client.send(
      new GetItemCommand({
        TableName: this.#o.tableName,
        Key: { [ANNOTATION_TABLE_KEYS.partition]: { S: key } },
        ConsistentRead: true,
      })
    );
    const item = out.Item;
    if (item?.state?.S === 'done') return { state: 'done', outcome: item.outcome?.S ?? 'done' };
    return { state: 'busy', untilMs: Number(item?.holdUntil?.N ?? now + 1000) };
  }

  async complete(key: string, outcome: string): Promise<void> {
    await this.#o.client.send(
      new PutItemCommand({
        TableName: this.#o.tableName,
        Item: {
          [ANNOTATION_TABLE_KEYS.partition]: { S: key },
          state: { S: 'done' },
          outcome: { S: outcome },
          at: { N: String(this.#o.now()) },
          [ANNOTATION_TABLE_KEYS.ttl]: { N: this.#expiresAt() },
        },
      })
    );
  }

  async release(key: string): Promise<void> {
    try {
      await this.#o.client.send(
        new DeleteItemCommand({
          TableName: this.#o.tableName,
          Key: { [ANNOTATION_TABLE_KEYS.partition]: { S: key } },
          ConditionExpression: '#state = :claimed',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': { S: 'claimed' } },
        })
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }
}
