/**
 * The one pipeline every entry point runs: read a record, gather its IAM view, classify. The
 * Lambda, the CLI and the tests all call this, so one input gives one answer everywhere.
 */
import { classifyCall, diagnoseUnread } from '../domain/classify/classify.js';
import { readRecord } from '../domain/input/read-record.js';
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
