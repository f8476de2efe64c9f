/**
 * Reads one input record (an EventBridge envelope or a bare CloudTrail record) into exactly one
 * outcome: an in-scope `OidcCall`, `ignored`, or `malformed` with the reason.
 */
import { identifyIssuer, providerAccountId } from '../subject/identify-issuer.js';
import { parseSubject } from '../subject/parse-subject.js';
import type { ChainedCall, OidcCall, ReadOutcome } from '../types.js';
import { readChainedSession } from './chained-session.js';
import { asObject, child, field, type JsonObject, text } from './record-fields.js';
import { arnAccountId, resolveRecordRole } from './record-role.js';
import { redactNullable, redactTokens } from './redact-tokens.js';
import { audienceFromPrincipalId } from './web-identity-claims.js';

const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
const STS_SOURCE = 'sts.amazonaws.com';
/** Quoted record values are cut to this length in reasons. */
const MAX_QUOTED = 80;

/** Where a record sits in its input, for reasons and for the outcome. */
interface RecordPlace {
  readonly eventId: string | null;
  readonly eventTime: string | null;
}

/** The web-identity part of a call, before the fields every in-scope record shares. */
interface WebIdentityParts {
  readonly eventName: OidcCall['eventName'];
  readonly provider: string | null;
  readonly aud: string | null;
  readonly sub: string | null;
  readonly chained: ChainedCall | null;
}

/** A record value quoted for a reason: tokens redacted, cut short. */
function quote(value: string): string {
  const safe = redactTokens(value);
  return JSON.stringify(safe.length > MAX_QUOTED ? `${safe.slice(0, MAX_QUOTED)}…` : safe);
}

/** How a reason names a record: by `eventID` when it has one. */
function labelOf(place: RecordPlace): string {
  if (place.eventId !== null) return `record ${place.eventId}`;
  return place.eventTime === null ? 'record without eventID' : `record at ${place.eventTime}`;
}

/** What a non-object value is, in words. */
function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function ignored(place: RecordPlace, reason: string): ReadOutcome {
  return { kind: 'ignored', ...place, reason };
}

function malformed(place: RecordPlace, reason: string): ReadOutcome {
  return { kind: 'malformed', ...place, reason };
}

/** A `durationSeconds` sent as a number or a numeric string. */
function durationOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  return typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : null;
}

function redactChained(chained: ChainedCall | null): ChainedCall | null {
  if (chained === null) return null;
  return {
    sessionRoleArn: redactNullable(chained.sessionRoleArn),
    sessionArn: redactNullable(chained.sessionArn),
    tagKeys: chained.tagKeys.map(redactTokens),
    transitiveTagKeys: chained.transitiveTagKeys.map(redactTokens),
  };
}

/**
 * The `OidcCall` of an in-scope record. Every string taken from the record is redacted (`place`
 * already is).
 */
function buildCall(record: JsonObject, place: RecordPlace, parts: WebIdentityParts): OidcCall {
  const request = child(record, 'requestParameters');
  const { roleArn, roleSource } = resolveRecordRole(record);
  const provider = redactNullable(parts.provider);
  const sub = redactNullable(parts.sub);
  const issuer = provider === null ? null : identifyIssuer(provider);
  // No `...place` spread: on Node 20 an object literal that starts with a spread and adds many
  // properties takes a slow path (~50 µs here vs 0.2 µs), and this runs once per record.
  return {
    eventId: place.eventId,
    eventTime: place.eventTime,
    eventName: parts.eventName,
    account: redactNullable(
      text(record, 'recipientAccountId') ??
        arnAccountId(roleArn) ??
        (provider === null ? null : providerAccountId(provider))
    ),
    region: redactNullable(text(record, 'awsRegion')),
    errorCode: redactNullable(text(record, 'errorCode')),
    errorMessage: redactNullable(text(record, 'errorMessage')),
    provider,
    issuer,
    aud: redactNullable(parts.aud),
    sub,
    subject: sub === null ? null : parseSubject(sub, issuer?.kind ?? null),
    roleArn: redactNullable(roleArn),
    roleSource,
    roleSessionName: redactNullable(text(request, 'roleSessionName')),
    durationSeconds: durationOf(field(request, 'durationSeconds')),
    userAgent: redactNullable(text(record, 'userAgent')),
    chained: redactChained(parts.chained),
  };
}

/**
 * `AssumeRoleWithWebIdentity`: the claims come from `userIdentity` (aud out of `principalId`), and
 * on success from `responseElements` when `userIdentity` lacks them.
 */
function readWebIdentity(record: JsonObject, place: RecordPlace): ReadOutcome {
  const identity = child(record, 'userIdentity');
  if (identity === null) return malformed(place, `${labelOf(place)} has no "userIdentity"`);
  const response = child(record, 'responseElements');
  const provider = text(identity, 'identityProvider') ?? text(response, 'provider');
  const sub = text(identity, 'userName') ?? text(response, 'subjectFromWebIdentityToken');
  const aud =
    audienceFromPrincipalId(text(identity, 'principalId'), provider, sub) ??
    text(response, 'audience');
  return {
    kind: 'call',
    call: buildCall(record, place, {
      eventName: 'AssumeRoleWithWebIdentity',
      provider,
      aud,
      sub,
      chained: null,
    }),
  };
}

/** `AssumeRole`: in scope only when the caller is a session that came from web identity. */
function readChainedAssumeRole(record: JsonObject, place: RecordPlace): ReadOutcome {
  const identity = child(record, 'userIdentity');
  if (identity === null) return malformed(place, `${labelOf(place)} has no "userIdentity"`);
  const session = readChainedSession(identity, child(record, 'requestParameters'));
  if (session === null) {
    const type = text(identity, 'type');
    const caller = type === null ? 'a caller of unknown type' : `caller type ${quote(type)}`;
    return ignored(place, `AssumeRole by ${caller}, not a session that came from web identity`);
  }
  return {
    kind: 'call',
    call: buildCall(record, place, { eventName: 'AssumeRole', ...session }),
  };
}

/** Decides the scope of a CloudTrail record and reads it. */
function readCloudTrailRecord(record: JsonObject, envelopeTime: string | null): ReadOutcome {
  const place = {
    eventId: redactNullable(text(record, 'eventID')),
    eventTime: redactNullable(text(record, 'eventTime') ?? envelopeTime),
  };
  const eventName = text(record, 'eventName');
  const eventSource = text(record, 'eventSource');
  if (eventName === null) return malformed(place, `${labelOf(place)} has no "eventName"`);
  if (eventSource === null) {
    return malformed(place, `${labelOf(place)} has no "eventSource"`);
  }
  if (eventSource !== STS_SOURCE) {
    return ignored(
      place,
      `eventSource ${quote(eventSource)} (eventName ${quote(eventName)}) is not ${STS_SOURCE}`
    );
  }
  if (eventName === 'AssumeRoleWithWebIdentity') return readWebIdentity(record, place);
  if (eventName === 'AssumeRole') return readChainedAssumeRole(record, place);
  return ignored(
    place,
    `eventName ${quote(eventName)} is not AssumeRoleWithWebIdentity or AssumeRole`
  );
}

/** `true` for an EventBridge envelope rather than a bare CloudTrail record. */
function isEnvelope(value: JsonObject): boolean {
  return (
    Object.hasOwn(value, 'detail-type') ||
    (Object.hasOwn(value, 'detail') && !Object.hasOwn(value, 'eventName'))
  );
}

/**
 * Keys under which exports carry the CloudTrail record as a JSON string: `aws cloudtrail
 * lookup-events` (`CloudTrailEvent`), CloudTrail Lake and Athena query results (`eventJson`).
 */
const STRING_RECORD_KEY = /^(cloudtrailevent|eventjson|event_json)$/i;

/** The key holding the record as a string, when `top` is such a wrapper (and not a record). */
function stringRecordKey(top: JsonObject): string | null {
  if (Object.hasOwn(top, 'eventName') || Object.hasOwn(top, 'detail')) return null;
  for (const key of Object.keys(top))
    if (STRING_RECORD_KEY.test(key) && typeof top[key] === 'string') return key;
  return null;
}

/** Reads the record a wrapper carries as a JSON string. */
function readStringRecord(top: JsonObject, key: string): ReadOutcome {
  const id = text(top, 'EventId') ?? text(top, 'eventID') ?? text(top, 'eventId');
  const place = { eventId: redactNullable(id), eventTime: null };
  let inner: unknown;
  try {
    inner = JSON.parse(top[key] as string);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return malformed(place, `${labelOf(place)}: "${key}" is not JSON (${quote(why)})`);
  }
  const record = asObject(inner);
  if (record === null)
    return malformed(place, `${labelOf(place)}: "${key}" holds ${describe(inner)}, not a record`);
  if (stringRecordKey(record) !== null)
    return malformed(place, `${labelOf(place)}: "${key}" holds another wrapper`);
  return readUnchecked(record);
}

function readUnchecked(value: unknown): ReadOutcome {
  const top = asObject(value);
  const nowhere = { eventId: null, eventTime: null };
  if (top === null) return malformed(nowhere, `record is ${describe(value)}, not a JSON object`);
  const wrapped = stringRecordKey(top);
  if (wrapped !== null) return readStringRecord(top, wrapped);
  if (Array.isArray(field(top, 'Records'))) {
    return malformed(nowhere, 'value is a CloudTrail log file ("Records"), not one record');
  }
  if (!isEnvelope(top)) return readCloudTrailRecord(top, null);

  const detail = child(top, 'detail');
  const detailType = text(top, 'detail-type');
  const envelopeTime = text(top, 'time');
  const place = {
    eventId: redactNullable(text(detail, 'eventID')),
    eventTime: redactNullable(text(detail, 'eventTime') ?? envelopeTime),
  };
  if (detailType !== null && detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    return ignored(place, `detail-type ${quote(detailType)} is not "${CLOUDTRAIL_DETAIL_TYPE}"`);
  }
  if (detail === null) {
    const id = text(top, 'id');
    const name = id === null ? 'EventBridge event' : `EventBridge event ${quote(id)}`;
    return malformed(place, `${name} has no "detail" object`);
  }
  return readCloudTrailRecord(detail, envelopeTime);
}

/**
 * Reads one input record: an EventBridge envelope (`detail` = the CloudTrail record) or a bare
 * CloudTrail record.
 *
 * In scope: `AssumeRoleWithWebIdentity` from `sts.amazonaws.com`, and `AssumeRole` called by a
 * session that came from web identity (then `chained` is filled). Any other record is `ignored`
 * with a reason naming its eventName/eventSource. A value that is not an object, has no
 * `eventName`/`eventSource`, or an in-scope record without `userIdentity` is `malformed` with a
 * reason naming the record and the field.
 *
 * Claims: aud is what remains of `principalId` once `identityProvider + ":"` and `":" + userName`
 * are stripped (aud may contain `:`); on success `responseElements` fills what `userIdentity`
 * lacks; nothing is guessed. The role comes from `requestParameters.roleArn`, else `resources[]`,
 * else `responseElements.assumedRoleUser`, else an authorisation message; `roleSource` says which.
 * No token ever reaches the result: `webIdentityToken` is never read and every JWT-shaped
 * substring of a copied string (`errorMessage` included) becomes `[REDACTED]`.
 *
 * Never throws, and always returns exactly one outcome.
 *
 * @param value - one parsed JSON value
 * @returns the outcome
 *
 * @example
 * ```ts
 * const outcome = readRecord(JSON.parse(line));
 * if (outcome.kind === 'call') classify(outcome.call);
 * else log(outcome.kind, outcome.reason);
 * ```
 */
function readRecord(value: unknown): ReadOutcome {
  try {
    return readUnchecked(value);
  } catch (error) {
    // Only a hostile value (a throwing getter, a revoked proxy) gets here; JSON never does.
    const what = error instanceof Error ? quote(error.message) : 'a non-Error value was thrown';
    return malformed({ eventId: null, eventTime: null }, `record could not be read: ${what}`);
  }
}

export { readRecord };
