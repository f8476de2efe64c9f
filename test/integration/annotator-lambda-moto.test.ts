/**
 * The annotator Lambda end to end on local services: the processor's real result lines (written by
 * its logger) arrive as CloudWatch Logs subscription deliveries, the intake puts one message per
 * failing job on an SQS queue (moto_server), workers with the DynamoDB claim table (moto_server)
 * and the private key from Secrets Manager (moto_server) annotate the job on the GitHub fake.
 * Covers: one post per failing job under a burst of retries, redeliveries and two concurrent
 * workers; an outage that loses nothing (deferred, released, posted once after recovery); a
 * rate limit's `retry-after` honoured; the dead-letter queue after the last receipt; the metric.
 */

import { Writable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, logResult } from '../../src/adapters/log/result-logger.js';
import type { AnnotatorConfig } from '../../src/annotator/config.js';
import { buildAnnotatorDeps } from '../../src/annotator/deps.js';
import { handleAnnotatorEvent } from '../../src/annotator/handle-event.js';
import { type FailingJob, groupFailingJobs } from '../../src/domain/annotate/failing-jobs.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { jsonLog } from '../../src/notifier/log.js';
import {
  type FakeGitHub,
  secondaryRateLimitAnswer,
  startFakeGitHub,
} from '../helpers/fake-github/server.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';
import { sampleDiagnoses, seedRunOf } from '../helpers/sample-run.js';

const RUN = shouldRunMotoSuite('annotator Lambda against moto_server');
const SHA = '3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f6a7b8c9d0e';

let moto: Moto;
let diagnoses: Diagnosis[];
let burst: FailingJob;
let counter = 0;
let gh: FakeGitHub | null = null;

/** The processor's real log lines (pino, redaction, failingJobKey) for `ds`. */
function processorLines(ds: readonly Diagnosis[]): string[] {
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk).trim());
        done();
      },
    }) as never
  );
  for (const d of ds) logResult(logger, d);
  return lines;
}

/** A CloudWatch Logs subscription delivery of `lines`. */
function delivery(lines: readonly string[]): { awslogs: { data: string } } {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '111122223333',
    logGroup: '/aws/lambda/oidcwatch-processor',
    logStream: '2026/11/27/[$LATEST]0123456789abcdef',
    subscriptionFilters: ['oidcwatch-annotator'],
    logEvents: lines.map((message, i) => ({
      id: `3787${i}`,
      timestamp: 1795787140000 + i,
      message,
    })),
  };
  return { awslogs: { data: gzipSync(JSON.stringify(payload)).toString('base64') } };
}

interface Env {
  readonly config: AnnotatorConfig;
  readonly sqs: SQSClient;
  readonly dynamoDb: DynamoDBClient;
  readonly secrets: SecretsManagerClient;
  readonly dlqUrl: string;
  readonly sent: { name: string; input: Record<string, unknown> }[];
  readonly logLines: Record<string, unknown>[];
  deps(): ReturnType<typeof buildAnnotatorDeps>;
  receive(): Promise<Message[]>;
}

async function environment(maxReceiveCount = 12): Promise<Env> {
  counter += 1;
  gh = await startFakeGitHub();
  seedRunOf(gh, burst, SHA);
  const aws = motoClientConfig(moto.endpoint);
  const sqs = new SQSClient(aws);
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({
        name: String(context.commandName),
        input: args.input as Record<string, unknown>,
      });
      return next(args);
    },
    { step: 'initialize' }
  );
  const dynamoDb = new DynamoDBClient(aws);
  const secrets = new SecretsManagerClient(aws);
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `annotator-dlq-${counter}` }));
  const dlqArn = (
    await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] })
    )
  ).Attributes?.QueueArn;
  const queue = await sqs.send(
    new CreateQueueCommand({
      QueueName: `annotator-work-${counter}`,
      Attributes: {
        VisibilityTimeout: '360',
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }),
      },
    })
  );
  const tableName = `annotations-${counter}`;
  await dynamoDb.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    })
  );
  const secret = await secrets.send(
    new CreateSecretCommand({
      Name: `oidcwatch/github-app-${counter}`,
      SecretString: gh.app.privateKey,
    })
  );
  const config: AnnotatorConfig = {
    appId: String(gh.app.id),
    privateKeySecret: secret.ARN as string,
    apiUrl: gh.url,
    tableName,
    queueUrl: queue.QueueUrl as string,
    pullRequestComments: false,
    namespace: 'OIDCWatch',
    callsPerHour: 1000,
    lookbackMs: 6 * 3_600_000,
  };
  const logLines: Record<string, unknown>[] = [];
  const log = jsonLog((line) => logLines.push(JSON.parse(line) as Record<string, unknown>));
  return {
    config,
    sqs,
    dynamoDb,
    secrets,
    dlqUrl: dlq.QueueUrl as string,
    sent,
    logLines,
    deps: () =>
      buildAnnotatorDeps(
        config,
        { AWS_REGION: 'us-east-1' },
        { sqs, dynamoDb, secrets, log, retryUnitMs: 1, writeSpacingMs: 0 }
      ),
    receive: async () =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: config.queueUrl,
            MaxNumberOfMessages: 10,
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          })
        )
      ).Messages ?? [],
  };
}

function sqsEvent(messages: readonly Message[]) {
  return {
    Records: messages.map((m) => ({
      messageId: m.MessageId as string,
      receiptHandle: m.ReceiptHandle as string,
      body: m.Body as string,
      eventSource: 'aws:sqs',
      attributes: { ApproximateReceiveCount: m.Attributes?.ApproximateReceiveCount ?? '1' },
    })),
  };
}

describe.runIf(RUN)(
  'annotator Lambda (intake, queue, workers) on moto_server and the GitHub fake',
  () => {
    beforeAll(async () => {
      moto = await startMoto();
      diagnoses = await sampleDiagnoses();
      const jobs = groupFailingJobs(diagnoses);
      const biggest = [...jobs].sort((a, b) => b.attempts - a.attempts)[0];
      if (biggest === undefined) throw new Error('no failing job in the sample data');
      burst = biggest;
    });
    afterAll(async () => {
      await moto?.stop();
    });
    afterEach(async () => {
      await gh?.close();
      gh = null;
    });

    it('posts exactly one check run for a burst of retries delivered in pieces, redelivered, and worked by two instances at once', async () => {
      // Prepare
      const env = await environment();
      const lines = processorLines(
        diagnoses.filter(
          (d) => d.sub === burst.diagnosis.sub && d.roleArn === burst.diagnosis.roleArn
        )
      );
      const intake = env.deps();
      const third = Math.ceil(lines.length / 3);

      // Act
      for (const part of [
        lines.slice(0, third),
        lines.slice(third, 2 * third),
        lines.slice(2 * third),
        lines.slice(0, third),
      ])
        await handleAnnotatorEvent(delivery(part), intake);
      const messages = await env.receive();
      const half = Math.ceil(messages.length / 2);
      const first = await Promise.all([
        handleAnnotatorEvent(sqsEvent(messages.slice(0, half)), env.deps()),
        handleAnnotatorEvent(sqsEvent(messages.slice(half)), env.deps()),
      ]);
      // A message whose job another instance was posting at that moment came back later.
      const busy = first.flatMap((r) => (r.source === 'queue' ? r.batchItemFailures : []));
      for (const m of messages.filter((x) => busy.some((b) => b.itemIdentifier === x.MessageId)))
        await env.sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: env.config.queueUrl,
            ReceiptHandle: m.ReceiptHandle,
            VisibilityTimeout: 0,
          })
        );
      const returned = await env.receive();
      const second = await handleAnnotatorEvent(sqsEvent(returned), env.deps());

      // Assess
      expect(lines.length).toBe(burst.attempts);
      expect(messages.length).toBeGreaterThanOrEqual(2);
      expect(returned.map((m) => m.MessageId).sort()).toEqual(
        busy.map((b) => b.itemIdentifier).sort()
      );
      expect(second).toEqual({ source: 'queue', batchItemFailures: [] });
      expect(gh?.world.checkRuns).toHaveLength(1);
      expect(gh?.violations).toEqual([]);
      const outcomes = env.logLines
        .filter((l) => l.msg === 'oidcwatch.annotator.result')
        .map((l) => l.outcome);
      expect(outcomes.filter((o) => o === 'posted')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(messages.length - 1);
      const posted = env.logLines.find((l) => l.outcome === 'posted');
      expect(posted).toMatchObject({
        Outcome: 'posted',
        Annotations: 1,
        _aws: {
          CloudWatchMetrics: [
            {
              Namespace: 'OIDCWatch',
              Dimensions: [['Outcome']],
              Metrics: [{ Name: 'Annotations', Unit: 'Count' }],
            },
          ],
        },
      });
    });

    it('loses nothing in a GitHub outage: the job is deferred and released, then posted once after recovery', async () => {
      // Prepare
      const env = await environment();
      const lines = processorLines([burst.diagnosis]);
      await handleAnnotatorEvent(delivery(lines), env.deps());
      const [message] = await env.receive();
      gh?.outage(true);

      // Act
      const during = await handleAnnotatorEvent(sqsEvent(message ? [message] : []), env.deps());
      const claims = await env.dynamoDb.send(new ScanCommand({ TableName: env.config.tableName }));
      const hidden = await env.receive();
      gh?.outage(false);
      // Time passes: the message becomes visible again.
      await env.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: env.config.queueUrl,
          ReceiptHandle: message?.ReceiptHandle,
          VisibilityTimeout: 0,
        })
      );
      const again = await env.receive();
      const after = await handleAnnotatorEvent(sqsEvent(again), env.deps());

      // Assess
      expect(during).toEqual({
        source: 'queue',
        batchItemFailures: [{ itemIdentifier: message?.MessageId }],
      });
      expect(
        env.sent.find((c) => c.name === 'ChangeMessageVisibilityCommand')?.input.VisibilityTimeout
      ).toBe(30);
      expect(claims.Items).toEqual([]);
      expect(hidden).toEqual([]);
      expect(again.map((m) => m.MessageId)).toEqual([message?.MessageId]);
      expect(after).toEqual({ source: 'queue', batchItemFailures: [] });
      expect(gh?.world.checkRuns).toHaveLength(1);
    });

    it("hides the job for as long as GitHub's retry-after asks", async () => {
      // Prepare
      const env = await environment();
      await handleAnnotatorEvent(delivery(processorLines([burst.diagnosis])), env.deps());
      const messages = await env.receive();
      gh?.script({
        ...secondaryRateLimitAnswer(900),
        when: (r) => r.route?.endsWith('/actions/runs') ?? false,
      });

      // Act
      const r = await handleAnnotatorEvent(sqsEvent(messages), env.deps());

      // Assess
      expect(r).toMatchObject({ source: 'queue', batchItemFailures: [{}] });
      expect(
        env.sent.find((c) => c.name === 'ChangeMessageVisibilityCommand')?.input.VisibilityTimeout
      ).toBe(900);
      expect(gh?.world.checkRuns).toEqual([]);
    });

    it('moves the job to the dead-letter queue after its last receipt', async () => {
      // Prepare
      const env = await environment(2);
      await handleAnnotatorEvent(delivery(processorLines([burst.diagnosis])), env.deps());
      gh?.outage(true);

      // Act
      for (let receipt = 1; receipt <= 2; receipt += 1) {
        const messages = await env.receive();
        await handleAnnotatorEvent(sqsEvent(messages), env.deps());
        for (const m of messages)
          await env.sqs.send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: env.config.queueUrl,
              ReceiptHandle: m.ReceiptHandle,
              VisibilityTimeout: 0,
            })
          );
      }
      await env.receive();
      const parked =
        (
          await env.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: env.dlqUrl, MaxNumberOfMessages: 10 })
          )
        ).Messages ?? [];

      // Assess
      expect(parked).toHaveLength(1);
      expect(JSON.parse(parked[0]?.Body ?? '{}')).toMatchObject({
        v: 1,
        key: expect.stringContaining(burst.diagnosis.sub ?? ''),
      });
    });
  }
);
