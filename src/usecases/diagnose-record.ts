/**
 * The one pipeline every entry point runs: read a record, gather its IAM view, classify. The
 * Lambda, the CLI and the tests all call this, so one input gives one answer everywhere.
 */
import { classifyCall, diagnoseUnread } from '../domain/classify/classify.js';
import { readRecord } from '../domain/input/read-record.js';
import { webIdentitySignature } from '../domain/input/record-signature.js';
import type { Diagnosis, OidcCall } from '../domain/types.js';
import type { IamReader } from '../ports.js';
import { type GatherOptions, gatherIamView } from './gather-iam-view.js';

/**
 * Diagnoses a call already read. Without a reader, the call is classified from its code alone.
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
  return classifyCall(call, await gatherIamView(call, reader, options));
}

async function diagnoseFully(
  value: unknown,
  reader: IamReader | null,
  options: GatherOptions
): Promise<Diagnosis> {
  const outcome = readRecord(value);
  if (outcome.kind !== 'call') return diagnoseUnread(outcome);
  return diagnoseCall(outcome.call, reader, options);
}

/** Results per snapshot reader, by record signature: a snapshot never changes, so neither do they. */
const memos = new WeakMap<IamReader, Map<string, Diagnosis>>();
const MEMO_LIMIT = 50_000;

/**
 * Diagnoses one input record (an EventBridge envelope or a bare CloudTrail record). Never throws
 * for a bad record: it gives `MALFORMED_EVENT` or `IGNORED`.
 *
 * Against a snapshot, records that differ only in id and time (a job's retries, a matrix) are
 * read and classified once: the rest take the result and their own id and time.
 *
 * @example
 * ```ts
 * const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
 * const d = await diagnoseRecord(JSON.parse(line), reader);
 * d.cause; // 'SUB_MISMATCH'
 * ```
 */
export async function diagnoseRecord(
  value: unknown,
  reader: IamReader | null,
  options: GatherOptions = {}
): Promise<Diagnosis> {
  if (reader === null || reader.source !== 'snapshot') return diagnoseFully(value, reader, options);
  const sig = webIdentitySignature(value);
  if (sig === null) return diagnoseFully(value, reader, options);
  let memo = memos.get(reader);
  if (memo === undefined) {
    memo = new Map();
    memos.set(reader, memo);
  }
  const key =
    options.owners === undefined
      ? sig.signature
      : `${sig.signature}\u0003${options.owners.join(',')}`;
  const hit = memo.get(key);
  if (hit !== undefined) return { ...hit, eventId: sig.eventId, eventTime: sig.eventTime };
  const d = await diagnoseFully(value, reader, options);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, d);
  return d;
}
