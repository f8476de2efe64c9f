/**
 * backfill's AWS clients on the wire, against local HTTP servers playing CloudTrail and CloudWatch:
 * `AWS_ENDPOINT_URL` is honoured, `LookupEvents` is paged and a throttled request retried with the
 * real SDK and the real clock (the server measures the request spacing), and `PutMetricData`
 * request bodies stay within 1,000 data points and 1 MB.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricHistory } from '../../src/adapters/metrics/metric-history.js';
import { PutMetricDataSink } from '../../src/adapters/metrics/put-metric-data-sink.js';
import { createBackfillCommand } from '../../src/cli/commands/backfill.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { diagnosis } from '../helpers/diagnosis-factory.js';
import { fakeIo } from '../helpers/fake-io.js';
import { deniedRecord } from '../helpers/records.js';

interface Seen {
  readonly target: string;
  readonly body: Record<string, unknown>;
  readonly bytes: number;
}

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((resolve) =>
    server === null ? resolve() : server.close(() => resolve())
  );
  server = null;
});

/** Starts a JSON-protocol server; `answer` gives the status and body of each request. */
async function serve(
  answer: (seen: Seen, index: number) => { status: number; body: unknown }
): Promise<{ endpoint: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const s: Seen = {
        target: String(req.headers['x-amz-target'] ?? ''),
        body: raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>),
        bytes: raw.length,
      };
      seen.push(s);
      const { status, body } = answer(s, seen.length - 1);
      res.writeHead(status, {
        'content-type': String(req.headers['content-type'] ?? 'application/x-amz-json-1.1'),
      });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, seen };
}

describe('backfill over HTTP', () => {
  it('pages LookupEvents at AWS_ENDPOINT_URL, and retries a throttled request', async () => {
    // Prepare
    const now = Date.now();
    const records = Array.from({ length: 120 }, (_, i) =>
      deniedRecord({
        eventId: `ev-${i}`,
        time: new Date(now - (i + 1) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'),
      })
    );
    const { endpoint, seen } = await serve((s, index) => {
      if (index === 1)
        return { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } };
      const offset = s.body.NextToken === undefined ? 0 : Number(s.body.NextToken);
      const page = records.slice(offset, offset + 50);
      return {
        status: 200,
        body: {
          Events: page.map((r) => ({
            EventId: r.eventID,
            EventName: 'AssumeRoleWithWebIdentity',
            EventTime: Date.parse(r.eventTime as string) / 1000,
            CloudTrailEvent: JSON.stringify(r),
          })),
          ...(offset + 50 < records.length ? { NextToken: String(offset + 50) } : {}),
        },
      };
    });
    const backfill = createBackfillCommand({
      signal: new AbortController().signal,
      backoff: { maxAttempts: 3, baseMs: 50, capMs: 100 },
    });
    const io = fakeIo({
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
    });

    // Act
    const code = await backfill(
      [
        '--since',
        '1d',
        '--region',
        'eu-central-1',
        '--iam-snapshot',
        'examples/iam-snapshot.json',
        '--json',
        '--no-chained',
        '--no-changes',
      ],
      { ...io, now: () => new Date(now) }
    );

    // Assess
    expect(code, io.err()).toBe(0);
    const results = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Diagnosis);
    expect(results.map((d) => d.eventId)).toEqual(records.map((r) => r.eventID).reverse());
    expect(seen.map((s) => s.target)).toEqual(Array(4).fill('CloudTrail_20131101.LookupEvents'));
    expect(seen[0]?.body).toMatchObject({
      LookupAttributes: [
        { AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' },
      ],
      MaxResults: 50,
    });
    expect(seen.map((s) => s.body.NextToken)).toEqual([undefined, '50', '50', '100']);
    // The 500 ms spacing is asserted with a virtual clock in the unit tests
    // (test/unit/backfill/lookup-events-source.test.ts): wall-clock gaps seen by a server on a
    // shared, busy machine are not evidence either way.
  });

  it('sends PutMetricData requests of at most 1,000 data points and under 1 MB', async () => {
    // Prepare
    const { endpoint, seen } = await serve(() => ({ status: 200, body: {} }));
    const sink = new PutMetricDataSink({
      client: new CloudWatchClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        disableRequestCompression: true,
        maxAttempts: 1,
      }),
      namespace: 'OIDCWatch',
      region: 'us-east-1',
    });
    const history = new MetricHistory({ oldestAcceptedMs: 0 });
    const start = Date.parse('2026-11-27T00:00:00Z');
    for (let m = 0; m < 1440; m++)
      for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2'])
        history.add(
          diagnosis({
            eventTime: new Date(start + m * 60_000).toISOString(),
            region,
            cause: 'SUB_MISMATCH',
            findings: [],
          })
        );
    const points = history.points();

    // Act
    const summary = await sink.put(points);

    // Assess
    expect(summary).toEqual({ requests: Math.ceil(points.length / 1000), datums: points.length });
    expect(seen.every((s) => s.target === 'GraniteServiceVersion20100801.PutMetricData')).toBe(
      true
    );
    const sizes = seen.map((s) => (s.body.MetricData as unknown[]).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(points.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1000);
    expect(Math.max(...seen.map((s) => s.bytes))).toBeLessThan(1_000_000);
  });

  it('reads the minutes that already hold data from GetMetricData, following NextToken', async () => {
    // Prepare
    const t = (m: number) => Date.parse('2026-11-27T10:00:00Z') / 1000 + m * 60;
    const { endpoint, seen } = await serve((s) =>
      s.body.NextToken === undefined
        ? {
            status: 200,
            body: {
              MetricDataResults: [
                { Id: 'm0', Timestamps: [t(0), t(1)], Values: [3, 0], StatusCode: 'PartialData' },
                { Id: 'm1', Timestamps: [t(2)], Values: [1], StatusCode: 'PartialData' },
              ],
              NextToken: 'more',
            },
          }
        : {
            status: 200,
            body: {
              MetricDataResults: [
                { Id: 'm0', Timestamps: [t(5)], Values: [2], StatusCode: 'Complete' },
              ],
            },
          }
    );
    const sink = new PutMetricDataSink({
      client: new CloudWatchClient({
        region: 'us-east-1',
        endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        maxAttempts: 1,
      }),
      namespace: 'OIDCWatch',
      region: 'us-east-1',
    });

    // Act
    const minutes = await sink.minutesWithData(
      ['AssumeRoleFailures', 'MalformedEvents'],
      t(0) * 1000,
      t(10) * 1000
    );

    // Assess
    expect(seen).toHaveLength(2);
    expect(seen[0]?.body.MetricDataQueries).toEqual([
      {
        Id: 'm0',
        MetricStat: {
          Metric: { Namespace: 'OIDCWatch', MetricName: 'AssumeRoleFailures', Dimensions: [] },
          Period: 60,
          Stat: 'SampleCount',
        },
      },
      {
        Id: 'm1',
        MetricStat: {
          Metric: { Namespace: 'OIDCWatch', MetricName: 'MalformedEvents', Dimensions: [] },
          Period: 60,
          Stat: 'SampleCount',
        },
      },
    ]);
    expect([...(minutes.get('AssumeRoleFailures') ?? [])]).toEqual([t(0) * 1000, t(5) * 1000]);
    expect([...(minutes.get('MalformedEvents') ?? [])]).toEqual([t(2) * 1000]);
  });
});
