/**
 * The annotator's intake: a CloudWatch Logs subscription delivers the processor's failure result
 * lines (gzipped, base64, in `awslogs.data`); the lines of one failing job (same `failingJobKey`)
 * become one failing job, whatever the number of retries.
 * {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#LambdaFunctionExample | Subscription payload}
 */
import { gunzipSync } from 'node:zlib';
import type { FailingJob } from '../domain/annotate/failing-jobs.js';
import { readResultLine } from '../domain/annotate/result-line.js';
import { eventTimeMs, isFailureCause } from '../domain/failing-job.js';

/** What one delivery held. */
export interface LogDelivery {
  readonly jobs: FailingJob[];
  /** Lines that were not failure results, with why (logged, not retried). */
  readonly skipped: { readonly id: string | null; readonly reason: string }[];
  /** `CONTROL_MESSAGE` deliveries (CloudWatch Logs checking the destination) hold nothing. */
  readonly control: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `true` for a CloudWatch Logs subscription event. */
export function isLogsEvent(event: unknown): event is { awslogs: { data: string } } {
  return isObject(event) && isObject(event.awslogs) && typeof event.awslogs.data === 'string';
}

/**
 * The failing jobs of one subscription delivery.
 *
 * @throws Error when `data` is not gzipped JSON (the delivery is then retried, then parked)
 */
export function readLogDelivery(event: { awslogs: { data: string } }): LogDelivery {
  const payload = JSON.parse(
    gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8')
  );
  if (!isObject(payload)) throw new Error('awslogs.data is not a JSON object');
  if (payload.messageType === 'CONTROL_MESSAGE') return { jobs: [], skipped: [], control: true };
  const events = Array.isArray(payload.logEvents) ? payload.logEvents : [];
  const byKey = new Map<string, FailingJob>();
  const skipped: LogDelivery['skipped'] = [];
  for (const e of events) {
    const id = isObject(e) && typeof e.id === 'string' ? e.id : null;
    const message = isObject(e) && typeof e.message === 'string' ? e.message : null;
    if (message === null) {
      skipped.push({ id, reason: 'the log event has no message' });
      continue;
    }
    const start = message.indexOf('{');
    let value: unknown;
    try {
      value = JSON.parse(start < 0 ? message : message.slice(start));
    } catch {
      skipped.push({ id, reason: 'the log line is not JSON' });
      continue;
    }
    const line = readResultLine(value);
    if (!line.ok) {
      skipped.push({ id, reason: line.reason });
      continue;
    }
    const d = line.diagnosis;
    if (!isFailureCause(d.cause) || line.failingJobKey === null) {
      skipped.push({ id, reason: `${d.cause} carries no failing job` });
      continue;
    }
    const ms = eventTimeMs(d.eventTime);
    const known = byKey.get(line.failingJobKey);
    if (known === undefined) {
      byKey.set(line.failingJobKey, {
        key: line.failingJobKey,
        diagnosis: d,
        attempts: 1,
        firstCallMs: ms,
        lastCallMs: ms,
      });
      continue;
    }
    const earlier = ms !== null && known.firstCallMs !== null && ms < known.firstCallMs;
    byKey.set(line.failingJobKey, {
      key: known.key,
      diagnosis: earlier ? d : known.diagnosis,
      attempts: known.attempts + 1,
      firstCallMs: earlier ? ms : known.firstCallMs,
      lastCallMs:
        ms !== null && (known.lastCallMs === null || ms > known.lastCallMs) ? ms : known.lastCallMs,
    });
  }
  return { jobs: [...byKey.values()], skipped, control: false };
}
