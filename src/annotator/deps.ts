/**
 * Builds the annotator's dependencies from its configuration. The Lambda's `index.ts` calls it
 * once at init; tests call it with their own clients, fetch and clock. The app's private key is
 * read from Secrets Manager on first use and kept in memory only (never logged, never in the
 * environment); a failed read is tried again on the next job.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ChangeMessageVisibilityCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { DynamoDbAnnotationStore } from '../adapters/annotations/dynamodb-annotation-store.js';
import { boundedRequestHandler } from '../adapters/aws-client-config.js';
import { GitHubConnection } from '../adapters/github/github-connection.js';
import { RateBudgets } from '../adapters/github/rate-budget.js';
import { RepositoryResolver } from '../adapters/github/repository-access.js';
import type { FailingJob } from '../domain/annotate/failing-jobs.js';
import { jsonLog, type NotifierLog } from '../notifier/log.js';
import { annotateFailingJob, DEFAULT_ANNOTATOR_OPTIONS } from './annotate-failing-job.js';
import type { AnnotatorConfig } from './config.js';
import type { AnnotatorHandlerDeps } from './handle-event.js';
import { encodeWorkItem } from './work-item.js';

/**
 * Every AWS call of the annotator (SQS, DynamoDB, Secrets Manager): one second to connect, five to
 * answer, two attempts. A hung dependency fails the invocation in about 11 s, well inside the
 * function's 60 s, so Lambda retries it (then the dead-letter queue) instead of it timing out.
 */
export const ANNOTATOR_AWS_CALLS = { connectMs: 1_000, requestMs: 5_000, attempts: 2 } as const;

/** Clients and seams tests replace. */
export interface AnnotatorOverrides {
  /**
   * Where the AWS clients built here connect, and who they are (tests); their timeouts and
   * retries stay {@link ANNOTATOR_AWS_CALLS}.
   */
  readonly clientConfig?: {
    readonly region?: string;
    readonly endpoint?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  readonly sqs?: SQSClient;
  readonly dynamoDb?: DynamoDBClient;
  readonly secrets?: SecretsManagerClient;
  readonly fetch?: typeof fetch;
  readonly log?: NotifierLog;
  readonly now?: () => number;
  /** Scales GitHub client waits (tests shrink them). */
  readonly retryUnitMs?: number;
  readonly writeSpacingMs?: number;
}

/** The largest SendMessageBatch. */
const BATCH = 10;

/**
 * The annotator's dependencies. Every AWS client honours `AWS_ENDPOINT_URL`.
 *
 * @example
 * ```ts
 * const deps = buildAnnotatorDeps(readAnnotatorConfig(process.env), process.env);
 * ```
 */
export function buildAnnotatorDeps(
  config: AnnotatorConfig,
  env: Readonly<Record<string, string | undefined>>,
  overrides: AnnotatorOverrides = {}
): AnnotatorHandlerDeps {
  const clientConfig = {
    region: env.AWS_REGION ?? 'us-east-1',
    ...overrides.clientConfig,
    maxAttempts: ANNOTATOR_AWS_CALLS.attempts,
    requestHandler: boundedRequestHandler(
      ANNOTATOR_AWS_CALLS.requestMs,
      ANNOTATOR_AWS_CALLS.connectMs
    ),
  };
  const log = overrides.log ?? jsonLog();
  const now = overrides.now ?? Date.now;
  const sqs = overrides.sqs ?? new SQSClient(clientConfig);
  const secrets = overrides.secrets ?? new SecretsManagerClient(clientConfig);
  const store = new DynamoDbAnnotationStore({
    client: overrides.dynamoDb ?? new DynamoDBClient(clientConfig),
    tableName: config.tableName,
    now,
  });
  const budgets = new RateBudgets({ callsPerHour: config.callsPerHour, now });
  let github: Promise<RepositoryResolver> | null = null;
  const resolver = (): Promise<RepositoryResolver> => {
    github ??= (async () => {
      const out = await secrets.send(
        new GetSecretValueCommand({ SecretId: config.privateKeySecret })
      );
      const privateKey = out.SecretString ?? '';
      if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey))
        throw new Error(
          `the secret ${config.privateKeySecret} does not hold a PEM private key (SecretString "-----BEGIN RSA PRIVATE KEY-----…")`
        );
      const connection = new GitHubConnection({
        baseUrl: config.apiUrl,
        credentials: { kind: 'app', appId: config.appId, privateKey },
        budgets,
        log,
        now,
        ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
        ...(overrides.retryUnitMs === undefined ? {} : { retryUnitMs: overrides.retryUnitMs }),
        ...(overrides.writeSpacingMs === undefined
          ? {}
          : { writeSpacingMs: overrides.writeSpacingMs }),
      });
      return new RepositoryResolver({ connection, now });
    })();
    github.catch(() => {
      github = null;
    });
    return github;
  };
  const options = {
    ...DEFAULT_ANNOTATOR_OPTIONS,
    pullRequestComments: config.pullRequestComments,
    match: { ...DEFAULT_ANNOTATOR_OPTIONS.match, lookbackMs: config.lookbackMs },
  };
  return {
    annotate: async (job: FailingJob) => {
      const r = await resolver();
      return annotateFailingJob(job, {
        resolve: (ref) => r.resolve(ref),
        store,
        options,
        log,
        now,
      });
    },
    enqueue: async (jobs) => {
      for (let i = 0; i < jobs.length; i += BATCH) {
        const chunk = jobs.slice(i, i + BATCH);
        const out = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: config.queueUrl,
            Entries: chunk.map((job, n) => ({ Id: `job${n}`, MessageBody: encodeWorkItem(job) })),
          })
        );
        if ((out.Failed ?? []).length > 0)
          throw new Error(
            `the work queue refused ${out.Failed?.length} failing job(s): ${out.Failed?.map((f) => f.Message ?? f.Code).join('; ')}`
          );
      }
    },
    defer: async (receiptHandle, delayMs) => {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: config.queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: Math.min(43_200, Math.ceil(delayMs / 1000)),
        })
      );
    },
    log,
    namespace: config.namespace,
    now,
  };
}
