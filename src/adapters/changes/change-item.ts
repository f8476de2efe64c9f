/**
 * The DynamoDB item of a recorded change: partition key `target` (the target key), sort key `at`
 * (`eventTime#eventId`, so a target's changes sort by time and a redelivered event overwrites
 * itself), `expiresAt` (epoch seconds, the table's TTL attribute) and the change as JSON.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { ConfigurationChange } from '../../domain/changes/change-types.js';
import { targetKey } from '../../domain/changes/target-keys.js';

/** Attribute names of the change table (the stack creates it with these). */
export const CHANGE_TABLE_KEYS = {
  partition: 'target',
  sort: 'at',
  ttl: 'expiresAt',
} as const;

/** The item of `change`, to expire `ttlSeconds` after the change was made. */
export function toItem(
  change: ConfigurationChange,
  ttlSeconds: number
): Record<string, AttributeValue> {
  const madeAt = Math.floor(Date.parse(change.eventTime) / 1000);
  return {
    [CHANGE_TABLE_KEYS.partition]: { S: targetKey(change.target) },
    [CHANGE_TABLE_KEYS.sort]: { S: `${change.eventTime}#${change.eventId ?? ''}` },
    [CHANGE_TABLE_KEYS.ttl]: { N: String(madeAt + ttlSeconds) },
    change: { S: JSON.stringify(change) },
  };
}

/**
 * The change of an item, or `null` when the item is not one (or has expired by `nowSeconds`:
 * DynamoDB deletes expired items only eventually).
 */
export function fromItem(
  item: Record<string, AttributeValue>,
  nowSeconds: number
): ConfigurationChange | null {
  const expires = Number(item[CHANGE_TABLE_KEYS.ttl]?.N);
  if (Number.isFinite(expires) && expires < nowSeconds) return null;
  const json = item.change?.S;
  if (json === undefined) return null;
  try {
    const value = JSON.parse(json) as Partial<ConfigurationChange>;
    if (
      typeof value.eventTime !== 'string' ||
      typeof value.target !== 'object' ||
      value.target === null ||
      typeof value.before !== 'object' ||
      typeof value.after !== 'object'
    )
      return null;
    return value as ConfigurationChange;
  } catch {
    return null;
  }
}
