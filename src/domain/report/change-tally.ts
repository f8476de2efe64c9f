/**
 * The report's view of change annotations: each configuration change with the failures it
 * explains (how many, which repositories, the first and last), so on-call sees "the trust policy
 * of deploy changed 4 min before the first failure, by …; 36 failures in 3 jobs since".
 */
import { eventTimeMs, FailingJobCounter, type FailingJobCounterOptions } from '../failing-job.js';
import { isoSeconds } from '../time-format.js';
import type { ChangeAnnotation, Diagnosis } from '../types.js';
import { BoundedMap, NameSample } from './bounded-counters.js';
import type { ChangeReport } from './report-types.js';

interface ChangeState {
  /** The annotation of the earliest failure seen so far. */
  first: ChangeAnnotation;
  firstMs: number;
  lastMs: number;
  failures: number;
  jobs: number;
  readonly repositories: NameSample;
}

/** The budget of a {@link ChangeTally}. */
export interface ChangeTallyOptions {
  /** Changes kept (those explaining the most failures). @default 500 */
  readonly limit?: number;
  /** Repository names listed per change. @default 100 */
  readonly names?: number;
  /** The budget of the failing-job counter. */
  readonly jobs?: FailingJobCounterOptions;
}

function keyOf(c: ChangeAnnotation): string {
  return c.eventId ?? `${c.at}|${c.kind}|${c.roleArn ?? c.providerArn ?? ''}`;
}

function iso(ms: number): string | null {
  return Number.isFinite(ms) ? isoSeconds(ms) : null;
}

/**
 * Tallies the failures of each change.
 *
 * @example
 * ```ts
 * const tally = new ChangeTally();
 * for (const d of diagnoses) tally.add(d, d.repository ?? '(unknown)');
 * tally.result()[0]?.failures;
 * ```
 */
export class ChangeTally {
  readonly #changes: BoundedMap<ChangeState>;
  readonly #jobs: FailingJobCounter;
  readonly #names: number;

  constructor(options: ChangeTallyOptions = {}) {
    this.#changes = new BoundedMap(options.limit ?? 500, (s) => s.failures);
    this.#jobs = new FailingJobCounter(options.jobs);
    this.#names = options.names ?? 100;
  }

  /** What the budget left out, in words. */
  notes(): string[] {
    return this.#changes.exact
      ? []
      : [
          `${this.#changes.droppedKeys} configuration changes explaining the fewest failures are not listed`,
        ];
  }

  /** Adds one failure (a result without a change annotation is skipped). */
  add(d: Diagnosis, repository: string): void {
    const c = d.change;
    if (c === undefined || c === null) return;
    const ms = eventTimeMs(d.eventTime) ?? Number.NaN;
    const key = keyOf(c);
    const s = this.#changes.getOrCreate(key, () => ({
      first: c,
      firstMs: ms,
      lastMs: ms,
      failures: 0,
      jobs: 0,
      repositories: new NameSample(this.#names),
    }));
    s.failures += 1;
    s.jobs = Math.max(0, s.jobs + this.#jobs.add(d, key));
    s.repositories.add(repository);
    if (ms < s.firstMs || Number.isNaN(s.firstMs)) {
      s.first = c;
      s.firstMs = ms;
    }
    if (ms > s.lastMs || Number.isNaN(s.lastMs)) s.lastMs = ms;
  }

  /** The changes, most recent first. */
  result(): ChangeReport[] {
    return [...this.#changes.values()]
      .map(
        (s): ChangeReport => ({
          kind: s.first.kind,
          eventName: s.first.eventName,
          eventId: s.first.eventId,
          at: s.first.at,
          by: s.first.by,
          roleArn: s.first.roleArn,
          providerArn: s.first.providerArn,
          verdict: s.first.verdict,
          summary: s.first.summary.replace(' before this failure ', ' before the first failure '),
          removed: s.first.removed,
          added: s.first.added,
          failures: s.failures,
          failingJobs: s.jobs,
          repositories: s.repositories.names(),
          firstFailure: iso(s.firstMs),
          lastFailure: iso(s.lastMs),
          minutesBeforeFirstFailure: s.first.minutesBefore,
        })
      )
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }
}
