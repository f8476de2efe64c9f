/**
 * Folds the retries of each failing job into one entry of the text output, and prints entries in
 * event-time order where the input allows it. `configure-aws-credentials` retries a denied call up
 * to 12 times and jobs interleave (A, B, A, A), so a job's retries are folded wherever they fall,
 * as long as each comes within the failing-job window of the job's previous attempt.
 *
 * Memory is bounded by configuration, never by the input: at most `capacity` entries are held.
 * - ordered (files, read whole): entries are held, and printed sorted by the time of their first
 *   attempt when the input ends; results without a readable time follow. When more than
 *   `capacity` entries wait, the earliest half is printed early: a record arriving later with an
 *   earlier time is then out of order, and the note at the end says so.
 * - streaming (stdin): entries are printed as they arrive; a job's folded retries are reported in
 *   one line when the job ends (event time has moved a window past its last attempt). The note
 *   at the end says the output is in input order.
 */
import { eventTimeMs, FAILING_JOB_WINDOW_MS, isFailureCause } from '../../domain/failing-job.js';
import type { Diagnosis } from '../../domain/types.js';
import { formatTime } from '../report/format.js';
import type { Style } from './style.js';

/** How many entries are held at most by default. */
export const DEFAULT_ENTRY_CAPACITY = 10_000;

/** Options of {@link RetryCollapser}. */
export interface RetryCollapserOptions {
  /** Formats one entry (the first attempt of a job, or any other result). */
  readonly format: (d: Diagnosis) => string;
  readonly write: (s: string) => void;
  readonly style: Style;
  /** Hold entries and print them by event time (files); `false` prints as read (stdin). */
  readonly ordered: boolean;
  /** @default FAILING_JOB_WINDOW_MS (5 minutes) */
  readonly windowMs?: number;
  /** @default DEFAULT_ENTRY_CAPACITY */
  readonly capacity?: number;
}

/** What was printed, and how far its order is by event time. */
export interface FoldSummary {
  readonly entries: number;
  readonly retriesFolded: number;
  /** Entries printed after a later one (they arrived after the buffer had been flushed past them). */
  readonly late: number;
  /** Entries printed early because more than `capacity` were waiting. */
  readonly overflowed: number;
  /** Results without a readable time. */
  readonly untimed: number;
}

interface Entry {
  /** The formatted first attempt. */
  readonly text: string;
  readonly key: string | null;
  readonly firstMs: number | null;
  lastMs: number | null;
  lastTime: string | null;
  retries: number;
  readonly seq: number;
  /** For the streaming retries line. */
  readonly label: string;
}

/** The fields that make two failures retries of one job (besides their times). */
function jobKey(d: Diagnosis): string | null {
  if (!isFailureCause(d.cause)) return null;
  return JSON.stringify([d.account, d.roleArn, d.sub, d.cause, d.detail, d.errorCode]);
}

/** Earlier first attempt first; untimed last; input order among equals. */
function byTime(a: Entry, b: Entry): number {
  const ta = a.firstMs ?? Number.POSITIVE_INFINITY;
  const tb = b.firstMs ?? Number.POSITIVE_INFINITY;
  return ta - tb || a.seq - b.seq;
}

/**
 * Streams text results, folding each job's retries and ordering by time where it can.
 *
 * @example
 * ```ts
 * const folder = new RetryCollapser({ format, write, style, ordered: true });
 * for (const d of diagnoses) folder.add(d);
 * const summary = folder.flush();
 * const note = folder.orderNote(summary); // null when the output is simply in time order
 * ```
 */
export class RetryCollapser {
  readonly #o: RetryCollapserOptions;
  readonly #windowMs: number;
  readonly #capacity: number;
  /** The latest entry of each job key (failures with a time). */
  readonly #open = new Map<string, Entry>();
  /** Ordered mode: entries not printed yet. */
  #held: Entry[] = [];
  #seq = 0;
  #watermark = Number.NEGATIVE_INFINITY;
  /** Ordered mode: the first-attempt time of the last entry printed early. */
  #printedUpTo = Number.NEGATIVE_INFINITY;
  #stats = { entries: 0, retriesFolded: 0, late: 0, overflowed: 0, untimed: 0 };

  constructor(options: RetryCollapserOptions) {
    this.#o = options;
    this.#windowMs = options.windowMs ?? FAILING_JOB_WINDOW_MS;
    this.#capacity = Math.max(2, options.capacity ?? DEFAULT_ENTRY_CAPACITY);
  }

  /** Adds one result. */
  add(d: Diagnosis): void {
    const ms = eventTimeMs(d.eventTime);
    const key = ms === null ? null : jobKey(d);
    const open = key === null ? undefined : this.#open.get(key);
    if (
      ms !== null &&
      open !== undefined &&
      open.lastMs !== null &&
      Math.abs(ms - open.lastMs) <= this.#windowMs
    ) {
      open.retries++;
      this.#stats.retriesFolded++;
      if (ms >= open.lastMs) {
        open.lastMs = ms;
        open.lastTime = d.eventTime;
      }
      this.#advance(ms);
      return;
    }
    const entry: Entry = {
      text: this.#o.format(d),
      key,
      firstMs: ms,
      lastMs: ms,
      lastTime: d.eventTime,
      retries: 0,
      seq: this.#seq++,
      label: `${d.repository ?? d.sub ?? 'the job'} (${d.cause}${d.detail ? `/${d.detail}` : ''}, ${formatTime(d.eventTime)})`,
    };
    if (ms === null) this.#stats.untimed++;
    // Jobs this record shows to be over are reported before it.
    if (ms !== null) this.#advance(ms);
    if (this.#o.ordered) {
      if (key !== null) this.#open.set(key, entry);
      this.#held.push(entry);
      if (this.#held.length > this.#capacity) this.#printEarliestHalf();
    } else {
      if (key !== null) {
        if (open !== undefined) this.#close(open);
        this.#open.set(key, entry);
        if (this.#open.size > this.#capacity) {
          const oldest = this.#open.values().next().value as Entry;
          this.#stats.overflowed++;
          this.#close(oldest);
        }
      }
      this.#stats.entries++;
      this.#o.write(entry.text);
    }
  }

  /** Prints everything still held (ordered) or the retries of open jobs (streaming). */
  flush(): FoldSummary {
    if (this.#o.ordered) {
      const rest = this.#held.sort(byTime);
      this.#held = [];
      for (const e of rest) this.#print(e);
      this.#open.clear();
    } else for (const e of [...this.#open.values()]) this.#close(e);
    return { ...this.#stats };
  }

  /**
   * One line on the order of the output when it is not simply by event time (stdin read as it
   * came, late records, a full buffer, results without a time); `null` otherwise.
   */
  orderNote(summary: FoldSummary): string | null {
    const notes: string[] = [];
    if (!this.#o.ordered)
      notes.push(
        'read from stdin, results are printed as they arrive (input order, not sorted by time)'
      );
    if (summary.overflowed > 0)
      notes.push(
        `more than ${this.#capacity.toLocaleString('en-US')} results were waiting, so ${summary.overflowed} were printed early and retries arriving after them are not folded into them`
      );
    if (summary.late > 0)
      notes.push(
        `${summary.late} ${summary.late === 1 ? 'result is' : 'results are'} out of time order (${summary.late === 1 ? 'it' : 'they'} arrived after later ones had been printed)`
      );
    if (summary.untimed > 0 && this.#o.ordered)
      notes.push(
        `${summary.untimed} without a readable time ${summary.untimed === 1 ? 'comes' : 'come'} last`
      );
    return notes.length === 0 ? null : `Order: ${notes.join('; ')}.`;
  }

  /** Streaming: ends the jobs no retry can still join. */
  #advance(ms: number): void {
    if (ms <= this.#watermark) return;
    this.#watermark = ms;
    if (this.#o.ordered) return;
    for (const e of [...this.#open.values()])
      if (e.lastMs !== null && e.lastMs < ms - this.#windowMs) this.#close(e);
  }

  /** Ordered: more than `capacity` wait; the earliest half is printed now. */
  #printEarliestHalf(): void {
    this.#held.sort(byTime);
    const early = this.#held.splice(0, Math.ceil(this.#held.length / 2));
    for (const e of early) {
      this.#stats.overflowed++;
      if (e.key !== null && this.#open.get(e.key) === e) this.#open.delete(e.key);
      this.#print(e);
      if (e.firstMs !== null) this.#printedUpTo = Math.max(this.#printedUpTo, e.firstMs);
    }
  }

  /** Ordered: the entry, then its retries line. */
  #print(e: Entry): void {
    if (e.firstMs !== null && e.firstMs < this.#printedUpTo) this.#stats.late++;
    this.#stats.entries++;
    this.#o.write(e.text);
    if (e.retries > 0)
      this.#o.write(
        `    ${this.#o.style.dim(`… and ${e.retries} more with the same role, sub and cause until ${formatTime(e.lastTime)} (retries)`)}\n`
      );
  }

  /** Streaming: ends a job, reporting its folded retries (its entry was printed when it began). */
  #close(e: Entry): void {
    if (e.key !== null && this.#open.get(e.key) === e) this.#open.delete(e.key);
    if (this.#o.ordered || e.retries === 0) return;
    const n = e.retries;
    this.#o.write(
      `    ${this.#o.style.dim(`… ${n} more ${n === 1 ? 'retry' : 'retries'} of ${e.label} folded, the last at ${formatTime(e.lastTime)}`)}\n`
    );
  }
}
