/**
 * Issue 15: a hung dependency never holds the page. The notifier's own AWS clients (built by
 * `buildNotifierDeps`, with its timeouts and retries) talk to a loopback endpoint that accepts
 * connections and never answers; the page still reaches the pages topic (moto_server, read back
 * from a queue subscribed to it) saying what could not be read, or, when the pages topic itself
 * hangs, the invocation fails so that Lambda retries it, PagerDuty having had its trigger.
 *
 * Outcomes only: each test may take up to the function's own timeout (60 s), far more than its
 * bounded calls need; that the bounds fit that timeout at every setting is checked at synthesis
 * (`hungInvocationBoundMs`, test/infra/notifier.test.ts).
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNotifierConfig } from '../../src/notifier/config.js';
import { buildNotifierDeps } from '../../src/notifier/deps.js';
import { handleSnsEvent } from '../../src/notifier/handle-event.js';
import { jsonLog } from '../../src/notifier/log.js';
import { PageNotDeliveredError } from '../../src/notifier/page-publisher.js';
import { NOTIFIER_AWS_CALLS, PAGERDUTY_TIMING } from '../../src/notifier/time-budget.js';
import { alarmNotification } from '../fixtures/page/result-sets.js';
import { type FakePagerDuty, startFakePagerDuty } from '../helpers/fake-pagerduty.js';
import { type HungEndpoint, startHungEndpoint } from '../helpers/hung-endpoint.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';

const run = shouldRunMotoSuite('notifier with hung AWS endpoints');
const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const ALARM_TOPIC = 'arn:aws:sns:us-east-1:123456789012:oidcwatch-on-call';
/** The notifier function's timeout (infra/constructs/notifier.ts). */
const LAMBDA_TIMEOUT_MS = 60_000;

let hung: HungEndpoint | undefined;
/** The hung endpoint's URL (started before the tests). */
const hungUrl = () => (hung as HungEndpoint).url;
/** What each connection to the hung endpoint sent (the request it never got an answer to). */
const hungReceived = () => (hung as HungEndpoint).received;
let moto: Moto;
let pagesTopic = '';
let pagesQueue = '';
let pagerDuty: FakePagerDuty;

/** The notifier's dependencies: its own clients on the hung endpoint, except those in `real`. */
function depsWith(real: { sns?: boolean; secrets?: boolean }, lines: Record<string, unknown>[]) {
  const config = readNotifierConfig({
    OIDCWATCH_PAGE_TOPIC_ARN: pagesTopic,
    OIDCWATCH_PAGERDUTY_EVENTS_URL: pagerDuty.url,
    OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET: 'oidcwatch/pagerduty',
    OIDCWATCH_LOG_GROUP_NAME: '/aws/lambda/oidcwatch-processor',
    OIDCWATCH_INSIGHT_RULE_NAME: 'oidcwatch-failures-by-repository',
    OIDCWATCH_QUERY_TIMEOUT_SECONDS: '2',
  });
  const motoConfig = motoClientConfig(moto.endpoint);
  return buildNotifierDeps(
    config,
    { AWS_REGION: 'us-east-1' },
    {
      // Only where to connect and who to be: the timeouts and retries are the notifier's own.
      clientConfig: {
        endpoint: hungUrl(),
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      },
      ...(real.sns ? { sns: new SNSClient(motoConfig) } : {}),
      ...(real.secrets ? { secrets: new SecretsManagerClient(motoConfig) } : {}),
      log: jsonLog((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
      pollIntervalMs: 200,
    }
  );
}

function alarmEvent() {
  const message = alarmNotification({ StateChangeTime: new Date().toISOString() });
  return {
    Records: [
      { EventSource: 'aws:sns', Sns: { TopicArn: ALARM_TOPIC, Message: JSON.stringify(message) } },
    ],
  };
}

/** The pages the pages topic delivered to its queue since the last call (which takes them). */
async function pagesDelivered(): Promise<Record<string, unknown>[]> {
  const sqs = new SQSClient(motoClientConfig(moto.endpoint));
  const out = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: pagesQueue, MaxNumberOfMessages: 10 })
  );
  const messages = out.Messages ?? [];
  for (const m of messages)
    await sqs.send(
      new DeleteMessageCommand({ QueueUrl: pagesQueue, ReceiptHandle: m.ReceiptHandle })
    );
  return messages.map((m) => {
    const envelope = JSON.parse(m.Body ?? '{}') as { Message?: string };
    return JSON.parse(envelope.Message ?? '{}') as Record<string, unknown>;
  });
}

/** Requests the hung endpoint received whose text matches `pattern`. */
const requestsFor = (pattern: RegExp) => hungReceived().filter((r) => pattern.test(r)).length;

describe.runIf(run)('notifier with AWS endpoints that accept connections and never answer', () => {
  beforeAll(async () => {
    hung = await startHungEndpoint();
    moto = await startMoto();
    const motoConfig = motoClientConfig(moto.endpoint);
    const topic = await new SNSClient(motoConfig).send(
      new CreateTopicCommand({ Name: 'oidcwatch-pages' })
    );
    pagesTopic = topic.TopicArn ?? '';
    const sqs = new SQSClient(motoConfig);
    pagesQueue = (await sqs.send(new CreateQueueCommand({ QueueName: 'pages' }))).QueueUrl ?? '';
    const queueArn = (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: pagesQueue, AttributeNames: ['QueueArn'] })
      )
    ).Attributes?.QueueArn;
    await new SNSClient(motoConfig).send(
      new SubscribeCommand({ TopicArn: pagesTopic, Protocol: 'sqs', Endpoint: queueArn })
    );
    await new SecretsManagerClient(motoConfig).send(
      new CreateSecretCommand({ Name: 'oidcwatch/pagerduty', SecretString: ROUTING_KEY })
    );
    pagerDuty = await startFakePagerDuty();
  });

  afterAll(async () => {
    await hung?.close();
    await pagerDuty?.close();
    await moto?.stop();
  });

  it(
    'pages with what it could not read when Logs Insights and Contributor Insights hang',
    async () => {
      // Prepare
      const lines: Record<string, unknown>[] = [];
      const deps = depsWith({ sns: true, secrets: true }, lines);
      const before = pagerDuty.requests.length;
      await pagesDelivered();

      // Act
      const summary = await handleSnsEvent(alarmEvent(), deps);

      // Assess
      expect(summary).toEqual({ paged: 1, recovered: 0, ignored: 0 });
      const [page, ...more] = await pagesDelivered();
      expect(more).toHaveLength(0);
      expect(page).toMatchObject({ kind: 'alarm', source: null, totals: null, top: [] });
      const notes = ((page?.notes ?? []) as string[]).join('\n');
      expect(notes).toMatch(/Logs Insights query failed: (AbortError|TimeoutError)/);
      expect(notes).toMatch(/Contributor Insights report failed: TimeoutError/);
      expect(requestsFor(/GetInsightRuleReport/)).toBeLessThanOrEqual(NOTIFIER_AWS_CALLS.attempts);
      expect(pagerDuty.requests.slice(before).map((r) => r.body?.event_action)).toEqual([
        'trigger',
      ]);
    },
    LAMBDA_TIMEOUT_MS
  );

  it(
    'fails the invocation when the pages topic hangs, after a bounded number of attempts, PagerDuty having its trigger',
    async () => {
      // Prepare
      const lines: Record<string, unknown>[] = [];
      const deps = depsWith({ secrets: true }, lines);
      const before = pagerDuty.requests.length;
      const publishesBefore = requestsFor(/Publish/);

      // Act
      const outcome = handleSnsEvent(alarmEvent(), deps);

      // Assess: thrown, so that Lambda retries the invocation; no second form sent to a dead topic.
      await expect(outcome).rejects.toThrow(PageNotDeliveredError);
      await expect(outcome).rejects.toThrow(/pages topic did not answer: TimeoutError/);
      expect(requestsFor(/Publish/) - publishesBefore).toBe(NOTIFIER_AWS_CALLS.attempts);
      expect(lines.some((l) => l.msg === 'oidcwatch.notifier.undelivered')).toBe(true);
      expect(pagerDuty.requests.slice(before).map((r) => r.body?.event_action)).toEqual([
        'trigger',
      ]);
    },
    LAMBDA_TIMEOUT_MS
  );

  it(
    'pages on the topic and counts the PagerDuty failure when Secrets Manager hangs',
    async () => {
      // Prepare
      const lines: Record<string, unknown>[] = [];
      const deps = depsWith({ sns: true }, lines);
      const before = pagerDuty.requests.length;
      await pagesDelivered();

      // Act
      const summary = await handleSnsEvent(alarmEvent(), deps);

      // Assess
      expect(summary.paged).toBe(1);
      expect(await pagesDelivered()).toHaveLength(1);
      const failed = lines.find((l) => l.msg === 'oidcwatch.notifier.pagerduty_failed');
      expect(String(failed?.error)).toMatch(
        new RegExp(
          `^routing key: .*exceeded the configured ${NOTIFIER_AWS_CALLS.requestMs} ms requestTimeout`
        )
      );
      expect(failed?.PagerDutyDeliveryFailures).toBe(1);
      expect(pagerDuty.requests.length).toBe(before);
    },
    LAMBDA_TIMEOUT_MS
  );

  it(
    'pages on the topic and counts the PagerDuty failure when PagerDuty hangs',
    async () => {
      // Prepare
      const lines: Record<string, unknown>[] = [];
      const deps = depsWith({ sns: true, secrets: true }, lines);
      const before = pagerDuty.requests.length;
      await pagesDelivered();
      pagerDuty.answer(...Array.from({ length: PAGERDUTY_TIMING.attempts }, () => 'hang' as const));

      // Act
      const summary = await handleSnsEvent(alarmEvent(), deps);

      // Assess
      expect(summary.paged).toBe(1);
      expect(await pagesDelivered()).toHaveLength(1);
      const failed = lines.find((l) => l.msg === 'oidcwatch.notifier.pagerduty_failed');
      expect(failed).toMatchObject({
        attempts: PAGERDUTY_TIMING.attempts,
        status: null,
        error: `no answer within ${PAGERDUTY_TIMING.timeoutMs} ms`,
        PagerDutyDeliveryFailures: 1,
      });
      expect(pagerDuty.requests.length - before).toBe(PAGERDUTY_TIMING.attempts);
    },
    LAMBDA_TIMEOUT_MS
  );
});
