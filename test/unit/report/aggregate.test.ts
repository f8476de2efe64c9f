import { describe, expect, it } from 'vitest';
import { aggregateReport, ReportAccumulator } from '../../../src/domain/report/aggregate.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import {
  diagnosis,
  explain,
  failingJob,
  incidentDataSet,
  minutesAfter,
  roleArn,
  shuffled,
  success,
} from '../../helpers/diagnosis-factory.js';

const BASE = '2025-03-04T08:00:00Z';

describe('aggregateReport totals', () => {
  it('counts records, failures, failing jobs, successes, ignored and malformed of an incident day', () => {
    // Prepare
    const data = incidentDataSet();

    // Act
    const { totals } = aggregateReport(data);

    // Assess
    expect(totals).toEqual({
      records: 217,
      failures: 195,
      failingJobs: 16,
      successes: 20,
      ignored: 1,
      malformed: 1,
      repositories: 5,
      firstSeen: '2025-03-04T08:03:00Z',
      lastSeen: '2025-03-04T12:48:00Z',
    });
  });

  it('reports an empty input as zeros with no repositories and no time span', () => {
    // Prepare
    const data: Diagnosis[] = [];

    // Act
    const report = aggregateReport(data);

    // Assess
    expect(report.totals.records).toBe(0);
    expect(report.totals.firstSeen).toBeNull();
    expect(report.repositories).toEqual([]);
    expect(report.timeSeries.buckets).toEqual([]);
  });
});

describe('aggregateReport per repository', () => {
  it('puts the dominant repository first with its failures, jobs, causes, roles and top fix', () => {
    // Prepare
    const data = incidentDataSet();
    const expected = explain('SUB_MISMATCH', 'ENVIRONMENT_FORM', {
      repository: 'acme-corp/payments-api',
      sub: 'repo:acme-corp/payments-api:environment:production',
      role: roleArn('payments-deploy'),
    });

    // Act
    const [top] = aggregateReport(data).repositories;

    // Assess
    expect(top).toMatchObject({
      repository: 'acme-corp/payments-api',
      failures: 120,
      failingJobs: 10,
      successes: 0,
      roles: [roleArn('payments-deploy')],
      firstSeen: '2025-03-04T08:07:00Z',
      lastSeen: '2025-03-04T12:38:42Z',
      topFix: {
        fix: expected.fix,
        explanation: expected.explanation,
        cause: 'SUB_MISMATCH',
        detail: 'ENVIRONMENT_FORM',
        count: 120,
        remedy: null,
      },
    });
    expect(top?.causes).toEqual([
      {
        cause: 'SUB_MISMATCH',
        detail: 'ENVIRONMENT_FORM',
        failures: 120,
        explanation: expected.explanation,
        fix: expected.fix,
        remedy: null,
        firstSeen: '2025-03-04T08:07:00Z',
        lastSeen: '2025-03-04T12:38:42Z',
      },
    ]);
  });

  it('orders repositories by failures, keeps successes beside failures and names the unknown one', () => {
    // Prepare
    const data = incidentDataSet();

    // Act
    const { repositories } = aggregateReport(data);

    // Assess
    expect(repositories.map((r) => [r.repository, r.failures, r.failingJobs, r.successes])).toEqual(
      [
        ['acme-corp/payments-api', 120, 10, 0],
        ['acme-corp/data-pipeline', 36, 2, 0],
        ['acme-corp/web-frontend', 24, 2, 20],
        ['acme-corp/infra-modules', 12, 1, 0],
        ['(unknown)', 3, 1, 0],
      ]
    );
  });

  it('merges two jobs of one role and sub that start within 5 minutes into one failing job', () => {
    // Prepare
    const data = incidentDataSet();

    // Act
    const pipeline = aggregateReport(data).repositories.find(
      (r) => r.repository === 'acme-corp/data-pipeline'
    );

    // Assess
    expect(pipeline?.failures).toBe(36);
    expect(pipeline?.failingJobs).toBe(2);
  });

  it('orders many repositories by failures desc, then by name', () => {
    // Prepare
    const data = Array.from({ length: 30 }, (_, i) => {
      const repository = `acme-corp/svc-${String(i + 1).padStart(2, '0')}`;
      const jobs = (i % 4) + 1;
      return Array.from({ length: jobs }, (_, j) =>
        failingJob({
          repository,
          role: `svc-${i + 1}-deploy`,
          cause: 'SUB_MISMATCH',
          detail: 'BRANCH',
          start: minutesAfter(BASE, 60 * j + i),
          subTail: 'ref:refs/heads/feature',
        })
      ).flat();
    }).flat();

    // Act
    const { repositories, totals } = aggregateReport(shuffled(data));

    // Assess
    expect(totals.failingJobs).toBe(73);
    expect(repositories.slice(0, 8).map((r) => [r.repository, r.failures, r.failingJobs])).toEqual([
      ['acme-corp/svc-04', 48, 4],
      ['acme-corp/svc-08', 48, 4],
      ['acme-corp/svc-12', 48, 4],
      ['acme-corp/svc-16', 48, 4],
      ['acme-corp/svc-20', 48, 4],
      ['acme-corp/svc-24', 48, 4],
      ['acme-corp/svc-28', 48, 4],
      ['acme-corp/svc-03', 36, 3],
    ]);
    expect(repositories.at(-1)?.repository).toBe('acme-corp/svc-29');
  });

  it('counts a retry burst that crosses a 5-minute bucket boundary as one failing job', () => {
    // Prepare
    const burst = failingJob({
      repository: 'acme-corp/payments-api',
      role: 'payments-deploy',
      cause: 'SUB_MISMATCH',
      detail: 'ENVIRONMENT_FORM',
      start: '2025-03-04T10:04:30Z',
      jitter: 1,
    });

    // Act
    const report = aggregateReport(burst, { bucketMinutes: 5 });

    // Assess
    expect(report.totals.failingJobs).toBe(1);
    expect(report.repositories[0]?.failingJobs).toBe(1);
    expect(report.timeSeries.buckets.map((b) => [b.start, b.failures])).toEqual([
      ['2025-03-04T10:00:00Z', 9],
      ['2025-03-04T10:05:00Z', 3],
    ]);
  });

  it('picks the most frequent fix of a repository with several causes', () => {
    // Prepare
    const data = [
      ...failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'SUB_MISMATCH',
        detail: 'BRANCH',
        start: BASE,
      }),
      ...failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'SUB_MISMATCH',
        detail: 'BRANCH',
        start: minutesAfter(BASE, 30),
      }),
      ...failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'AUDIENCE_MISMATCH',
        detail: 'TRUST_POLICY',
        start: minutesAfter(BASE, 60),
      }),
      diagnosis({
        repository: 'acme/api',
        cause: 'DENIED_OUTSIDE_TRUST_POLICY',
        detail: null,
        fix: null,
      }),
    ];

    // Act
    const [api] = aggregateReport(data).repositories;

    // Assess
    expect(api?.topFix?.cause).toBe('SUB_MISMATCH');
    expect(api?.topFix?.count).toBe(24);
    expect(api?.causes.map((c) => [c.cause, c.detail, c.failures, c.fix === null])).toEqual([
      ['SUB_MISMATCH', 'BRANCH', 24, false],
      ['AUDIENCE_MISMATCH', 'TRUST_POLICY', 12, false],
      ['DENIED_OUTSIDE_TRUST_POLICY', null, 1, true],
    ]);
  });

  it('leaves the top fix empty when no failure of a repository carries one', () => {
    // Prepare
    const data = [diagnosis({ repository: 'acme/api', fix: null })];

    // Act
    const [api] = aggregateReport(data).repositories;

    // Assess
    expect(api?.topFix).toBeNull();
    expect(api?.causes[0]?.explanation).not.toBe('');
  });
});

describe('aggregateReport per cause and per role', () => {
  it('counts failures, jobs, repositories and details per cause', () => {
    // Prepare
    const data = incidentDataSet();

    // Act
    const { causes } = aggregateReport(data);

    // Assess
    expect(causes).toEqual([
      {
        cause: 'SUB_MISMATCH',
        failures: 144,
        failingJobs: 12,
        repositories: 2,
        details: [
          { detail: 'ENVIRONMENT_FORM', failures: 120 },
          { detail: 'PULL_REQUEST', failures: 24 },
        ],
      },
      {
        cause: 'AUDIENCE_MISMATCH',
        failures: 36,
        failingJobs: 2,
        repositories: 1,
        details: [{ detail: 'TRUST_POLICY', failures: 36 }],
      },
      {
        cause: 'ROLE_NOT_FOUND',
        failures: 12,
        failingJobs: 1,
        repositories: 1,
        details: [{ detail: null, failures: 12 }],
      },
      {
        cause: 'MISSING_OIDC_PROVIDER',
        failures: 3,
        failingJobs: 1,
        repositories: 1,
        details: [{ detail: null, failures: 3 }],
      },
    ]);
  });

  it('counts failures per role, with its repositories and causes, and an unresolved role', () => {
    // Prepare
    const data = [
      ...incidentDataSet(),
      ...failingJob({
        repository: 'acme-corp/web-frontend',
        role: null,
        cause: 'ROLE_UNRESOLVED',
        start: BASE,
      }),
    ];

    // Act
    const { roles } = aggregateReport(data);

    // Assess
    expect(roles.map((r) => [r.role, r.failures, r.failingJobs])).toEqual([
      [roleArn('payments-deploy'), 120, 10],
      [roleArn('etl-runner'), 36, 2],
      [roleArn('web-preview'), 24, 2],
      ['(unresolved)', 12, 1],
      [roleArn('terraform-plan'), 12, 1],
      [roleArn('shared-readonly'), 3, 1],
    ]);
    expect(roles[0]).toMatchObject({
      account: '111122223333',
      repositories: ['acme-corp/payments-api'],
      causes: [{ cause: 'SUB_MISMATCH', failures: 120 }],
    });
  });
});

describe('aggregateReport time series', () => {
  it('stacks failures per automatic bucket so the series sums to the timed failures', () => {
    // Prepare
    const data = incidentDataSet();

    // Act
    const { timeSeries, totals } = aggregateReport(data);

    // Assess
    expect(timeSeries.bucketMinutes).toBe(5);
    expect(timeSeries.buckets.length).toBeLessThanOrEqual(60);
    expect(timeSeries.buckets[0]?.start).toBe('2025-03-04T08:05:00Z');
    expect(timeSeries.causes).toEqual([
      'SUB_MISMATCH',
      'AUDIENCE_MISMATCH',
      'ROLE_NOT_FOUND',
      'MISSING_OIDC_PROVIDER',
    ]);
    const sum = timeSeries.buckets.reduce((n, b) => n + b.failures, 0);
    expect(sum).toBe(totals.failures);
    for (const b of timeSeries.buckets) {
      const stacked = Object.values(b.byCause).reduce((n, v) => n + (v ?? 0), 0);
      expect(stacked).toBe(b.failures);
    }
  });

  it.each([
    [59, 1, 60],
    [120, 5, 25],
    [60 * 24 * 3, 180, 25],
    [60 * 24 * 90, 1440, 91],
  ])('picks the finest width that fits a span of %i minutes', (span, width, count) => {
    // Prepare
    const data = [
      diagnosis({ eventTime: '2025-03-04T00:00:00Z' }),
      diagnosis({ eventTime: minutesAfter('2025-03-04T00:00:00Z', span) }),
    ];

    // Act
    const { timeSeries } = aggregateReport(shuffled(data));

    // Assess
    expect(timeSeries.bucketMinutes).toBe(width);
    expect(timeSeries.buckets).toHaveLength(count);
  });

  it('uses a given bucket width and counts failures without a time apart', () => {
    // Prepare
    const data = [...incidentDataSet(), diagnosis({ eventTime: null })];

    // Act
    const { timeSeries } = aggregateReport(data, { bucketMinutes: 60 });

    // Assess
    expect(timeSeries.bucketMinutes).toBe(60);
    expect(timeSeries.buckets.map((b) => b.start.slice(11, 16))).toEqual([
      '08:00',
      '09:00',
      '10:00',
      '11:00',
      '12:00',
    ]);
    expect(timeSeries.untimed).toBe(1);
  });

  it('rejects a bucket width that is not a positive number', () => {
    // Prepare
    const widths = [0, -5, Number.NaN];

    // Act
    const attempts = widths.map((bucketMinutes) => () => aggregateReport([], { bucketMinutes }));

    // Assess
    for (const attempt of attempts) {
      expect(attempt).toThrow(RangeError);
    }
  });
});

describe('ReportAccumulator', () => {
  it('gives the same report one record at a time, in any order', () => {
    // Prepare
    const data = [...incidentDataSet(), success('acme-corp/payments-api', 'payments-deploy', BASE)];
    const acc = new ReportAccumulator();

    // Act
    for (const d of shuffled(data, 42)) {
      acc.add(d);
    }

    // Assess
    expect(acc.result()).toEqual(aggregateReport(data));
  });
});
