/**
 * `oidcwatch backfill --since WHEN [--until WHEN] [--region R…] [--iam-snapshot FILE] [--json]
 * [--put-metrics [--namespace NS]]`: the failures of CloudTrail's event history, diagnosed and
 * printed as `classify` prints them; optionally published as the processor's metrics.
 *
 * Exit codes (README, "Conventions"): 0 done; 1 bad arguments; 2 AWS (CloudTrail, IAM or CloudWatch)
 * unreachable or not permitted; 130 interrupted with Ctrl-C — what was found is printed, but an
 * interrupted run is not done: scripts must be able to tell a partial history from a whole one,
 * and metrics are not published.
 */
import type { Clock } from '../../adapters/clock.js';
import { systemClock } from '../../adapters/clock.js';
import {
  type BackoffPolicy,
  type LookupEventsClient,
  LookupEventsSource,
} from '../../adapters/cloudtrail/lookup-events-source.js';
import {
  type CloudWatchMetricsClient,
  PutMetricDataSink,
} from '../../adapters/metrics/put-metric-data-sink.js';
import { IAM_EVENTS_REGION } from '../../domain/event-pattern.js';
import { collectChanges } from '../../usecases/backfill/collect-changes.js';
import { collectHistory } from '../../usecases/backfill/collect-history.js';
import { DEFAULT_CHANGE_WINDOW_MS } from '../../usecases/change-context.js';
import { cloudTrailClient, cloudWatchClient } from '../backfill/aws-clients.js';
import { BACKFILL_HELP, parseBackfillOptions } from '../backfill/options.js';
import { ProgressView, windowShareRead } from '../backfill/progress.js';
import { publishHistory } from '../backfill/publish-metrics.js';
import { reportError } from '../common/exit-code.js';
import { iamReaderFor } from '../common/iam-source.js';
import { ResultsPrinter } from '../common/results-printer.js';
import type { CliIo, Command } from '../io.js';
import { EXIT } from '../io.js';
import { formatTime } from '../report/format.js';

/** The exit code of a run stopped with Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = EXIT.INTERRUPTED;

type Env = Readonly<Record<string, string | undefined>>;

/** What `backfill` reaches the outside world through (tests replace any of it). */
export interface BackfillCommandDeps {
  readonly clock: Clock;
  /** Jitter source. */
  readonly random: () => number;
  /** Aborting it interrupts the run; when absent, the command listens for SIGINT itself. */
  readonly signal: AbortSignal | undefined;
  readonly cloudTrailClientFor: (region: string, env: Env) => LookupEventsClient;
  readonly cloudWatchClientFor: (region: string, env: Env) => CloudWatchMetricsClient;
  readonly backoff: BackoffPolicy | undefined;
}

const DEFAULT_DEPS: BackfillCommandDeps = {
  clock: systemClock,
  random: Math.random,
  signal: undefined,
  cloudTrailClientFor: cloudTrailClient,
  cloudWatchClientFor: cloudWatchClient,
  backoff: undefined,
};

/** The signal that interrupts the run: the given one, or one that the first SIGINT aborts. */
function interruption(
  given: AbortSignal | undefined,
  io: CliIo
): { signal: AbortSignal; release: () => void } {
  if (given !== undefined) return { signal: given, release: () => undefined };
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr.write('\noidcwatch backfill: stopping; Ctrl-C again quits at once\n');
    controller.abort(new Error('interrupted (SIGINT)'));
  };
  // `once`: a second Ctrl-C meets Node's default handler and ends the process.
  process.once('SIGINT', onSigint);
  return { signal: controller.signal, release: () => process.removeListener('SIGINT', onSigint) };
}

/**
 * Builds the `backfill` command with its dependencies.
 *
 * @example
 * ```ts
 * const code = await createBackfillCommand({ clock: virtualClock })(['--since', '7d'], io);
 * ```
 */
export function createBackfillCommand(overrides: Partial<BackfillCommandDeps> = {}): Command {
  const deps: BackfillCommandDeps = { ...DEFAULT_DEPS, ...overrides };
  return async (argv, io) => {
    try {
      const options = parseBackfillOptions(argv, io.now(), io.env);
      if (options === 'help') {
        io.stdout.write(BACKFILL_HELP);
        return EXIT.OK;
      }
      const { window } = options;
      if (window.clampedFrom !== null)
        io.stderr.write(
          `oidcwatch backfill: --since ${formatTime(window.clampedFrom.toISOString())} lies beyond the 90 days of CloudTrail's event history; reading from ${formatTime(window.start.toISOString())}\n`
        );
      const reader = await iamReaderFor(options.snapshot, io.env);
      const view = options.progress
        ? new ProgressView({ stream: io.stderr, clock: deps.clock, tty: io.stderr.isTTY === true })
        : null;
      const history = new LookupEventsSource({
        clientFor: (region) => deps.cloudTrailClientFor(region, io.env),
        clock: deps.clock,
        random: deps.random,
        ...(deps.backoff === undefined ? {} : { backoff: deps.backoff }),
        observer: { request: () => view?.request(), retry: () => view?.retry() },
      });
      const { signal, release } = interruption(deps.signal, io);
      const changes = options.changes
        ? await collectChanges(
            {
              start: window.start,
              end: window.end,
              now: io.now(),
              windowMs: DEFAULT_CHANGE_WINDOW_MS,
            },
            { history, signal }
          ).catch((e) => {
            release();
            throw e;
          })
        : null;
      if (changes !== null && options.progress)
        io.stderr.write(
          `oidcwatch backfill: ${changes.changes.length} IAM configuration change(s) read (${IAM_EVENTS_REGION})\n`
        );
      const outcome = await collectHistory(
        {
          regions: options.regions,
          start: window.start,
          end: window.end,
          eventNames: options.eventNames,
          includeSuccesses: options.all,
          owners: options.owners,
          keepTrace: options.trace,
          ...(changes === null ? {} : { changes: changes.context }),
        },
        { history, reader, signal, onProgress: (p) => view?.update(p) }
      ).finally(release);
      const ending =
        outcome.failure !== null ? 'failed' : outcome.interrupted ? 'interrupted' : 'done';
      const progress = {
        counts: outcome.counts,
        streams: outcome.streams,
        start: window.start,
        end: window.end,
      };
      view?.finish(progress, ending);

      if (outcome.failure === null || outcome.diagnoses.length > 0) {
        const printer = new ResultsPrinter(io, {
          json: options.json,
          trace: options.trace,
          summary: options.summary,
        });
        for (const d of outcome.diagnoses) printer.add(d);
        printer.finish();
      }
      if (outcome.failure !== null) return reportError(outcome.failure, io, 'backfill');
      if (outcome.interrupted) {
        io.stderr.write(
          `oidcwatch backfill: interrupted: the results cover ${Math.floor(windowShareRead(progress) * 100)}% of the window` +
            `${options.metrics === null ? '' : '; metrics were not published'}\n`
        );
        return EXIT_INTERRUPTED;
      }
      const accessProblem =
        'accessProblem' in reader ? (reader.accessProblem as string | null) : null;
      if (accessProblem !== null) {
        io.stderr.write(
          `oidcwatch backfill: AWS could not be read, results are classified without IAM: ${accessProblem}` +
            `${options.metrics === null ? '' : '; metrics were not published'}\n`
        );
        return EXIT.AWS;
      }
      if (options.metrics !== null) {
        const { namespace, region } = options.metrics;
        const sink = new PutMetricDataSink({
          client: deps.cloudWatchClientFor(region, io.env),
          namespace,
          region,
        });
        await publishHistory(outcome.diagnoses, sink, {
          now: deps.clock.now(),
          namespace,
          region,
          log: (line) => io.stderr.write(line),
        });
      }
      return EXIT.OK;
    } catch (e) {
      return reportError(e, io, 'backfill');
    }
  };
}

/** Runs `oidcwatch backfill`. */
export const run: Command = createBackfillCommand();
