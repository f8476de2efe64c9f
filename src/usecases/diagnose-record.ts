/**
 * The one pipeline every entry point runs: read a record, gather its IAM view, classify, and (when
 * change correlation is on) name the configuration change that explains a failure. The Lambda,
 * the CLI and the tests all call this, so one input gives one answer everywhere.
 */

import { explainByChange, withChange } from '../domain/changes/correlate.js';
import { classifyCall, diagnoseUnread } from '../domain/classify/classify.js';
import { readRecord } from '../domain/input/read-record.js';
import { webIdentitySignature } from '../domain/input/record-signature.js';
import type { Diagnosis, IamView, OidcCall } from '../domain/types.js';
import type { IamReader } from '../ports.js';
import { type ChangeContext, changesForCall } from './change-context.js';
import { type GatherOptions, gatherIamView } from './gather-iam-view.js';

/** Options of `diagnoseRecord` and `diagnoseCall`. */
export interface DiagnoseOptions extends GatherOptions {
  /**
   * Change correlation: failures are annotated with the change that explains them.
   *
   * @default none (no `change` field on results)
   */
  readonly changes?: ChangeContext;
}

const NO_IAM: IamView = { status: 'failed', reason: 'no IAM source was given', source: 'none' };

/** A result with what it was made from (correlation needs the call and the view). */
interface Classified {
  readonly d: Diagnosis;
  readonly call: OidcCall | null;
  readonly view: IamView | null;
}

/** Names the change behind a failure, when correlation is on. */
async function correlate(
  c: Classified,
  ctx: ChangeContext | undefined,
  prefetched?: Awaited<ReturnType<typeof changesForCall>>
): Promise<Diagnosis> {
  if (ctx === undefined || c.call === null || c.view === null) return c.d;
  const changes = prefetched ?? (await changesForCall(c.call, ctx));
  if (c.call.errorCode === null) return c.d;
  return withChange(
    c.d,
    explainByChange({
      call: c.call,
      diagnosis: c.d,
      view: c.view,
      changes,
      windowMs: ctx.windowMs,
    })
  );
}

async function classifyRead(
  call: OidcCall,
  reader: IamReader | null,
  options: DiagnoseOptions
): Promise<Classified> {
  const view = reader === null ? NO_IAM : await gatherIamView(call, reader, options);
  return { d: classifyCall(call, view), call, view };
}

/**
 * Diagnoses a call already read. Without a reader, the call is classified from its code alone.
 * With `options.changes`, the changes of the call's role and provider are read first (so the
 * processor can drop what they made stale in its cache) and the failure is annotated.
 */
export async function diagnoseCall(
  call: OidcCall,
  reader: IamReader | null,
  options: DiagnoseOptions = {}
): Promise<Diagnosis> {
  const changes = await changesForCall(call, options.changes);
  return correlate(await classifyRead(call, reader, options), options.changes, changes);
}

async function diagnoseFully(
  value: unknown,
  reader: IamReader | null,
  options: DiagnoseOptions
): Promise<Diagnosis> {
  const outcome = readRecord(value);
  if (outcome.kind !== 'call') return diagnoseUnread(outcome);
  return diagnoseCall(outcome.call, reader, options);
}

/**
 * Classifications per snapshot reader, by record signature: a snapshot never changes, so neither
 * do they. Change annotations depend on each record's own time, so they are never memoised: the
 * memo keeps the call and view and correlation runs again for every record.
 */
const memos = new WeakMap<IamReader, Map<string, Classified>>();
/** Classifications remembered per snapshot: bounded, whatever the variety of the input. */
const MEMO_LIMIT = 10_000;

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
  options: DiagnoseOptions = {}
): Promise<Diagnosis> {
  if (reader === null || reader.source !== 'snapshot') return diagnoseFully(value, reader, options);
  const sig = webIdentitySignature(value);
  if (sig === null) return diagnoseFully(value, reader, options);
  const memo = memoOf(reader);
  const key = memoKey(sig.signature, options);
  let hit = memo.get(key);
  if (hit === undefined) {
    const outcome = readRecord(value);
    hit =
      outcome.kind === 'call'
        ? await classifyRead(outcome.call, reader, options)
        : { d: diagnoseUnread(outcome), call: null, view: null };
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, hit);
  }
  const d = { ...hit.d, eventId: sig.eventId, eventTime: sig.eventTime };
  if (options.changes === undefined) return d;
  const call =
    hit.call === null ? null : { ...hit.call, eventId: sig.eventId, eventTime: sig.eventTime };
  return correlate({ d, call, view: hit.view }, options.changes);
}

/**
 * The diagnosis of a record whose twin (same signature) was already classified against this
 * snapshot, synchronously; `undefined` when it must go through {@link diagnoseRecord} (first of
 * its kind, live IAM, or change correlation on). Lets a streaming caller skip an `await` per
 * retry.
 */
export function cachedDiagnosis(
  value: unknown,
  reader: IamReader | null,
  options: DiagnoseOptions = {}
): Diagnosis | undefined {
  if (options.changes !== undefined || reader === null || reader.source !== 'snapshot')
    return undefined;
  const sig = webIdentitySignature(value);
  if (sig === null) return undefined;
  const hit = memos.get(reader)?.get(memoKey(sig.signature, options));
  return hit === undefined
    ? undefined
    : { ...hit.d, eventId: sig.eventId, eventTime: sig.eventTime };
}

function memoOf(reader: IamReader): Map<string, Classified> {
  let memo = memos.get(reader);
  if (memo === undefined) {
    memo = new Map();
    memos.set(reader, memo);
  }
  return memo;
}

function memoKey(signature: string, options: GatherOptions): string {
  return options.owners === undefined ? signature : `${signature}\u0003${options.owners.join(',')}`;
}
