/**
 * Publishes aggregated history with CloudWatch `PutMetricData` (CLI `backfill --put-metrics`
 * only; the processor writes EMF and never calls it). Requests stay within the API's limits: at
 * most 1,000 data points and 1 MB each; each point is one statistic set, so the limit of 150
 * values per metric never applies. Before publishing, it asks which minutes of each metric already
 * hold data (the processor's or an earlier backfill's): `PutMetricData` adds, so publishing them
 * again would count them twice.
 *
 * {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html | PutMetricData}
 */
import {
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  type MetricDatum,
  PutMetricDataCommand,
  type PutMetricDataCommandOutput,
  StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import type { MetricName } from '../../domain/metric-names.js';
import { awsError } from '../aws-error.js';
import { type MetricPoint, MINUTE_MS } from './metric-history.js';

/** PutMetricData's limits per request. */
export interface PutLimits {
  /** Data points per request. @default 1000 */
  readonly maxDatums: number;
  /** Estimated payload bytes per request (the API allows 1 MB; this keeps a margin). @default 900000 */
  readonly maxBytes: number;
}

/** Default limits. */
export const PUT_METRIC_DATA_LIMITS: PutLimits = { maxDatums: 1000, maxBytes: 900_000 };

/** GetMetricData returns at most this many data points per call. */
const MAX_POINTS_PER_READ = 100_800;

/** What the sink needs of a CloudWatch client (a `CloudWatchClient` fits). */
export interface CloudWatchMetricsClient {
  send(command: PutMetricDataCommand): Promise<PutMetricDataCommandOutput>;
  send(command: GetMetricDataCommand): Promise<GetMetricDataCommandOutput>;
}

/** The datum of a point. */
export function toDatum(p: MetricPoint): MetricDatum {
  return {
    MetricName: p.metric,
    Dimensions: p.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
    Timestamp: new Date(p.minuteMs),
    Unit: StandardUnit.Count,
    StorageResolution: 60,
    StatisticValues: {
      SampleCount: p.stats.sampleCount,
      Sum: p.stats.sum,
      Minimum: p.stats.minimum,
      Maximum: p.stats.maximum,
    },
  };
}

/** A generous estimate of a datum's share of the request body (JSON, dates as ISO strings). */
function estimatedBytes(d: MetricDatum): number {
  return Buffer.byteLength(JSON.stringify(d)) + 16;
}

/**
 * Splits data points into requests within `limits`, in order.
 *
 * @example
 * ```ts
 * batchDatums(points.map(toDatum)).length; // requests needed
 * ```
 */
export function batchDatums(
  datums: readonly MetricDatum[],
  limits: PutLimits = PUT_METRIC_DATA_LIMITS,
  namespace = ''
): MetricDatum[][] {
  const overhead = 64 + Buffer.byteLength(namespace);
  const batches: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let bytes = overhead;
  for (const d of datums) {
    const size = estimatedBytes(d);
    if (
      current.length > 0 &&
      (current.length >= limits.maxDatums || bytes + size > limits.maxBytes)
    ) {
      batches.push(current);
      current = [];
      bytes = overhead;
    }
    current.push(d);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Options of `PutMetricDataSink`. */
export interface PutMetricDataSinkOptions {
  readonly client: CloudWatchMetricsClient;
  readonly namespace: string;
  /** For messages. */
  readonly region: string;
  readonly limits?: PutLimits;
}

/** What a publication did. */
export interface PutSummary {
  readonly requests: number;
  readonly datums: number;
}

/**
 * `PutMetricData` for aggregated history.
 *
 * @example
 * ```ts
 * const sink = new PutMetricDataSink({ client: new CloudWatchClient({ region }), namespace: 'OIDCWatch', region });
 * const existing = await sink.minutesWithData(['AssumeRoleFailures'], start, end);
 * await sink.put(points.filter((p) => !existing.get(p.metric)?.has(p.minuteMs)));
 * ```
 */
export class PutMetricDataSink {
  readonly #options: PutMetricDataSinkOptions;

  constructor(options: PutMetricDataSinkOptions) {
    this.#options = options;
  }

  /**
   * The minutes within `[startMs, endMs)` at which each metric (its dimensionless series, which
   * the processor always publishes) already has data.
   */
  async minutesWithData(
    metrics: readonly MetricName[],
    startMs: number,
    endMs: number
  ): Promise<Map<MetricName, Set<number>>> {
    const found = new Map<MetricName, Set<number>>(metrics.map((m) => [m, new Set<number>()]));
    if (metrics.length === 0 || endMs <= startMs) return found;
    const start = Math.floor(startMs / MINUTE_MS) * MINUTE_MS;
    const end = Math.ceil(endMs / MINUTE_MS) * MINUTE_MS;
    // Keep each call under GetMetricData's data point limit.
    const perCall = Math.max(1, Math.floor(MAX_POINTS_PER_READ / ((end - start) / MINUTE_MS)));
    for (let i = 0; i < metrics.length; i += perCall) {
      const group = metrics.slice(i, i + perCall);
      let nextToken: string | undefined;
      do {
        let out: GetMetricDataCommandOutput;
        try {
          out = await this.#options.client.send(
            new GetMetricDataCommand({
              StartTime: new Date(start),
              EndTime: new Date(end),
              ScanBy: 'TimestampAscending',
              MetricDataQueries: group.map((metric, j) => ({
                Id: `m${j}`,
                MetricStat: {
                  Metric: {
                    Namespace: this.#options.namespace,
                    MetricName: metric,
                    Dimensions: [],
                  },
                  Period: 60,
                  Stat: 'SampleCount',
                },
              })),
              ...(nextToken === undefined ? {} : { NextToken: nextToken }),
            })
          );
        } catch (e) {
          throw awsError(e, `CloudWatch GetMetricData in ${this.#options.region}`);
        }
        for (const r of out.MetricDataResults ?? []) {
          const metric = group[Number(r.Id?.slice(1))];
          const minutes = metric === undefined ? undefined : found.get(metric);
          if (minutes === undefined) continue;
          (r.Timestamps ?? []).forEach((t, k) => {
            if ((r.Values?.[k] ?? 0) > 0)
              minutes.add(Math.floor(t.getTime() / MINUTE_MS) * MINUTE_MS);
          });
        }
        nextToken = out.NextToken === '' ? undefined : out.NextToken;
      } while (nextToken !== undefined);
    }
    return found;
  }

  /** Publishes `points`, one request per batch, in time order. */
  async put(points: readonly MetricPoint[]): Promise<PutSummary> {
    const batches = batchDatums(points.map(toDatum), this.#options.limits, this.#options.namespace);
    let datums = 0;
    for (const [i, batch] of batches.entries()) {
      try {
        await this.#options.client.send(
          new PutMetricDataCommand({ Namespace: this.#options.namespace, MetricData: batch })
        );
      } catch (e) {
        const done =
          i === 0
            ? ''
            : ` (${datums} data points in ${i} of ${batches.length} requests were published)`;
        throw awsError(e, `CloudWatch PutMetricData in ${this.#options.region}${done}`);
      }
      datums += batch.length;
    }
    return { requests: batches.length, datums };
  }
}
