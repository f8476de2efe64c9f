/**
 * Reads one input record (an EventBridge envelope or a bare CloudTrail record) as an IAM
 * configuration change: a role's trust policy updated, a role created or deleted, an OIDC provider
 * created, deleted or given other thumbprints or client IDs. Anything else is `other` (another
 * reader's business); a failed call is `ignored` (it changed nothing); an in-scope record missing
 * what identifies the change is `malformed`, with the reason.
 */
import { asObject, child, field, type JsonObject, text } from '../input/record-fields.js';
import { actorOf } from './change-fields.js';
import {
  CHANGE_EVENT_NAMES,
  CHANGE_TYPE_OF,
  type ChangeCommon,
  type ChangeEventName,
  type ChangeReadOutcome,
  type ConfigurationChange,
} from './change-types.js';
import { changeDiff } from './policy-diff.js';
import { readProviderEvent } from './provider-events.js';
import { isRoleEvent, readRoleEvent } from './role-events.js';

const IAM_SOURCE = 'iam.amazonaws.com';
const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
const NAMES: ReadonlySet<string> = new Set(CHANGE_EVENT_NAMES);
const OTHER: ChangeReadOutcome = { kind: 'other' };

/** The CloudTrail record of a value and the envelope's account, or `null` when it has none. */
function unwrap(value: unknown): { record: JsonObject; envelopeAccount: string | null } | null {
  const top = asObject(value);
  if (top === null || Array.isArray(field(top, 'Records'))) return null;
  const isEnvelope =
    Object.hasOwn(top, 'detail-type') ||
    (Object.hasOwn(top, 'detail') && !Object.hasOwn(top, 'eventName'));
  if (!isEnvelope) return { record: top, envelopeAccount: null };
  const detailType = text(top, 'detail-type');
  const detail = child(top, 'detail');
  if (detail === null || (detailType !== null && detailType !== CLOUDTRAIL_DETAIL_TYPE))
    return null;
  return { record: detail, envelopeAccount: text(top, 'account') };
}

function readUnchecked(value: unknown): ChangeReadOutcome {
  const found = unwrap(value);
  if (found === null) return OTHER;
  const { record } = found;
  const eventName = text(record, 'eventName');
  if (text(record, 'eventSource') !== IAM_SOURCE || eventName === null || !NAMES.has(eventName))
    return OTHER;
  const eventId = text(record, 'eventID');
  const eventTime = text(record, 'eventTime');
  const label = `${eventName} record ${eventId ?? 'without eventID'}`;
  const errorCode = text(record, 'errorCode');
  if (errorCode !== null)
    return {
      kind: 'ignored',
      eventId,
      eventTime,
      reason: `${label} failed with ${errorCode}: it changed nothing`,
    };
  if (eventTime === null || !Number.isFinite(Date.parse(eventTime)))
    return {
      kind: 'malformed',
      eventId,
      eventTime,
      reason: `${label} has no readable "eventTime"`,
    };
  const account =
    text(record, 'recipientAccountId') ??
    text(child(record, 'userIdentity'), 'accountId') ??
    found.envelopeAccount;
  if (account === null)
    return { kind: 'malformed', eventId, eventTime, reason: `${label} names no account` };
  const name = eventName as ChangeEventName;
  const actor = actorOf(record, account);
  const common: ChangeCommon = {
    eventId,
    eventTime,
    eventName: name,
    type: CHANGE_TYPE_OF[name],
    account,
    region: text(record, 'awsRegion'),
    actor,
    userAgent: text(record, 'userAgent'),
    beforeFrom: 'event',
    diff: null,
  };
  const read = isRoleEvent(name)
    ? readRoleEvent(record, common)
    : readProviderEvent(record, common);
  if (typeof read === 'string') return { kind: 'malformed', eventId, eventTime, reason: read };
  const change: ConfigurationChange = { ...read, diff: changeDiff(read) };
  return { kind: 'change', change };
}

/**
 * Reads one record as a configuration change. Never throws.
 *
 * @example
 * ```ts
 * const r = readChange(JSON.parse(line));
 * if (r.kind === 'change') store.record(r.change);
 * else if (r.kind === 'other') diagnoseRecord(JSON.parse(line), reader);
 * ```
 */
export function readChange(value: unknown): ChangeReadOutcome {
  try {
    return readUnchecked(value);
  } catch (error) {
    // Only a hostile value (a throwing getter, a revoked proxy) gets here; JSON never does.
    return {
      kind: 'malformed',
      eventId: null,
      eventTime: null,
      reason: `record could not be read: ${error instanceof Error ? error.message : 'a non-Error value was thrown'}`,
    };
  }
}
