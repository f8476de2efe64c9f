/**
 * Issue 15, items 2 and 5: the report's memory is bounded by its configuration, not by the input:
 * extreme event times, long spans at a fine fixed width, and many repositories, roles and failing
 * jobs all stay within the budget, and the report says what it estimated.
 */
import { describe, expect, it } from 'vitest';
import { run as report } from '../../../src/cli/commands/report.js';
import { aggregateReport, ReportAccumulator } from '../../../src/domain/report/aggregate.js';
import { diagnosis, minutesAfter, roleArn } from '../../helpers/diagnosis-factory.js';
import { fakeIo } from '../../helpers/fake-io.js';

describe('item 2: time series', () => {
  it('counts an event time of year 9999 or -271821 as untimed instead of one bucket per day since', () => {
    // Prepare
    const data = [
      diagnosis({ eventTime: '2026-11-27T14:00:00Z' }),
      diagnosis({ eventTime: '9999-12-31T23:59:59Z' }),
      diagnosis({ eventTime: '-271821-04-20T00:00:00Z' }),
    ];

    // Act
    const { timeSeries, totals } = aggregateReport(data);

    // Assess
    expect(timeSeries.buckets).toHaveLength(1);
    expect(timeSeries.untimed).toBe(2);
    expect(totals.lastSeen).toBe('2026-11-27T14:00:00Z');
  });

  it('renders report --bucket 1 over a 90-day span, with coarser buckets it says it used', async () => {
    // Prepare
    const start = '2026-09-01T00:00:00Z';
    const lines = [0, 45 * 1440, 90 * 1440].map((m) =>
      JSON.stringify(diagnosis({ eventTime: minutesAfter(start, m) }))
    );
    const io = fakeIo({ stdin: `${lines.join('\n')}\n` });
    const html = fakeIo({ stdin: `${lines.join('\n')}\n` });

    // Act
    const code = await report(['--bucket', '1', '--json'], io);
    const htmlCode = await report(['--bucket', '1', '--html', '-'], html);

    // Assess
    expect(code).toBe(0);
    expect(htmlCode).toBe(0);
    const out = JSON.parse(io.out());
    expect(out.timeSeries.buckets.length).toBeLessThanOrEqual(10_000);
    expect(out.timeSeries.bucketMinutes).toBe(16);
    expect(out.bounds.notes).toContain(
      'time buckets are 16 minutes wide, not the 1 asked for: the span would need more than 10000 buckets'
    );
    expect(html.out()).toContain('<svg');
  });
});

describe('item 5: summary memory', () => {
  it('keeps at most its budget of repositories, roles and job groups, with the heavy hitters exact', () => {
    // Prepare: 6,000 failures, one job each, over 3,000 repositories and 1,000 roles; one repository
    // fails throughout (every 10th failure).
    const acc = new ReportAccumulator({ limits: { repositories: 50, roles: 20, jobGroups: 100 } });
    const base = '2026-11-27T00:00:00Z';

    // Act
    for (let i = 0; i < 6000; i++) {
      const heavy = i % 10 === 0;
      const repo = heavy ? 'acme-corp/monolith' : `acme-corp/service-${i % 3000}`;
      acc.add(
        diagnosis({
          repository: repo,
          sub: `repo:${repo}:ref:refs/heads/main`,
          roleArn: roleArn(heavy ? 'monolith-deploy' : `role-${i % 1000}`),
          eventTime: minutesAfter(base, i * 10),
        })
      );
    }
    const r = acc.result();

    // Assess
    expect(r.totals.failures).toBe(6000);
    expect(r.repositories.length).toBeLessThanOrEqual(100);
    expect(r.roles.length).toBeLessThanOrEqual(40);
    expect(r.repositories[0]).toMatchObject({ repository: 'acme-corp/monolith', failures: 600 });
    expect(r.roles[0]).toMatchObject({ role: roleArn('monolith-deploy'), failures: 600 });
    // 2,700 services (those whose number ends in 0 never fail) and the monolith.
    expect(Math.abs(r.totals.repositories - 2701) / 2701).toBeLessThan(0.05);
    expect(r.totals.failingJobs).toBe(6000);
    expect(r.bounds?.exact).toBe(false);
    expect(r.bounds?.notes.join('\n')).toMatch(
      /repositories with the fewest failures are not listed/
    );
    expect(r.bounds?.notes.join('\n')).toMatch(/number of repositories is estimated/);
  });

  it('is exact, and says so, within its budget', () => {
    // Prepare
    const data = [
      diagnosis({ repository: 'acme-corp/api' }),
      diagnosis({ repository: 'acme-corp/web' }),
    ];

    // Act
    const r = aggregateReport(data);

    // Assess
    expect(r.bounds).toMatchObject({ exact: true, notes: [] });
  });
});
