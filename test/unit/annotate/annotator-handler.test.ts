/**
 * The annotator Lambda's pieces that need no service: reading CloudWatch Logs subscription
 * deliveries of the processor's result lines (grouped per failing job, control messages and
 * foreign lines skipped), work items on the queue, the delays of work given back, and the
 * `Annotations` metric agreeing with what the dashboard may name.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { withAnnotationsWidget } from '../../../infra/constructs/annotator.js';
import {
  ANNOTATOR_METRICS,
  findUnknownNames,
  loadDashboardTemplate,
} from '../../../infra/lib/dashboard-template.js';
import { GitHubApiError } from '../../../src/adapters/github/github-api-error.js';
import {
  annotationMetric,
  handleAnnotatorEvent,
  retryDelayMs,
} from '../../../src/annotator/handle-event.js';
import { readLogDelivery } from '../../../src/annotator/read-log-events.js';
import { decodeWorkItem, encodeWorkItem } from '../../../src/annotator/work-item.js';
import { failingJobKey } from '../../../src/domain/failing-job.js';
import { jsonLog } from '../../../src/notifier/log.js';
import { failure } from '../../helpers/annotate-fixtures.js';

function delivery(payload: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

function line(eventTime: string): string {
  const d = failure({ eventTime });
  return `${JSON.stringify({ level: 'info', time: eventTime, service: 'oidcwatch', ...d, outcome: 'failure', failingJobKey: failingJobKey(d), msg: 'oidcwatch.result' })}\n`;
}

describe('readLogDelivery', () => {
  it("makes one failing job of a job's retries, with its first and last attempt", () => {
    // Prepare
    const events = ['2026-11-27T14:05:52Z', '2026-11-27T14:05:40Z', '2026-11-27T14:06:31Z'].map(
      (t, i) => ({ id: `${i}`, timestamp: Date.parse(t), message: line(t) })
    );

    // Act
    const r = readLogDelivery(delivery({ messageType: 'DATA_MESSAGE', logEvents: events }));

    // Assess
    expect(r.control).toBe(false);
    expect(r.skipped).toEqual([]);
    expect(r.jobs).toHaveLength(1);
    expect(r.jobs[0]).toMatchObject({
      key: failingJobKey(failure()),
      attempts: 3,
      firstCallMs: Date.parse('2026-11-27T14:05:40Z'),
      lastCallMs: Date.parse('2026-11-27T14:06:31Z'),
      diagnosis: { eventTime: '2026-11-27T14:05:40Z', remedy: { kind: 'trust-policy' } },
    });
  });

  it('holds nothing for a control message, and skips lines that are not failure results', () => {
    // Prepare
    const success = JSON.stringify({ ...failure(), cause: 'SUCCESS', msg: 'oidcwatch.result' });

    // Act
    const control = readLogDelivery(delivery({ messageType: 'CONTROL_MESSAGE', logEvents: [] }));
    const mixed = readLogDelivery(
      delivery({
        messageType: 'DATA_MESSAGE',
        logEvents: [
          { id: 'a', message: 'START RequestId: 1 Version: $LATEST' },
          { id: 'b', message: success },
          { id: 'c', message: '{"msg":"oidcwatch.result"}' },
        ],
      })
    );

    // Assess
    expect(control).toEqual({ jobs: [], skipped: [], control: true });
    expect(mixed.jobs).toEqual([]);
    expect(mixed.skipped).toEqual([
      { id: 'a', reason: 'the log line is not JSON' },
      { id: 'b', reason: 'SUCCESS carries no failing job' },
      { id: 'c', reason: 'missing "cause"' },
    ]);
  });
});

describe('work items', () => {
  it('round-trips a failing job through the queue, remedy included', () => {
    // Prepare
    const job = { key: 'k', diagnosis: failure(), attempts: 12, firstCallMs: 1, lastCallMs: 2 };

    // Act
    const back = decodeWorkItem(encodeWorkItem(job));

    // Assess
    expect(back).toEqual({ ok: true, job });
  });

  it('names what is wrong with a body that is not one', () => {
    // Act
    const results = ['not json', '{"v":2}', '{"v":1}', '{"v":1,"key":"k","diagnosis":{}}'].map(
      decodeWorkItem
    );

    // Assess
    expect(results.map((r) => (r.ok ? 'ok' : r.reason))).toEqual([
      expect.stringMatching(/^the body is not JSON: /),
      'the body is not a version-1 work item',
      'the work item has no "key"',
      'the work item\'s diagnosis: missing "cause"',
    ]);
  });
});

describe('retryDelayMs', () => {
  it('waits what GitHub asked, else 30 s doubling per receipt up to 15 minutes', () => {
    // Prepare
    const limited = new GitHubApiError('rate-limited', 'x', { status: 403, retryAfterMs: 600_000 });
    const down = new GitHubApiError('unavailable', 'x', { status: 503 });

    // Act
    const delays = [
      retryDelayMs(limited, 1),
      retryDelayMs(down, 1),
      retryDelayMs(down, 3),
      retryDelayMs(down, 12),
    ];

    // Assess
    expect(delays).toEqual([600_000, 30_000, 120_000, 900_000]);
  });
});

describe('the Annotations metric', () => {
  it('is emitted with the dimension sets the dashboard check knows, and its widget names nothing unknown', () => {
    // Prepare
    const doc = annotationMetric('OIDCWatch', 'posted', 0) as {
      _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] };
    };

    // Act
    const directive = doc._aws.CloudWatchMetrics[0];
    const problems = findUnknownNames(withAnnotationsWidget(loadDashboardTemplate()));

    // Assess
    expect({ [directive?.Metrics[0]?.Name ?? '']: directive?.Dimensions }).toEqual(
      Object.fromEntries(
        Object.entries(ANNOTATOR_METRICS).map(([n, s]) => [n, s?.map((x) => [...x])])
      )
    );
    expect(doc).toMatchObject({ Outcome: 'posted', Annotations: 1 });
    expect(problems).toEqual([]);
  });
});

describe('a parked intake delivery, redriven through the work queue', () => {
  it('is taken in again: its failing job goes back on the queue', async () => {
    // Prepare
    const enqueued: string[][] = [];
    const deps = {
      annotate: async (): Promise<never> => {
        throw new Error('a parked delivery is not annotated directly');
      },
      enqueue: async (jobs: readonly { key: string }[]) => {
        enqueued.push(jobs.map((j) => j.key));
      },
      defer: async () => {},
      log: jsonLog(() => {}),
      namespace: 'OIDCWatch',
      now: () => 0,
    };
    // A Lambda on-failure destination record of an intake invocation whose retries were spent.
    const body = JSON.stringify({
      version: '1.0',
      timestamp: '2026-11-27T14:07:02.412Z',
      requestContext: {
        requestId: '7d8a6c2e-3f1b-4a5c-9e0d-1b2c3d4e5f60',
        functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:oidcwatch-annotator:$LATEST',
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: delivery({
        messageType: 'DATA_MESSAGE',
        logEvents: [{ id: '1', timestamp: 0, message: line('2026-11-27T14:05:40Z') }],
      }),
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    });

    // Act
    const r = await handleAnnotatorEvent(
      { Records: [{ messageId: 'm1', body, eventSource: 'aws:sqs' }] },
      deps
    );

    // Assess
    expect(r).toEqual({ source: 'queue', batchItemFailures: [] });
    expect(enqueued).toEqual([[failingJobKey(failure())]]);
  });
});
