/**
 * Which role a record is about. `requestParameters.roleArn` is not reliable on denied calls
 * (reference §1.4), so the reader falls back through the other places a role ARN appears.
 */
import type { RoleSource } from '../types.js';
import { child, items, type JsonObject, text } from './record-fields.js';

/** The role of a record and where it was found. */
interface RecordRole {
  readonly roleArn: string | null;
  readonly roleSource: RoleSource | null;
}

const ASSUMED_ROLE = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;
/** `… not authorized to perform: sts:TagSession on resource: arn:aws:iam::ACCT:role/NAME` */
const RESOURCE_IN_MESSAGE = /on resource: (arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]+)/;
const ARN_ACCOUNT = /^arn:[\w-]+:[\w-]*:[\w-]*:(\d{12}):/;

/** The `AWS::IAM::Role` entry of `resources[]`. */
function roleFromResources(record: JsonObject): string | null {
  for (const item of items(record, 'resources')) {
    const resource = typeof item === 'object' && item !== null ? (item as JsonObject) : null;
    if (text(resource, 'type') === 'AWS::IAM::Role' && text(resource, 'ARN') !== null) {
      return text(resource, 'ARN');
    }
  }
  return null;
}

/**
 * The role of an assumed-role session ARN. A role path is not part of the session ARN, so a role
 * under a path comes back without it.
 */
function roleFromAssumedRoleUser(record: JsonObject): string | null {
  const arn = text(child(child(record, 'responseElements'), 'assumedRoleUser'), 'arn');
  const match = arn === null ? null : ASSUMED_ROLE.exec(arn);
  return match ? `arn:${match[1]}:iam::${match[2]}:role/${match[3]}` : null;
}

/**
 * Resolves the role: `requestParameters.roleArn`, else the `AWS::IAM::Role` entry of `resources[]`,
 * else (on success) the role of `responseElements.assumedRoleUser.arn`, else the role an
 * authorisation message names (`… on resource: arn:aws:iam::…:role/…`, chained calls).
 *
 * @param record - the CloudTrail record
 * @returns the role ARN and its source, both `null` when the record names no role
 *
 * @example
 * ```ts
 * resolveRecordRole({ requestParameters: { roleArn: 'arn:aws:iam::1:role/r' } }).roleSource;
 * // 'requestParameters'
 * ```
 */
function resolveRecordRole(record: JsonObject): RecordRole {
  const requested = text(child(record, 'requestParameters'), 'roleArn');
  if (requested !== null) return { roleArn: requested, roleSource: 'requestParameters' };
  const listed = roleFromResources(record);
  if (listed !== null) return { roleArn: listed, roleSource: 'resources' };
  const assumed = roleFromAssumedRoleUser(record);
  if (assumed !== null) return { roleArn: assumed, roleSource: 'responseElements' };
  const named = RESOURCE_IN_MESSAGE.exec(text(record, 'errorMessage') ?? '')?.[1] ?? null;
  if (named !== null) return { roleArn: named, roleSource: 'errorMessage' };
  return { roleArn: null, roleSource: null };
}

/**
 * The account id of any ARN with one (`arn:aws:iam::111122223333:role/x` → `111122223333`).
 *
 * @param arn - an ARN, or `null`
 * @returns the 12-digit account, or `null`
 *
 * @example
 * ```ts
 * arnAccountId('arn:aws:iam::111122223333:role/deploy'); // '111122223333'
 * ```
 */
function arnAccountId(arn: string | null): string | null {
  return arn === null ? null : (ARN_ACCOUNT.exec(arn)?.[1] ?? null);
}

export type { RecordRole };
export { arnAccountId, resolveRecordRole };
