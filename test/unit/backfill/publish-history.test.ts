/**
 * `publishHistory`, the `--put-metrics` step, against a stub sink: what it leaves out (data older
 * than 14 days, minutes that already hold data, successes the processor never sees) and the lines
 * it writes about each.
 */
import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../src/adapters/metrics/metric-history.js';
import { publishHistory } from '../../../src/cli/backfill/publish-metrics.js';
import type { MetricName } from '../../../src/domain/metric-names.js';
import { diagnosis } from '../../helpers/diagnosis-factory.js';

const NOW = Date.parse('2026-11-27T15:00:00Z');

function stubSink(existing: Partial<Record<MetricName, number[]>> = {}) {
  const put: MetricPoint[][] = [];
  const asked: { metrics: readonly MetricName[]; startMs: number; endMs: number }[] = [];
  return {
    put,
    asked,
    sink: {
      minutesWithData: async (metrics: readonly MetricName[], startMs: number, endMs: number) => {
        asked.push({ metrics, startMs, endMs });
        return new Map(metrics.map((m) => [m, new Set(existing[m] ?? [])]));
      },
      put: async (points: readonly MetricPoint[]) => {
        put.push([...points]);
        return { requests: points.length === 0 ? 0 : 1, datums: points.length };
      },
    },
  };
}

describe('publishHistory', () => {
  it('publishes recent failures, and says what it left out: too old, successes, minutes already there', async () => {
    // Prepare
    const taken = Date.parse('2026-11-27T10:01:00Z');
    const { sink, put, asked } = stubSink({ AssumeRoleFailures: [taken] });
    const lines: string[] = [];
    const results = [
      diagnosis({ eventTime: '2026-11-01T10:00:00Z' }),
      diagnosis({ eventTime: '2026-11-13T14:00:00Z' }),
      diagnosis({ eventTime: '2026-11-27T10:00:10Z' }),
      diagnosis({ eventTime: '2026-11-27T10:01:10Z' }),
      diagnosis({ eventTime: '2026-11-27T10:02:10Z', cause: 'SUCCESS', detail: null }),
    ];

    // Act
    const report = await publishHistory(results, sink, {
      now: NOW,
      namespace: 'OIDCWatch',
      region: 'eu-west-1',
      log: (l) => lines.push(l),
    });

    // Assess
    expect(report).toEqual({ published: 3, requests: 1, tooOld: 2, untimed: 0, alreadyThere: 3 });
    expect(asked).toEqual([
      {
        metrics: ['AssumeRoleFailures'],
        startMs: Date.parse('2026-11-27T10:00:00Z'),
        endMs: Date.parse('2026-11-27T10:02:00Z'),
      },
    ]);
    expect(new Set(put[0]?.map((p) => p.minuteMs))).toEqual(
      new Set([Date.parse('2026-11-27T10:00:00Z')])
    );
    expect(lines).toEqual([
      'oidcwatch backfill --put-metrics: 1 successful call not published: the processor only sees failures\n',
      'oidcwatch backfill --put-metrics: 2 results from before 2026-11-13 15:05Z (newest 2026-11-13 14:00:00Z) not published: CloudWatch accepts data points at most 14 days old\n',
      'oidcwatch backfill --put-metrics: 3 data points in 1 minute not published: those minutes already hold data in OIDCWatch (from the processor or an earlier backfill)\n',
      'oidcwatch backfill --put-metrics: published 3 data points (AssumeRoleFailures) in 1 request to OIDCWatch in eu-west-1, 2026-11-27 10:00Z to 2026-11-27 10:00Z\n',
    ]);
  });

  it('says when there is nothing to publish', async () => {
    // Prepare
    const { sink } = stubSink();
    const lines: string[] = [];

    // Act
    const report = await publishHistory([], sink, {
      now: NOW,
      namespace: 'OIDCWatch',
      region: 'us-east-1',
      log: (l) => lines.push(l),
    });

    // Assess
    expect(report.published).toBe(0);
    expect(lines).toEqual([
      'oidcwatch backfill --put-metrics: nothing to publish to OIDCWatch in us-east-1\n',
    ]);
  });
});
