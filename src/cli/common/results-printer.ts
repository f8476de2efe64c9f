/**
 * Prints results the way `classify` does: text entries (a job's retries folded) or JSON Lines
 * (`--json`), then the per-repository summary in text mode. Commands that produce diagnoses
 * (`classify`, `backfill`) print through the same pieces, so their output is the same.
 */
import { ReportAccumulator } from '../../domain/report/aggregate.js';
import type { Report } from '../../domain/report/report-types.js';
import type { Diagnosis } from '../../domain/types.js';
import type { CliIo } from '../io.js';
import { diagnosisJson, formatDiagnosisText } from './diagnosis-text.js';
import { RetryCollapser } from './retry-collapser.js';
import { colorEnabled, styleFor } from './style.js';
import { renderClassifySummary } from './summary-text.js';

/** How results are printed. */
export interface ResultsPrinterOptions {
  /** JSON Lines instead of text. */
  readonly json: boolean;
  /** Include the trust-policy evaluation trace. */
  readonly trace: boolean;
  /** Print the per-repository summary after the text results. */
  readonly summary: boolean;
  /**
   * Text: hold entries to print them in event-time order (input that is read whole, such as
   * files); `false` prints them as they arrive (stdin), and says so.
   *
   * @default true
   */
  readonly ordered?: boolean;
}

/**
 * Prints results one by one, then the summary.
 *
 * @example
 * ```ts
 * const printer = new ResultsPrinter(io, { json: false, trace: false, summary: true });
 * for (const d of diagnoses) printer.add(d);
 * printer.finish();
 * ```
 */
export class ResultsPrinter {
  readonly #io: Pick<CliIo, 'stdout' | 'env'>;
  readonly #options: ResultsPrinterOptions;
  readonly #summary = new ReportAccumulator();
  readonly #text: RetryCollapser;
  readonly #style;

  constructor(io: Pick<CliIo, 'stdout' | 'env'>, options: ResultsPrinterOptions) {
    this.#io = io;
    this.#options = options;
    this.#style = styleFor(io.stdout, io.env);
    this.#text = new RetryCollapser({
      format: (d) => formatDiagnosisText(d, this.#style, options.trace),
      write: (s) => io.stdout.write(s),
      style: this.#style,
      ordered: options.ordered ?? true,
    });
  }

  /** Prints one result. */
  add(d: Diagnosis): void {
    this.#summary.add(d);
    if (this.#options.json) this.#io.stdout.write(`${diagnosisJson(d, this.#options.trace)}\n`);
    else if (this.#options.trace) this.#io.stdout.write(formatDiagnosisText(d, this.#style, true));
    else this.#text.add(d);
  }

  /** Ends the results: folded retries, a note on their order, then the summary (text mode). */
  finish(): Report {
    const folded = this.#text.flush();
    const note = this.#options.json || this.#options.trace ? null : this.#text.orderNote(folded);
    if (note !== null && folded.entries > 0) this.#io.stdout.write(`\n${this.#style.dim(note)}\n`);
    const report = this.#summary.result();
    if (!this.#options.json && this.#options.summary)
      this.#io.stdout.write(
        renderClassifySummary(report, colorEnabled(this.#io.stdout, this.#io.env))
      );
    return report;
  }
}
