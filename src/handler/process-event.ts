/**
 * The processor's use case: for each delivered record, diagnose it (the same pipeline as the CLI),
 * write one log line and its metrics. Accepts an EventBridge event, or an SQS batch redriven from
 * the dead-letter queue (bodies are EventBridge events, or Lambda destination records carrying one
 * as `requestPayload`) with partial-batch failure reporting.
 *
 * Nothing is lost: a record that cannot be read is `MALFORMED_EVENT`, an IAM read that fails is
 * `ENRICHMENT_FAILED` — both logged and counted. Only an unexpected fault escapes, so the event goes
 * to the failure destination rather than vanishing.
 */
import type { Logger } from 'pino';
import { logChange } from '../adapters/log/change-logger.js';
import { logResult } from '../adapters/log/result-logger.js';
import type { ResultMetrics } from '../adapters/metrics/emf-result-metrics.js';
import { type CanaryProbe, canaryProbeOf } from '../domain/canary/canary-probe.js';
import type { ConfigurationChange } from '../domain/changes/change-types.js';
import { readChange } from '../domain/changes/read-change.js';
import { diagnoseUnread } from '../domain/classify/classify.js';
import { expandRecords } from '../domain/input/expand-records.js';
import { envelopeAccountMismatch } from '../domain/trust/envelope-account.js';
import type { Diagnosis } from '../domain/types.js';
import type { IamReader } from '../ports.js';
import { diagnoseRecord } from '../usecases/diagnose-record.js';
import { type ChangeTracking, changeContextOf, processChange } from './process-change.js';
import type { SeenEvents } from './seen-events.js';

/** What the processor uses, built once per Lambda instance. */
export interface ProcessorDeps {
  readonly reader: IamReader;
  readonly logger: Logger;
  readonly metrics: ResultMetrics;
  readonly seen: SeenEvents;
  readonly owners: readonly string[];
  /**
   * IAM configuration changes: recorded, and correlated with failures.
   *
   * @default none: change events are logged and counted but not recorded; failures not annotated
   */
  readonly changes?: ChangeTracking;
  /**
   * The canary issuer's host: its denied calls are heartbeats, not failures.
   *
   * @default none: no canary
   */
  readonly canaryIssuerHost?: string | null;
  /** @default Date.now (the canary's lag) */
  readonly now?: () => number;
}

/** An SQS batch response (partial failures). */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** What one invocation did. */
export interface ProcessSummary {
  readonly results: readonly Diagnosis[];
  /** IAM configuration changes recorded. */
  readonly changes: readonly ConfigurationChange[];
  readonly duplicates: number;
  /** Canary heartbeats (not results). */
  readonly canary?: readonly CanaryProbe[];
}

/** An SQS message as delivered; `body` and `messageId` are checked, not trusted. */
interface SqsRecord {
  readonly messageId?: unknown;
  readonly body?: unknown;
  readonly eventSource?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `true` for an SQS event (`Records` of `aws:sqs` messages). A message without a body is still an
 * SQS message: it fails on its own instead of turning the batch into one EventBridge event.
 */
export function isSqsEvent(event: unknown): event is { Records: SqsRecord[] } {
  return (
    isObject(event) &&
    Array.isArray(event.Records) &&
    event.Records.length > 0 &&
    event.Records.every((r) => isObject(r) && r.eventSource === 'aws:sqs')
  );
}

/**
 * The id a record is de-duplicated by: CloudTrail's `sharedEventID` when present (a cross-account
 * call is logged in both accounts, with different `eventID`s and one `sharedEventID`), else its
 * `eventID`.
 */
function eventIdOf(value: unknown): string | null {
  if (!isObject(value)) return null;
  const record = isObject(value.detail) ? value.detail : value;
  if (typeof record.sharedEventID === 'string') return `shared:${record.sharedEventID}`;
  return typeof record.eventID === 'string' ? record.eventID : null;
}

/**
 * What one delivered record gave: a result, a recorded change, a canary heartbeat, or `null` for
 * a duplicate.
 */
export type RecordOutcome = Diagnosis | ConfigurationChange | CanaryProbe | null;

/** `true` for a canary heartbeat. */
export function isCanary(outcome: RecordOutcome): outcome is CanaryProbe {
  return outcome !== null && 'roleArnLogged' in outcome;
}

/**
 * Logs and counts the canary's call: what CloudTrail logged for it (is `roleArn` there?), how long
 * it took to arrive; never a result line, never a failure metric.
 */
function recordCanary(probe: CanaryProbe, deps: ProcessorDeps): CanaryProbe {
  const at = probe.eventTime === null ? Number.NaN : Date.parse(probe.eventTime);
  const now = (deps.now ?? Date.now)();
  deps.logger.info(
    {
      ...probe,
      lagSeconds: Number.isFinite(at) ? Math.round((now - at) / 1000) : null,
    },
    'oidcwatch.canary'
  );
  deps.metrics.recordCanary?.(probe);
  return probe;
}

/** `true` for a recorded configuration change (rather than a result). */
export function isChange(outcome: RecordOutcome): outcome is ConfigurationChange {
  return outcome !== null && 'target' in outcome;
}

async function processFresh(
  value: unknown,
  deps: ProcessorDeps
): Promise<Diagnosis | ConfigurationChange | CanaryProbe> {
  const mismatch = envelopeAccountMismatch(value);
  if (mismatch !== null) {
    // Not diagnosed: no IAM read in an account the sender does not own, no failure metric, no page.
    const d = diagnoseUnread({
      kind: 'malformed',
      eventId: eventIdOf(value),
      eventTime: null,
      reason: `untrusted event: ${mismatch}`,
    });
    deps.metrics.record(d);
    deps.metrics.recordUntrusted?.();
    logResult(deps.logger, d);
    return d;
  }
  const probe = canaryProbeOf(value, deps.canaryIssuerHost ?? null);
  if (probe !== null) return recordCanary(probe, deps);
  const read = readChange(value);
  if (read.kind === 'change') {
    if (deps.changes !== undefined)
      return processChange(read.change, {
        changes: deps.changes,
        logger: deps.logger,
        metrics: deps.metrics,
      });
    logChange(deps.logger, read.change);
    deps.metrics.recordChange?.(read.change);
    return read.change;
  }
  const d =
    read.kind === 'other'
      ? await diagnoseRecord(value, deps.reader, {
          owners: deps.owners,
          ...(deps.changes === undefined
            ? {}
            : { changes: changeContextOf(deps.changes, deps.logger) }),
        })
      : diagnoseUnread(read);
  // The metric first: if it fails, the retry logs the result once, not twice.
  deps.metrics.record(d);
  logResult(deps.logger, d);
  return d;
}

/**
 * Diagnoses, logs and counts one delivered record; an IAM configuration change is recorded (its
 * role or provider forgotten by the IAM cache at once), logged and counted instead. Returns
 * `null` for a duplicate. Throws only on an unexpected fault or a change that cannot be stored
 * (after forgetting the id so a retry is processed).
 */
export async function processRecord(value: unknown, deps: ProcessorDeps): Promise<RecordOutcome> {
  const id = eventIdOf(value);
  if (id !== null && deps.seen.checkAndRecord(id)) {
    deps.logger.debug({ eventId: id }, 'oidcwatch.duplicate');
    return null;
  }
  try {
    return await processFresh(value, deps);
  } catch (e) {
    if (id !== null) deps.seen.forget(id);
    throw e;
  }
}

/** The payload an SQS body carries: an EventBridge event, or a Lambda destination record. */
function payloadOf(body: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: `SQS message body is not JSON: ${(e as Error).message}` };
  }
  return {
    ok: true,
    value: isObject(parsed) && 'requestPayload' in parsed ? parsed.requestPayload : parsed,
  };
}

/**
 * Processes every record a delivered value holds: one event, or each record of a
 * `{"Records":[…]}` log file or a JSON array (one result each).
 */
async function processValue(value: unknown, deps: ProcessorDeps): Promise<RecordOutcome[]> {
  const outcomes: RecordOutcome[] = [];
  for (const record of expandRecords(value)) outcomes.push(await processRecord(record, deps));
  return outcomes;
}

/** Processes an SQS batch; failed messages are reported for redelivery, the rest are done. */
export async function processSqsBatch(
  event: { Records: SqsRecord[] },
  deps: ProcessorDeps
): Promise<BatchResponse> {
  const failures: { itemIdentifier: string }[] = [];
  for (const message of event.Records) {
    const id = typeof message.messageId === 'string' ? message.messageId : null;
    try {
      if (typeof message.body !== 'string')
        throw new Error(`SQS message ${id ?? '(no messageId)'} has no body`);
      const payload = payloadOf(message.body);
      if (!payload.ok) {
        const d = diagnoseUnread({
          kind: 'malformed',
          eventId: null,
          eventTime: null,
          reason: `message ${id ?? '(no messageId)'}: ${payload.reason}`,
        });
        deps.metrics.record(d);
        logResult(deps.logger, d);
      } else {
        await processValue(payload.value, deps);
      }
    } catch (e) {
      deps.logger.error({ messageId: id, err: e }, 'oidcwatch.record_failed');
      if (id !== null) failures.push({ itemIdentifier: id });
    }
  }
  return { batchItemFailures: failures };
}

/**
 * Handles one invocation: an SQS batch, or one EventBridge event.
 *
 * @example
 * ```ts
 * export const handler = (event: unknown) => handleEvent(event, deps);
 * ```
 */
export async function handleEvent(
  event: unknown,
  deps: ProcessorDeps
): Promise<BatchResponse | ProcessSummary> {
  try {
    if (isSqsEvent(event)) return await processSqsBatch(event, deps);
    const outcomes = await processValue(event, deps);
    return {
      results: outcomes.filter((o): o is Diagnosis => o !== null && !isChange(o) && !isCanary(o)),
      changes: outcomes.filter(isChange),
      duplicates: outcomes.filter((o) => o === null).length,
      ...(outcomes.some(isCanary) ? { canary: outcomes.filter(isCanary) } : {}),
    };
  } finally {
    deps.metrics.flush();
  }
}
