/**
 * Folds the retries of one failing job into one entry of the text output.
 * `configure-aws-credentials` retries a denied call up to 12 times; printing twelve identical
 * diagnoses hides the other failures, so repeats of the same role, sub and cause within the
 * failing-job window are counted under the first.
 */
import type { Diagnosis } from '../../domain/types.js';
import { formatTime } from '../report/format.js';
import type { Style } from './style.js';

/** The window within which identical failures count as retries of one job (ms). */
const RETRY_WINDOW_MS = 5 * 60_000;

function sameJob(a: Diagnosis, b: Diagnosis): boolean {
  if (a.cause === 'SUCCESS' || a.cause === 'IGNORED' || a.cause === 'MALFORMED_EVENT') return false;
  if (
    a.roleArn !== b.roleArn ||
    a.sub !== b.sub ||
    a.cause !== b.cause ||
    a.detail !== b.detail ||
    a.account !== b.account ||
    a.errorCode !== b.errorCode
  )
    return false;
  const ta = Date.parse(a.eventTime ?? '');
  const tb = Date.parse(b.eventTime ?? '');
  return Number.isFinite(ta) && Number.isFinite(tb) && Math.abs(tb - ta) <= RETRY_WINDOW_MS;
}

/** Streams text results, folding consecutive retries of one job. */
export class RetryCollapser {
  #first: Diagnosis | null = null;
  #last: Diagnosis | null = null;
  #repeats = 0;
  readonly #format: (d: Diagnosis) => string;
  readonly #write: (s: string) => void;
  readonly #style: Style;

  constructor(format: (d: Diagnosis) => string, write: (s: string) => void, style: Style) {
    this.#format = format;
    this.#write = write;
    this.#style = style;
  }

  /** Adds one result; prints the previous entry when this one starts a new one. */
  add(d: Diagnosis): void {
    if (this.#first !== null && this.#last !== null && sameJob(this.#last, d)) {
      this.#repeats++;
      this.#last = d;
      return;
    }
    this.flush();
    this.#first = d;
    this.#last = d;
    this.#write(this.#format(d));
  }

  /** Prints the count of folded retries, if any. */
  flush(): void {
    if (this.#repeats > 0 && this.#first !== null && this.#last !== null)
      this.#write(
        `    ${this.#style.dim(`… and ${this.#repeats} more with the same role, sub and cause until ${formatTime(this.#last.eventTime)} (retries)`)}\n`
      );
    this.#repeats = 0;
    this.#first = null;
    this.#last = null;
  }
}
