/**
 * The signature of a web-identity record: every field `readRecord` consults for it except its id
 * and time, read straight from the parsed JSON. Two records with one signature read into calls
 * that differ only in `eventId` and `eventTime`, so a classifier that has seen one has seen both —
 * which lets the CLI skip re-reading the dozen retries of one failing job.
 *
 * Conservative by design: anything unusual (another event, a chained session, an odd envelope)
 * has no signature and takes the full path.
 */
import { redactNullable } from './redact-tokens.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : null;
}

/** Nesting and size past which a field is not put in a signature (the record takes the full path). */
const MAX_PART_DEPTH = 16;
const MAX_PART_CHARS = 16 * 1024;

/** Thrown inside {@link boundedJson} when a value is too deep or too large to sign. */
const TOO_BIG = Symbol('too big');

/**
 * `JSON.stringify` of a parsed JSON value, refusing (`undefined`) one nested deeper than
 * {@link MAX_PART_DEPTH} or longer than {@link MAX_PART_CHARS}: a record is attacker-shaped input,
 * and `JSON.stringify` throws a RangeError on a few thousand levels of brackets.
 */
function boundedJson(v: unknown): string | undefined {
  let size = 0;
  const walk = (x: unknown, depth: number): string => {
    if (depth > MAX_PART_DEPTH || size > MAX_PART_CHARS) throw TOO_BIG;
    let out: string;
    if (x === null || typeof x !== 'object') {
      out = JSON.stringify(x) ?? 'null';
    } else if (Array.isArray(x)) {
      out = `[${x.map((e) => walk(e, depth + 1)).join(',')}]`;
    } else {
      const parts: string[] = [];
      for (const key of Object.keys(x))
        parts.push(`${JSON.stringify(key)}:${walk((x as Json)[key], depth + 1)}`);
      out = `{${parts.join(',')}}`;
    }
    size += out.length;
    if (size > MAX_PART_CHARS) throw TOO_BIG;
    return out;
  };
  try {
    return walk(v, 0);
  } catch (e) {
    if (e === TOO_BIG) return undefined;
    throw e;
  }
}

/**
 * A field in the signature: strings as they are, anything else tagged so it cannot collide;
 * `undefined` when the value is too deep or large to sign.
 */
function part(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v === undefined) return '\u0001';
  const json = boundedJson(v);
  return json === undefined ? undefined : `\u0002${json}`;
}

/** The CloudTrail record of a value (the `detail` of an envelope), when the value is plain. */
function recordOf(value: unknown): { record: Json; envelopeTime: unknown } | null {
  const top = obj(value);
  if (top === null || 'Records' in top) return null;
  if (!('detail-type' in top) && !('detail' in top))
    return { record: top, envelopeTime: undefined };
  if ('eventName' in top) return null;
  if (top['detail-type'] !== undefined && top['detail-type'] !== 'AWS API Call via CloudTrail')
    return null;
  const detail = obj(top.detail);
  return detail === null ? null : { record: detail, envelopeTime: top.time };
}

/**
 * The signature and the id/time of a plain `AssumeRoleWithWebIdentity` record, or `null` (also
 * for a record with a field too deeply nested or too large to sign). Never throws on parsed JSON.
 */
export function webIdentitySignature(
  value: unknown
): { signature: string; eventId: string | null; eventTime: string | null } | null {
  const found = recordOf(value);
  if (found === null) return null;
  const r = found.record;
  if (r.eventSource !== 'sts.amazonaws.com' || r.eventName !== 'AssumeRoleWithWebIdentity')
    return null;
  const ui = obj(r.userIdentity);
  if (ui === null) return null;
  const rp = obj(r.requestParameters);
  const re = obj(r.responseElements);
  const parts = [
    part(r.recipientAccountId),
    part(r.awsRegion),
    part(r.errorCode),
    part(r.errorMessage),
    part(ui.identityProvider),
    part(ui.userName),
    part(ui.principalId),
    part(rp?.roleArn),
    part(rp?.roleSessionName),
    part(rp?.durationSeconds),
    // The fallbacks `readRecord` reads only when the first sources are missing.
    typeof rp?.roleArn === 'string' && rp.roleArn !== '' ? '' : part(r.resources),
    re === null ? part(r.responseElements) : part(re.provider),
    re === null ? '' : part(re.subjectFromWebIdentityToken),
    re === null ? '' : part(re.audience),
    re === null ? '' : part(obj(re.assumedRoleUser)?.arn),
  ];
  if (parts.includes(undefined)) return null;
  const id = r.eventID;
  const time =
    typeof r.eventTime === 'string' && r.eventTime !== '' ? r.eventTime : found.envelopeTime;
  return {
    signature: parts.join('\u0000'),
    eventId: typeof id === 'string' && id !== '' ? redactNullable(id) : null,
    eventTime: typeof time === 'string' && time !== '' ? redactNullable(time) : null,
  };
}
