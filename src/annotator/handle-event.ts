/**
 * The annotator Lambda's use case, for its two event sources:
 *
 * - the CloudWatch Logs subscription on the processor's failure result lines (intake): the lines
 *   are grouped into failing jobs (a job's retries are one) and each job is put on the work queue;
 *   nothing calls GitHub here, so a burst of failures costs one queue message per job;
 * - the work queue (SQS, partial batch responses): each failing job is annotated (an intake
 *   delivery parked by Lambda's on-failure destination and redriven here is taken in again). A GitHub rate
 *   limit or outage gives the message back with a delay (`retry-after`, else a backoff that grows
 *   with each receipt); after the queue's receive limit it goes to the dead-letter queue, whose
 *   alarm pages. A body that cannot be read is logged and counted `failed`, not retried.
 *
 * Each annotated job writes one log line with its outcome, which is also the EMF record of the
 * `Annotations` metric by `Outcome`.
 */
import { GitHubApiError } from '../adapters/github/github-api-error.js';
import type { FailingJob } from '../domain/annotate/failing-jobs.js';
import { DIMENSION, METRIC } from '../domain/metric-names.js';
import type { NotifierLog } from '../notifier/log.js';
import {
  AnnotationBusyError,
  type AnnotationResult,
  COUNTED_OUTCOMES,
} from './annotate-failing-job.js';
import { isLogsEvent, readLogDelivery } from './read-log-events.js';
import { decodeWorkItem } from './work-item.js';

/** What the handler needs. */
export interface AnnotatorHandlerDeps {
  readonly annotate: (job: FailingJob) => Promise<AnnotationResult>;
  /** Puts failing jobs on the work queue. */
  readonly enqueue: (jobs: readonly FailingJob[]) => Promise<void>;
  /** Hides a received message for `delayMs` (it comes back then). */
  readonly defer: (receiptHandle: string, delayMs: number) => Promise<void>;
  readonly log: NotifierLog;
  readonly namespace: string;
  readonly now: () => number;
}

/** An SQS record, as far as it is read here. */
interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle?: string;
  readonly body: string;
  readonly eventSource: string;
  readonly attributes?: { readonly ApproximateReceiveCount?: string };
}

/** What one invocation did. */
export type AnnotatorSummary =
  | { readonly source: 'logs'; readonly enqueued: number; readonly skipped: number }
  | {
      readonly source: 'queue';
      readonly batchItemFailures: { readonly itemIdentifier: string }[];
    }
  | { readonly source: 'unknown' };

const COUNTED: ReadonlySet<string> = new Set(COUNTED_OUTCOMES);
/** The longest an SQS message can be hidden: 12 hours. */
const MAX_VISIBILITY_MS = 12 * 3_600_000;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isSqsEvent(event: unknown): event is { Records: SqsRecord[] } {
  return (
    isObject(event) &&
    Array.isArray(event.Records) &&
    event.Records.every(
      (r) => isObject(r) && r.eventSource === 'aws:sqs' && typeof r.body === 'string'
    )
  );
}

/**
 * The EMF fields that count one `Annotations` with its `Outcome` (merged into the result's log
 * line). {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html | EMF}
 */
export function annotationMetric(
  namespace: string,
  outcome: string,
  timestampMs: number
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [[DIMENSION.Outcome]],
          Metrics: [{ Name: METRIC.Annotations, Unit: 'Count' }],
        },
      ],
    },
    [DIMENSION.Outcome]: outcome,
    [METRIC.Annotations]: 1,
  };
}

/** Wait before the message comes back: GitHub's, else 30 s doubling per receipt, up to 15 min. */
export function retryDelayMs(error: unknown, receiveCount: number): number {
  const asked =
    error instanceof GitHubApiError || error instanceof AnnotationBusyError
      ? (error.retryAfterMs ?? 0)
      : 0;
  const backoff = Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, receiveCount - 1));
  return Math.min(MAX_VISIBILITY_MS, Math.max(asked, backoff));
}

function logResult(r: AnnotationResult, deps: AnnotatorHandlerDeps): void {
  const t = r.target;
  const fields = {
    key: r.key,
    outcome: r.outcome,
    reason: r.reason,
    repository: r.repository,
    attempts: r.attempts,
    headSha: t?.headSha ?? null,
    runId: t?.runId ?? null,
    runAttempt: t?.runAttempt ?? null,
    jobId: t?.jobId ?? null,
    checkRunUrl: r.checkRunUrl,
    comment: r.comment,
    ...(COUNTED.has(r.outcome) ? annotationMetric(deps.namespace, r.outcome, deps.now()) : {}),
  };
  if (r.outcome === 'failed') deps.log.error('oidcwatch.annotator.result', fields);
  else deps.log.info('oidcwatch.annotator.result', fields);
}

async function processQueue(
  records: readonly SqsRecord[],
  deps: AnnotatorHandlerDeps
): Promise<AnnotatorSummary> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of records) {
    const parked = parkedDelivery(record.body);
    if (parked !== null) {
      // An intake delivery that failed and was parked, now redriven: take it in again.
      try {
        await intake(parked, deps);
      } catch (e) {
        deps.log.error('oidcwatch.annotator.intake_failed', {
          messageId: record.messageId,
          error: e instanceof Error ? e.message : String(e),
        });
        failures.push({ itemIdentifier: record.messageId });
      }
      continue;
    }
    const item = decodeWorkItem(record.body);
    if (!item.ok) {
      deps.log.error('oidcwatch.annotator.result', {
        messageId: record.messageId,
        outcome: 'failed',
        reason: `unreadable work item: ${item.reason}`,
        ...annotationMetric(deps.namespace, 'failed', deps.now()),
      });
      continue;
    }
    try {
      logResult(await deps.annotate(item.job), deps);
    } catch (e) {
      const retryable =
        (e instanceof GitHubApiError && e.retryable) || e instanceof AnnotationBusyError;
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1) || 1;
      const delayMs = retryDelayMs(e, receiveCount);
      deps.log[retryable ? 'warn' : 'error']('oidcwatch.annotator.deferred', {
        key: item.job.key,
        repository: item.job.diagnosis.repository,
        receiveCount,
        delayMs,
        error: e instanceof Error ? e.message : String(e),
      });
      if (record.receiptHandle !== undefined) {
        try {
          await deps.defer(record.receiptHandle, delayMs);
        } catch (deferError) {
          deps.log.warn('oidcwatch.annotator.defer_failed', {
            key: item.job.key,
            error: deferError instanceof Error ? deferError.message : String(deferError),
          });
        }
      }
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { source: 'queue', batchItemFailures: failures };
}

/** The subscription delivery in a Lambda on-failure destination record, or `null`. */
function parkedDelivery(body: string): { awslogs: { data: string } } | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  return isObject(value) && isLogsEvent(value.requestPayload) ? value.requestPayload : null;
}

async function intake(
  event: { awslogs: { data: string } },
  deps: AnnotatorHandlerDeps
): Promise<AnnotatorSummary> {
  const delivery = readLogDelivery(event);
  for (const s of delivery.skipped) deps.log.warn('oidcwatch.annotator.skipped_line', s);
  if (delivery.jobs.length > 0) await deps.enqueue(delivery.jobs);
  deps.log.info('oidcwatch.annotator.intake', {
    failingJobs: delivery.jobs.length,
    skipped: delivery.skipped.length,
    control: delivery.control,
  });
  return { source: 'logs', enqueued: delivery.jobs.length, skipped: delivery.skipped.length };
}

/**
 * Handles one invocation.
 *
 * @example
 * ```ts
 * export const handler = (event: unknown) => handleAnnotatorEvent(event, deps);
 * ```
 */
export async function handleAnnotatorEvent(
  event: unknown,
  deps: AnnotatorHandlerDeps
): Promise<AnnotatorSummary> {
  if (isLogsEvent(event)) return intake(event, deps);
  if (isSqsEvent(event)) return processQueue(event.Records, deps);
  deps.log.warn('oidcwatch.annotator.ignored', {
    reason: 'neither a CloudWatch Logs nor an SQS event',
  });
  return { source: 'unknown' };
}
