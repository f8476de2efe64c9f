/**
 * `MetricHistory` and `batchDatums`: backfill publishes exactly what the processor's EMF would
 * have (same metric names, dimension sets and values), per minute as statistic sets; data points
 * older than CloudWatch's 14 days are skipped and counted; requests stay within PutMetricData's
 * limits.
 */
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/adapters/input/read-inputs.js';
import { EmfResultMetrics } from '../../../src/adapters/metrics/emf-result-metrics.js';
import {
  MAX_PAST_AGE_MS,
  MetricHistory,
  type MetricPoint,
} from '../../../src/adapters/metrics/metric-history.js';
import {
  batchDatums,
  PUT_METRIC_DATA_LIMITS,
  toDatum,
} from '../../../src/adapters/metrics/put-metric-data-sink.js';
import { loadSnapshot, SnapshotIamReader } from '../../../src/adapters/snapshot/iam-snapshot.js';
import type { Cause } from '../../../src/domain/causes.js';
import { FAILURE_DIMENSION_SETS } from '../../../src/domain/metric-names.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import { captureEmf } from '../../helpers/capture.js';
import { diagnosis } from '../../helpers/diagnosis-factory.js';

type EmfDoc = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
};

/** Every example record, diagnosed against the example snapshot. */
async function exampleDiagnoses(): Promise<Diagnosis[]> {
  const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
  const out: Diagnosis[] = [];
  for await (const item of readInputs(['examples/events'], { stdin: Readable.from([]) }))
    if (item.kind === 'record') out.push(await diagnoseRecord(item.value, reader));
  return out;
}

/** `metric|Name=value,…` → total and sample count. */
type Totals = Map<string, { sum: number; count: number }>;

function totalsOfEmf(docs: readonly EmfDoc[]): Totals {
  const totals: Totals = new Map();
  for (const doc of docs)
    for (const directive of doc._aws.CloudWatchMetrics)
      for (const set of directive.Dimensions)
        for (const { Name } of directive.Metrics) {
          const key = `${Name}|${set.map((d) => `${d}=${String(doc[d])}`).join(',')}`;
          const t = totals.get(key) ?? { sum: 0, count: 0 };
          t.sum += Number(doc[Name]);
          t.count += 1;
          totals.set(key, t);
        }
  return totals;
}

function totalsOfPoints(points: readonly MetricPoint[]): Totals {
  const totals: Totals = new Map();
  for (const p of points) {
    const key = `${p.metric}|${p.dimensions.map((d) => `${d.name}=${d.value}`).join(',')}`;
    const t = totals.get(key) ?? { sum: 0, count: 0 };
    t.sum += p.stats.sum;
    t.count += p.stats.sampleCount;
    totals.set(key, t);
  }
  return totals;
}

let emf: ReturnType<typeof captureEmf>;
beforeEach(() => {
  emf = captureEmf();
});
afterEach(() => emf.restore());

describe('MetricHistory: the processor metrics', () => {
  it('gives the same metric names, dimension sets and values as the processor EMF on the same results', async () => {
    // Prepare
    const results = (await exampleDiagnoses()).filter((d) => d.eventTime !== null);
    const stale = {
      ...(results.find((d) => d.cause === 'SUB_MISMATCH') as Diagnosis),
      stale: true,
    };
    const all = [...results, stale];
    const processor = new EmfResultMetrics({ namespace: 'OIDCWatch' });
    const history = new MetricHistory({ oldestAcceptedMs: 0 });

    // Act
    for (const d of all) {
      processor.record(d);
      history.add(d);
    }
    processor.flush();

    // Assess
    const fromEmf = totalsOfEmf(emf.docs as EmfDoc[]);
    const fromHistory = totalsOfPoints(history.points());
    expect(fromHistory).toEqual(fromEmf);
    const metrics = new Set([...fromHistory.keys()].map((k) => k.slice(0, k.indexOf('|'))));
    expect(metrics).toEqual(
      new Set(['AssumeRoleFailures', 'TrustPolicyFindings', 'EnrichmentErrors', 'MalformedEvents'])
    );
  });

  it('aggregates the results of one minute into statistic sets, one per dimension combination', () => {
    // Prepare
    const history = new MetricHistory({ oldestAcceptedMs: 0 });
    const at = (s: string, cause: Cause, region = 'us-east-1') =>
      diagnosis({ eventTime: `2026-11-27T14:03:${s}Z`, cause, region, findings: [] });

    // Act
    history.add(at('01', 'SUB_MISMATCH'));
    history.add(at('31', 'SUB_MISMATCH', 'eu-west-1'));
    history.add(at('59', 'AUDIENCE_MISMATCH'));
    history.add(
      diagnosis({ eventTime: '2026-11-27T14:04:00Z', cause: 'SUB_MISMATCH', findings: [] })
    );

    // Assess
    const minute = Date.parse('2026-11-27T14:03:00Z');
    const first = history.points().filter((p) => p.minuteMs === minute);
    const render = (p: MetricPoint) =>
      `${p.metric} ${p.dimensions.map((d) => `${d.name}=${d.value}`).join(',')} n=${p.stats.sampleCount} sum=${p.stats.sum}`;
    expect(first.map(render).sort()).toEqual([
      'AssumeRoleFailures  n=3 sum=3',
      'AssumeRoleFailures Account=111122223333,Region=eu-west-1 n=1 sum=1',
      'AssumeRoleFailures Account=111122223333,Region=us-east-1 n=2 sum=2',
      'AssumeRoleFailures Cause=AUDIENCE_MISMATCH n=1 sum=1',
      'AssumeRoleFailures Cause=SUB_MISMATCH n=2 sum=2',
    ]);
    expect(history.points()).toHaveLength(5 + FAILURE_DIMENSION_SETS.length);
    expect(history.points().at(-1)?.minuteMs).toBe(minute + 60_000);
  });

  it('skips results older than the oldest time accepted, and results without a time, and counts both', () => {
    // Prepare
    const now = Date.parse('2026-11-27T15:00:00Z');
    const history = new MetricHistory({ oldestAcceptedMs: now - MAX_PAST_AGE_MS });

    // Act
    const kept = history.add(
      diagnosis({ eventTime: '2026-11-20T10:00:00Z', cause: 'SUB_MISMATCH' })
    );
    const old1 = history.add(
      diagnosis({ eventTime: '2026-11-01T10:00:00Z', cause: 'SUB_MISMATCH' })
    );
    const old2 = history.add(
      diagnosis({ eventTime: '2026-11-13T14:58:59Z', cause: 'ROLE_NOT_FOUND' })
    );
    const untimed = history.add(diagnosis({ eventTime: null, cause: 'SUB_MISMATCH' }));
    const success = history.add(
      diagnosis({ eventTime: '2026-11-01T10:00:00Z', cause: 'SUCCESS', findings: [] })
    );

    // Assess
    expect([kept, old1, old2, untimed, success]).toEqual([true, false, false, false, true]);
    expect(history.skipped()).toEqual({
      tooOld: 2,
      untimed: 1,
      newestTooOldMs: Date.parse('2026-11-13T14:58:59Z'),
    });
    expect(new Set(history.points().map((p) => p.minuteMs))).toEqual(
      new Set([Date.parse('2026-11-20T10:00:00Z')])
    );
  });
});

describe('batchDatums: PutMetricData limits', () => {
  it('splits three days of minutes × causes × Regions into requests of at most 1,000 data points, in order', () => {
    // Prepare
    const causes: Cause[] = [
      'SUB_MISMATCH',
      'AUDIENCE_MISMATCH',
      'ROLE_NOT_FOUND',
      'WRONG_ACTION',
      'EXPIRED_TOKEN',
      'IDP_ERROR',
    ];
    const history = new MetricHistory({ oldestAcceptedMs: 0 });
    const start = Date.parse('2026-11-24T15:00:00Z');
    for (let m = 0; m < 3 * 1440; m++)
      for (const [i, cause] of causes.entries())
        history.add(
          diagnosis({
            eventTime: new Date(start + m * 60_000 + i * 1000).toISOString(),
            cause,
            region: i % 2 === 0 ? 'us-east-1' : 'eu-west-1',
            findings: [],
          })
        );
    const datums = history.points().map(toDatum);

    // Act
    const batches = batchDatums(datums, PUT_METRIC_DATA_LIMITS, 'OIDCWatch');

    // Assess
    expect(datums).toHaveLength(3 * 1440 * (1 + causes.length + 2));
    expect(batches).toHaveLength(Math.ceil(datums.length / 1000));
    expect(batches.every((b) => b.length <= 1000)).toBe(true);
    expect(
      batches.every(
        (b) =>
          Buffer.byteLength(JSON.stringify({ Namespace: 'OIDCWatch', MetricData: b })) < 1_000_000
      )
    ).toBe(true);
    expect(batches.flat()).toEqual(datums);
    expect(datums[0]).toEqual({
      MetricName: 'AssumeRoleFailures',
      Dimensions: [],
      Timestamp: new Date(start),
      Unit: 'Count',
      StorageResolution: 60,
      StatisticValues: { SampleCount: 6, Sum: 6, Minimum: 1, Maximum: 1 },
    });
  });

  it('starts a new request before the payload would pass the byte limit', () => {
    // Prepare
    const datum = (i: number) =>
      toDatum({
        metric: 'AssumeRoleFailures',
        dimensions: [{ name: 'Cause', value: `${'X'.repeat(200)}${i}` }],
        minuteMs: Date.parse('2026-11-27T14:00:00Z'),
        stats: { sampleCount: 1, sum: 1, minimum: 1, maximum: 1 },
      });
    const datums = Array.from({ length: 100 }, (_, i) => datum(i));
    const limits = { maxDatums: 1000, maxBytes: 5_000 };

    // Act
    const batches = batchDatums(datums, limits, 'OIDCWatch');

    // Assess
    expect(batches.length).toBeGreaterThan(5);
    for (const b of batches)
      expect(
        Buffer.byteLength(JSON.stringify({ Namespace: 'OIDCWatch', MetricData: b }))
      ).toBeLessThanOrEqual(5_000);
    expect(batches.flat()).toEqual(datums);
  });

  it('makes no request for no data', () => {
    // Prepare
    const datums: never[] = [];

    // Act
    const batches = batchDatums(datums);

    // Assess
    expect(batches).toEqual([]);
  });
});
