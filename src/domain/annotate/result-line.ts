/**
 * The annotator's input: a `classify --json` line, or the processor's result log line (the same
 * fields plus `failingJobKey`, `outcome`, `level`, `time`, `msg`), read with the report's
 * diagnosis reader (which keeps the `remedy` the check run shows).
 */
import { toDiagnosis } from '../report/parse-diagnosis.js';
import type { Diagnosis } from '../types.js';

/** A line read, or why not. */
export type ResultLineParse =
  | {
      readonly ok: true;
      readonly diagnosis: Diagnosis;
      /** The processor's key of the failing job, when the line carries one. */
      readonly failingJobKey: string | null;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Reads one parsed JSON value as an annotator input.
 *
 * @example
 * ```ts
 * const r = readResultLine(JSON.parse(logLine));
 * if (r.ok) r.failingJobKey; // '111122223333|arn:aws:iam::…|repo:…|2026-11-27T14:05:00.000Z'
 * ```
 */
export function readResultLine(value: unknown): ResultLineParse {
  const parsed = toDiagnosis(value);
  if (!parsed.ok) return parsed;
  const key = (value as Record<string, unknown>).failingJobKey;
  return {
    ok: true,
    diagnosis: parsed.diagnosis,
    failingJobKey: typeof key === 'string' ? key : null,
  };
}
