/**
 * The one pipeline every entry point runs: read a record, gather its IAM view, classify. The
 * Lambda, the CLI and the tests all call this, so one input gives one answer everywhere.
 */
import { classifyCall, diagnoseUnread } from '../domain/classify/classify.js';
import { readRecord } from '../domain/input/read-record.js';
import type { Diagnosis, OidcCall } from '../domain/types.js';
import type { IamReader } from '../ports.js';
import { type GatherOptions, gatherIamView } from './gather-iam-view.js';

/** Results per snapshot reader, by call signature: a snapshot never changes, so neither do they. */
const memos = new WeakMap<IamReader, Map<string, Diagnosis>>();
const MEMO_LIMIT = 50_000;

/** Everything of a call that its diagnosis depends on, except its id and time. */
function signature(call: OidcCall, owners: readonly string[] | undefined): string {
  return [
    call.account,
    call.region,
    call.eventName,
    call.errorCode,
    call.errorMessage,
    call.provider,
    call.aud,
    call.sub,
    call.roleArn,
    call.roleSessionName,
    call.durationSeconds,
    call.chained === null ? '' : JSON.stringify(call.chained),
    owners?.join(',') ?? '',
  ].join('\u0000');
}

/**
 * Diagnoses a call already read. Without a reader, the call is classified from its code alone.
 * Against a snapshot, calls that differ only in id and time (a job's retries, a matrix) are
 * classified once.
 */
export async function diagnoseCall(
  call: OidcCall,
  reader: IamReader | null,
  options: GatherOptions = {}
): Promise<Diagnosis> {
  if (reader === null)
    return classifyCall(call, {
      status: 'failed',
      reason: 'no IAM source was given',
      source: 'none',
    });
  if (reader.source !== 'snapshot')
    return classifyCall(call, await gatherIamView(call, reader, options));
  let memo = memos.get(reader);
  if (memo === undefined) {
    memo = new Map();
    memos.set(reader, memo);
  }
  const key = signature(call, options.owners);
  const hit = memo.get(key);
  if (hit !== undefined) return { ...hit, eventId: call.eventId, eventTime: call.eventTime };
  const d = classifyCall(call, await gatherIamView(call, reader, options));
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, d);
  return d;
}

/**
 * Diagnoses one input record (an EventBridge envelope or a bare CloudTrail record). Never throws
 * for a bad record: it gives `MALFORMED_EVENT` or `IGNORED`.
 *
 * @example
 * ```ts
 * const reader = await loadSnapshotReader('examples/iam-snapshot.json');
 * const d = await diagnoseRecord(JSON.parse(line), reader);
 * d.cause; // 'SUB_MISMATCH'
 * ```
 */
export async function diagnoseRecord(
  value: unknown,
  reader: IamReader | null,
  options: GatherOptions = {}
): Promise<Diagnosis> {
  const outcome = readRecord(value);
  if (outcome.kind !== 'call') return diagnoseUnread(outcome);
  return diagnoseCall(outcome.call, reader, options);
}
