/**
 * `backfill --put-metrics`: results → per-minute data points → minutes that already hold data
 * left out → `PutMetricData`, with a line on stderr for everything left out.
 */
import {
  MAX_PAST_AGE_MS,
  MetricHistory,
  MINUTE_MS,
} from '../../adapters/metrics/metric-history.js';
import type { PutMetricDataSink } from '../../adapters/metrics/put-metric-data-sink.js';
import type { MetricName } from '../../domain/metric-names.js';
import type { Diagnosis } from '../../domain/types.js';
import { countOf, formatTime } from '../report/format.js';

/** Data points this close to the 14-day limit are left out too: the request takes time. */
const SAFETY_MARGIN_MS = 5 * MINUTE_MS;

/** What `publishHistory` did. */
export interface PublishReport {
  readonly published: number;
  readonly requests: number;
  /** Results older than CloudWatch accepts. */
  readonly tooOld: number;
  /** Results without a readable time. */
  readonly untimed: number;
  /** Data points left out because their minute already held data. */
  readonly alreadyThere: number;
}

function minute(ms: number): string {
  return formatTime(new Date(ms).toISOString()).replace(/:00Z$/, 'Z');
}

/**
 * Publishes the metrics of `diagnoses` to `sink`, writing what it did to `log`.
 *
 * @example
 * ```ts
 * await publishHistory(outcome.diagnoses, sink, { now: Date.now(), namespace: 'OIDCWatch', region, log });
 * ```
 */
export async function publishHistory(
  diagnoses: readonly Diagnosis[],
  sink: Pick<PutMetricDataSink, 'minutesWithData' | 'put'>,
  context: {
    readonly now: number;
    readonly namespace: string;
    readonly region: string;
    readonly log: (line: string) => void;
  }
): Promise<PublishReport> {
  const oldestAcceptedMs = context.now - MAX_PAST_AGE_MS + SAFETY_MARGIN_MS;
  const history = new MetricHistory({ oldestAcceptedMs });
  // The processor's rules match failed calls only: successes (--all) have no live counterpart.
  const seen = diagnoses.filter((d) => d.cause !== 'SUCCESS');
  for (const d of seen) history.add(d);
  const points = history.points();
  const skipped = history.skipped();
  const say = (s: string) => context.log(`oidcwatch backfill --put-metrics: ${s}\n`);
  const successes = diagnoses.length - seen.length;
  if (successes > 0)
    say(`${countOf(successes, 'successful call')} not published: the processor only sees failures`);
  if (skipped.tooOld > 0)
    say(
      `${countOf(skipped.tooOld, 'result')} from before ${minute(Math.ceil(oldestAcceptedMs / MINUTE_MS) * MINUTE_MS)} (newest ${formatTime(new Date(skipped.newestTooOldMs as number).toISOString())}) ` +
        'not published: CloudWatch accepts data points at most 14 days old'
    );
  if (skipped.untimed > 0)
    say(`${countOf(skipped.untimed, 'result')} without a readable eventTime not published`);
  let fresh = points;
  let alreadyThere = 0;
  if (points.length > 0) {
    const metrics = [...new Set(points.map((p) => p.metric))] as MetricName[];
    const first = (points[0] as (typeof points)[number]).minuteMs;
    const last = (points[points.length - 1] as (typeof points)[number]).minuteMs;
    const existing = await sink.minutesWithData(metrics, first, last + MINUTE_MS);
    const taken = points.filter((p) => existing.get(p.metric)?.has(p.minuteMs) === true);
    fresh = points.filter((p) => existing.get(p.metric)?.has(p.minuteMs) !== true);
    alreadyThere = taken.length;
    if (alreadyThere > 0) {
      const minutes = new Set(taken.map((p) => p.minuteMs)).size;
      say(
        `${countOf(alreadyThere, 'data point')} in ${countOf(minutes, 'minute')} not published: ` +
          `those minutes already hold data in ${context.namespace} (from the processor or an earlier backfill)`
      );
    }
  }
  const { requests, datums } = await sink.put(fresh);
  if (datums === 0) say(`nothing to publish to ${context.namespace} in ${context.region}`);
  else
    say(
      `published ${countOf(datums, 'data point')} (${[...new Set(fresh.map((p) => p.metric))].join(', ')}) ` +
        `in ${countOf(requests, 'request')} to ${context.namespace} in ${context.region}, ` +
        `${minute((fresh[0] as (typeof fresh)[number]).minuteMs)} to ${minute((fresh[fresh.length - 1] as (typeof fresh)[number]).minuteMs)}`
    );
  return {
    published: datums,
    requests,
    tooOld: skipped.tooOld,
    untimed: skipped.untimed,
    alreadyThere,
  };
}
