/**
 * `oidcwatch backfill --put-metrics` end to end: CloudTrail history from a fake `LookupEvents`,
 * CloudWatch from moto_server through `AWS_ENDPOINT_URL` (the command builds its own client from
 * the environment). The metrics land with the processor's names, dimension sets and values; data
 * older than 14 days is skipped and counted; a second run publishes nothing twice.
 */
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfillCommand } from '../../src/cli/commands/backfill.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { generateHistory, loadTemplates } from '../helpers/backfill-history.js';
import { fakeIo } from '../helpers/fake-io.js';
import { fakeLookupEvents } from '../helpers/fake-lookup-events.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

const RUN = shouldRunMotoSuite('backfill --put-metrics against moto_server');
const DAY = 86_400_000;

describe.runIf(RUN)('backfill --put-metrics against moto_server', () => {
  let moto: Moto;
  let cloudWatch: CloudWatchClient;
  const namespace = `OIDCWatchBackfill${Date.now().toString(36)}`;
  const now = Math.floor(Date.now() / 1000) * 1000;

  beforeAll(async () => {
    moto = await startMoto();
    cloudWatch = new CloudWatchClient(motoClientConfig(moto.endpoint));
  });
  afterAll(async () => {
    await moto?.stop();
  });

  async function backfill(events: ReturnType<typeof generateHistory>) {
    const clock = new VirtualClock(now);
    const fake = fakeLookupEvents(events, { clock });
    const io = {
      ...fakeIo({
        env: {
          AWS_ENDPOINT_URL: moto.endpoint,
          AWS_ACCESS_KEY_ID: 'testing',
          AWS_SECRET_ACCESS_KEY: 'testing',
          AWS_REGION: 'us-east-1',
          // moto_server 5.2 cannot read the gzipped bodies the SDK sends for large requests.
          AWS_DISABLE_REQUEST_COMPRESSION: 'true',
        },
      }),
      now: () => new Date(now),
    };
    const command = createBackfillCommand({
      clock,
      random: () => 0.5,
      signal: new AbortController().signal,
      cloudTrailClientFor: (region) => fake.clientFor(region),
    });
    const code = await command(
      [
        '--since',
        '20d',
        '--iam-snapshot',
        'examples/iam-snapshot.json',
        '--json',
        '--no-chained',
        '--put-metrics',
        '--namespace',
        namespace,
      ],
      io
    );
    return { code, io };
  }

  async function sum(dimensions: { Name: string; Value: string }[]): Promise<number> {
    const out = await cloudWatch.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: 'AssumeRoleFailures',
        Dimensions: dimensions,
        StartTime: new Date(now - 15 * DAY),
        EndTime: new Date(now + 60_000),
        Period: 3600,
        Statistics: ['Sum', 'SampleCount'],
      })
    );
    return (out.Datapoints ?? []).reduce((s, p) => s + (p.Sum ?? 0), 0);
  }

  it('publishes the processor metrics per minute, skips data older than 14 days, and never publishes a minute twice', async () => {
    // Prepare
    const events = generateHistory(await loadTemplates(), {
      regions: ['us-east-1'],
      counts: { failure: 400, success: 40, malformed: 6 },
      startMs: now - 20 * DAY,
      endMs: now - 10 * 60_000,
    });

    // Act
    const first = await backfill(events);
    const second = await backfill(events);

    // Assess
    expect(first.code, first.io.err()).toBe(0);
    const results = first.io
      .out()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Diagnosis);
    const cutoff = now - 14 * DAY + 5 * 60_000;
    const recent = results.filter(
      (d) => Date.parse(d.eventTime as string) >= Math.ceil(cutoff / 60_000) * 60_000
    );
    const old = results.length - recent.length;
    expect(old).toBeGreaterThan(50);
    expect(first.io.err()).toContain(`${old} results from before `);
    expect(first.io.err()).toContain(
      'not published: CloudWatch accepts data points at most 14 days old'
    );
    expect(first.io.err()).toMatch(
      new RegExp(
        `published [\\d,]+ data points \\(AssumeRoleFailures, .*\\) in \\d+ requests? to ${namespace} in us-east-1`
      )
    );

    const listed = await cloudWatch.send(new ListMetricsCommand({ Namespace: namespace }));
    const shapes = new Set(
      (listed.Metrics ?? []).map(
        (m) => `${m.MetricName}[${(m.Dimensions ?? []).map((d) => d.Name).join(',')}]`
      )
    );
    expect(shapes).toEqual(
      new Set([
        'AssumeRoleFailures[]',
        'AssumeRoleFailures[Cause]',
        'AssumeRoleFailures[Account,Region]',
        'TrustPolicyFindings[]',
        'TrustPolicyFindings[Finding]',
        'EnrichmentErrors[]',
        'MalformedEvents[]',
      ])
    );

    const failures = recent.filter((d) => d.cause !== 'MALFORMED_EVENT');
    const byCause = new Map<string, number>();
    for (const d of failures) byCause.set(d.cause, (byCause.get(d.cause) ?? 0) + 1);
    expect(byCause.size).toBeGreaterThan(10);
    for (const [cause, n] of byCause)
      expect(await sum([{ Name: 'Cause', Value: cause }]), cause).toBe(n);
    expect(
      await sum([
        { Name: 'Account', Value: '111122223333' },
        { Name: 'Region', Value: 'us-east-1' },
      ])
    ).toBe(failures.filter((d) => d.account === '111122223333').length);

    expect(second.code, second.io.err()).toBe(0);
    expect(second.io.err()).toMatch(
      /[\d,]+ data points in [\d,]+ minutes not published: those minutes already hold data in OIDCWatchBackfill/
    );
    expect(second.io.err()).toContain(`nothing to publish to ${namespace} in us-east-1`);
    for (const [cause, n] of byCause)
      expect(await sum([{ Name: 'Cause', Value: cause }]), cause).toBe(n);
  });
});
