import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ANNOTATION_TABLE_KEYS } from '../../src/adapters/annotations/dynamodb-annotation-store.js';
import { COUNTED_OUTCOMES } from '../../src/annotator/annotate-failing-job.js';
import { DEFAULT_NAMESPACE, DIMENSION, METRIC } from '../../src/domain/metric-names.js';
import { esmBundling, PROJECT_ROOT } from '../lib/lambda-bundling.js';

/**
 * The processor's failure result lines (`RESULT_MESSAGE` of `src/adapters/log/result-logger.ts`
 * with `outcome` failure): all the subscription delivers to the annotator.
 */
export const FAILURE_LINES_PATTERN = '{ ($.msg = "oidcwatch.result") && ($.outcome = "failure") }';

/** The table actions the annotator uses, and no others. */
export const ANNOTATION_TABLE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:DeleteItem',
] as const;

/** Properties of {@link Annotator}. */
export interface AnnotatorProps {
  /** The processor's log group (its result lines). */
  readonly processorLogGroup: logs.ILogGroup;
  /** The GitHub App's id (or client id). */
  readonly appId: string;
  /**
   * The Secrets Manager secret (name or ARN) whose SecretString is the app's PEM private key. The
   * function reads it at run time; it is never in the template or the environment.
   */
  readonly privateKeySecret: string;
  /**
   * The GitHub API base URL (GitHub Enterprise Server: `https://HOST/api/v3`; GHE.com:
   * `https://api.SUBDOMAIN.ghe.com`).
   *
   * @default 'https://api.github.com'
   */
  readonly apiUrl?: string;
  /**
   * Also comment on the pull request of pull-request runs (the app then needs "Pull requests:
   * write").
   *
   * @default false
   */
  readonly pullRequestComments?: boolean;
  /** Where the dead-letter queue's alarm goes (the on-call topic). @default no action */
  readonly alarmTopic?: sns.ITopic;
  /** GitHub API calls per installation and hour. @default 1000 */
  readonly callsPerHour?: number;
  /** @default 'OIDCWatch' */
  readonly namespace?: string;
  /** @default 'oidcwatch' */
  readonly namePrefix?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default `src/annotator/index.ts` */
  readonly entry?: string;
}

/**
 * The annotator: tells the person whose GitHub Actions job failed why, on the failing run. A
 * CloudWatch Logs subscription on the processor's failure lines invokes it (nothing is added to
 * the processor's path); it puts one message per failing job on its work queue, and annotates each
 * from there as a GitHub App: one check run per failing job, de-duplicated in a DynamoDB table.
 * GitHub rate limits and outages give the message back with a delay; after 12 receipts (hours)
 * it lands in a dead-letter queue whose alarm goes to `alarmTopic`.
 *
 * Permissions: `secretsmanager:GetSecretValue` on the key's secret; `PutItem`, `GetItem`,
 * `DeleteItem` on its table; send to and consume from its queue; writing its log group. No
 * GitHub permission lives in AWS: the app's installation decides what it may do.
 *
 * @example
 * ```ts
 * new Annotator(this, 'Annotator', {
 *   processorLogGroup: processor.logGroup,
 *   appId: '123456',
 *   privateKeySecret: 'oidcwatch/github-app-private-key',
 *   alarmTopic: onCall.topic,
 * });
 * ```
 */
export class Annotator extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** One message per failing job. */
  readonly queue: sqs.Queue;
  /** Failing jobs that could not be annotated after every retry, and intake deliveries that failed. */
  readonly deadLetterQueue: sqs.Queue;
  /** Claims and outcomes per failing job (one post per job). */
  readonly table: dynamodb.Table;
  readonly subscription: logs.SubscriptionFilter;
  /** Anything in the dead-letter queue. */
  readonly deadLetterAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: AnnotatorProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'oidcwatch';
    const functionName = `${prefix}-annotator`;
    const stack = Stack.of(this);
    const timeout = Duration.seconds(60);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is the dead-letter queue of the annotator (its work queue and the failed intake deliveries); its depth is alarmed on.',
    });
    this.queue = new sqs.Queue(this, 'WorkQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(4),
      // Six times the function timeout, as AWS advises for Lambda event sources.
      visibilityTimeout: Duration.seconds(timeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 12 },
    });

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: ANNOTATION_TABLE_KEYS.partition, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: ANNOTATION_TABLE_KEYS.ttl,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.table).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'The items are short-lived claims that keep a failing job from being posted twice; they expire after days, and a restore would bring back nothing worth having.',
    });

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role with an inline log policy instead of AWSLambdaBasicExecutionRole (which
    // allows writing to every log group of the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'oidcwatch annotator: posts failure diagnoses on GitHub Actions runs',
    });
    this.logGroup.grantWrite(this.role);

    const secretArn = props.privateKeySecret.startsWith('arn:')
      ? props.privateKeySecret
      : // A secret's ARN ends in -XXXXXX (six random characters) after its name.
        stack.formatArn({
          service: 'secretsmanager',
          resource: 'secret',
          resourceName: `${props.privateKeySecret}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'ReadGitHubAppPrivateKey',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [secretArn],
        }),
        new iam.PolicyStatement({
          sid: 'ClaimFailingJobs',
          actions: [...ANNOTATION_TABLE_ACTIONS],
          resources: [this.table.tableArn],
        }),
        new iam.PolicyStatement({
          sid: 'QueueFailingJobs',
          actions: ['sqs:SendMessage', 'sqs:ChangeMessageVisibility'],
          resources: [this.queue.queueArn],
        }),
      ],
    });
    this.role.attachInlinePolicy(policy);

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description:
        'oidcwatch: posts the diagnosis of failed AWS role assumptions on GitHub Actions runs',
      entry: props.entry ?? `${PROJECT_ROOT}src/annotator/index.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      timeout,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        OIDCWATCH_GITHUB_APP_ID: props.appId,
        OIDCWATCH_GITHUB_PRIVATE_KEY_SECRET: secretArn.includes('??????')
          ? props.privateKeySecret
          : secretArn,
        GITHUB_API_URL: props.apiUrl ?? 'https://api.github.com',
        OIDCWATCH_ANNOTATION_TABLE: this.table.tableName,
        OIDCWATCH_ANNOTATION_QUEUE_URL: this.queue.queueUrl,
        OIDCWATCH_PULL_REQUEST_COMMENTS: props.pullRequestComments === true ? 'true' : 'false',
        OIDCWATCH_GITHUB_CALLS_PER_HOUR: `${props.callsPerHour ?? 1000}`,
        OIDCWATCH_NAMESPACE: props.namespace ?? DEFAULT_NAMESPACE,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: esmBundling({ requireShim: true }),
      // The intake (CloudWatch Logs invokes asynchronously): retried, then parked.
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    });
    this.function.node.addDependency(policy);
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata('cfn-lint', {
      config: { ignore_checks: ['W3005'] },
    });
    // Two concurrent batches at most: GitHub's secondary limits count concurrent requests.
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 5,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      })
    );

    this.subscription = new logs.SubscriptionFilter(this, 'FailureLines', {
      logGroup: props.processorLogGroup,
      destination: new logsDestinations.LambdaDestination(this.function),
      filterPattern: logs.FilterPattern.literal(FAILURE_LINES_PATTERN),
      filterName: `${prefix}-annotator`,
    });

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${prefix}-annotator-dead-letters`,
      alarmDescription:
        'Failing jobs wait in the annotator dead-letter queue: they could not be posted on GitHub after every retry (GitHub down or rate limiting for hours, the app key unreadable). Read the annotator log group for oidcwatch.annotator.deferred, fix, then redrive the queue (docs/annotator.md).',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic !== undefined) {
      const action = new actions.SnsAction(props.alarmTopic);
      this.deadLetterAlarm.addAlarmAction(action);
      this.deadLetterAlarm.addOkAction(action);
    }
  }
}

/**
 * The dashboard widget of the annotator: `Annotations` per `Outcome` (posted, unmatched, not
 * installed, failed), as a dashboard-body widget placed below `belowY`.
 */
export function annotationsWidget(belowY: number): Record<string, unknown> {
  return {
    type: 'metric',
    x: 0,
    y: belowY,
    width: 12,
    height: 6,
    properties: {
      title: 'Annotations on GitHub runs by outcome',
      region: '${Region}',
      view: 'timeSeries',
      stacked: true,
      period: 300,
      stat: 'Sum',
      metrics: COUNTED_OUTCOMES.map((outcome) => [
        '${Namespace}',
        METRIC.Annotations,
        DIMENSION.Outcome,
        outcome,
        { label: outcome.replace('_', ' ') },
      ]),
    },
  };
}

/** `template` (a dashboard body) with the annotator's widget added at the bottom. */
export function withAnnotationsWidget(template: unknown): unknown {
  const body = structuredClone(template) as { widgets?: { y?: number; height?: number }[] };
  const widgets = body.widgets ?? [];
  const bottom = widgets.reduce((max, w) => Math.max(max, (w.y ?? 0) + (w.height ?? 0)), 0);
  return { ...body, widgets: [...widgets, annotationsWidget(bottom)] };
}
