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

/** A field in the signature: strings as they are, anything else tagged so it cannot collide. */
function part(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '\u0001';
  return `\u0002${JSON.stringify(v) ?? ''}`;
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

/** The signature and the id/time of a plain `AssumeRoleWithWebIdentity` record, or `null`. */
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
  const id = r.eventID;
  const time =
    typeof r.eventTime === 'string' && r.eventTime !== '' ? r.eventTime : found.envelopeTime;
  return {
    signature: parts.join('\u0000'),
    eventId: typeof id === 'string' && id !== '' ? redactNullable(id) : null,
    eventTime: typeof time === 'string' && time !== '' ? redactNullable(time) : null,
  };
}
