/**
 * The unit of work on the annotator's queue: one failing job (its key, the diagnosis of its first
 * attempt, how many attempts and when), as an SQS message body. The intake writes it; the worker
 * reads it back, and a body that is not one is reported, never retried for ever.
 */
import type { FailingJob } from '../domain/annotate/failing-jobs.js';
import { readResultLine } from '../domain/annotate/result-line.js';

/** The body's format version. */
const VERSION = 1;

/** The SQS message body of a failing job. */
export function encodeWorkItem(job: FailingJob): string {
  return JSON.stringify({
    v: VERSION,
    key: job.key,
    attempts: job.attempts,
    firstCallMs: job.firstCallMs,
    lastCallMs: job.lastCallMs,
    diagnosis: { ...job.diagnosis, trace: null },
  });
}

/** A body read back, or why it is not one. */
export type WorkItemParse =
  | { readonly ok: true; readonly job: FailingJob }
  | { readonly ok: false; readonly reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an SQS message body written by {@link encodeWorkItem}. */
export function decodeWorkItem(body: string): WorkItemParse {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return { ok: false, reason: `the body is not JSON: ${(e as Error).message}` };
  }
  if (!isObject(value) || value.v !== VERSION)
    return { ok: false, reason: `the body is not a version-${VERSION} work item` };
  if (typeof value.key !== 'string' || value.key === '')
    return { ok: false, reason: 'the work item has no "key"' };
  const d = readResultLine(value.diagnosis);
  if (!d.ok) return { ok: false, reason: `the work item's diagnosis: ${d.reason}` };
  const ms = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const attempts = typeof value.attempts === 'number' && value.attempts >= 1 ? value.attempts : 1;
  return {
    ok: true,
    job: {
      key: value.key,
      diagnosis: d.diagnosis,
      attempts,
      firstCallMs: ms(value.firstCallMs),
      lastCallMs: ms(value.lastCallMs),
    },
  };
}
