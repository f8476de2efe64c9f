import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { DEFAULT_NAMESPACE, METRIC } from '../../src/domain/metric-names.js';
import { PAGERDUTY_EVENTS_URL } from '../../src/domain/page/render-pagerduty.js';
import { hungInvocationBoundMs } from '../../src/notifier/time-budget.js';
import { allowAlarmsToPublish } from '../lib/alarm-publish-grant.js';
import { esmBundling, PROJECT_ROOT } from '../lib/lambda-bundling.js';

/** The key of a CloudWatch alarm notification's body the notifier's subscription filters on. */
export const ALARM_STATE_KEY = 'NewStateValue';

/** The alarm states the notifier turns into pages (INSUFFICIENT_DATA does not page). */
export const PAGED_STATES = ['ALARM', 'OK'] as const;

/**
 * PagerDuty: the notifier posts each page's Events API v2 event itself (outbound HTTPS from the
 * function, which is not in a VPC), retrying throttling and server errors.
 */
export interface NotifierPagerDutyProps {
  /**
   * The integration's routing key: a Secrets Manager secret (name, ARN, or `ISecret`) whose
   * SecretString is the key (or JSON with a `routing_key` field). The notifier reads it at run
   * time and caches it for five minutes; the key is never in the template or the environment.
   * The function may `secretsmanager:GetSecretValue` on this secret only (a secret encrypted with
   * a customer-managed key also needs `kms:Decrypt` on that key for the notifier's role).
   */
  readonly routingKeySecret: string | secretsmanager.ISecret;
  /**
   * The Events API endpoint the notifier posts to (`https://`). Accounts in PagerDuty's EU service
   * region use `PAGERDUTY_EU_EVENTS_URL`.
   *
   * @default PAGERDUTY_EVENTS_URL (US service region)
   */
  readonly endpoint?: string;
}

/** Properties of {@link Notifier}. */
export interface NotifierProps {
  /** The topic the alarms notify: the notifier subscribes to it. */
  readonly alarmTopic: sns.ITopic;
  /** The processor's log group (the result lines the summary is read from). */
  readonly processorLogGroup: logs.ILogGroup;
  /**
   * The Contributor Insights rule keyed by `$.repositoryKey` then `$.cause`, read when Logs Insights
   * cannot answer.
   *
   * @default no fallback
   */
  readonly insightRuleName?: string;
  /** Name of the oidcwatch dashboard (the page links to it). */
  readonly dashboardName: string;
  /**
   * An e-mail address subscribed to the pages (confirm it from the e-mail).
   *
   * @default no subscription
   */
  readonly email?: string;
  /**
   * PagerDuty: the notifier also sends each page as an Events API v2 event.
   *
   * @default no PagerDuty events
   */
  readonly pagerDuty?: NotifierPagerDutyProps;
  /**
   * CloudWatch namespace of the notifier's metric (`PagerDutyDeliveryFailures`).
   *
   * @default DEFAULT_NAMESPACE
   */
  readonly namespace?: string;
  /**
   * Prefix of the function, topic and alarms.
   *
   * @default 'oidcwatch'
   */
  readonly namePrefix?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * How long the Logs Insights queries may run before the page goes out without them. At most
   * 26 s: the rest of the function's minute is for the other dependencies' own timeouts (a longer
   * one fails synthesis).
   *
   * @default Duration.seconds(20)
   */
  readonly queryTimeout?: Duration;
  /**
   * The handler source.
   *
   * @default `src/notifier/index.ts`
   */
  readonly entry?: string;
}

/**
 * The on-call notifier: a Lambda subscribed to the alarm topic that turns each alarm transition
 * into a page saying what broke (totals, failing jobs, top repositories with cause, explanation,
 * fix and change annotation, dashboard link) and publishes it to a topic of its own (e-mail, AWS
 * Chatbot, queues) and, when configured, posts it to PagerDuty's Events API v2 itself (an SNS
 * HTTPS subscription would wait forever for the Events API to confirm it).
 *
 * The notifier cannot page itself: it publishes only to its own topic, never to the alarm topic;
 * its subscription lets through only alarm notifications (a body filter on `NewStateValue`); its
 * handler ignores anything carrying `oidcwatch_origin` too. Its
 * own alarms (errors; PagerDuty events not delivered) go to the pages topic directly, not through
 * the notifier.
 *
 * Permissions: `logs:StartQuery` on the processor's log group, `logs:GetQueryResults` (no
 * resource-level permission exists), `cloudwatch:GetInsightRuleReport` on the one rule,
 * `sns:Publish` on its topic and the KMS calls SNS encryption needs on its key, and
 * `secretsmanager:GetSecretValue` on the PagerDuty routing key's secret (the Events API is public
 * HTTPS).
 *
 * @example
 * ```ts
 * new Notifier(this, 'Notifier', {
 *   alarmTopic: onCall.topic,
 *   processorLogGroup: processor.logGroup,
 *   insightRuleName: breakdown.repositoryCauseRule.attrRuleName,
 *   dashboardName: 'oidcwatch-failures',
 *   email: 'oncall@example.com',
 * });
 * ```
 */
export class Notifier extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;
  /** The topic pages go to (subscribe e-mail, AWS Chatbot, queues here). */
  readonly pageTopic: sns.Topic;
  /** The key of the pages topic. */
  readonly key: kms.Key;
  /** The secret the PagerDuty routing key is read from, when PagerDuty is configured. */
  readonly routingKeySecret: secretsmanager.ISecret | undefined;
  /** The notifier's own errors (notifies the pages topic directly). */
  readonly errorsAlarm: cloudwatch.Alarm;
  /**
   * PagerDuty events not delivered after the retries (notifies the pages topic directly), when
   * PagerDuty is configured.
   */
  readonly pagerDutyAlarm: cloudwatch.Alarm | undefined;

  constructor(scope: Construct, id: string, props: NotifierProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'oidcwatch';
    const functionName = `${prefix}-notifier`;

    // Alarms cannot publish to a topic encrypted with alias/aws/sns: a customer-managed key whose
    // policy admits CloudWatch (the notifier's own errors alarm publishes to the pages topic).
    this.key = new kms.Key(this, 'Key', {
      description: 'oidcwatch pages topic encryption',
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.pageTopic = new sns.Topic(this, 'PageTopic', {
      topicName: `${prefix}-pages`,
      displayName: 'oidcwatch on-call',
      masterKey: this.key,
      enforceSSL: true,
    });
    allowAlarmsToPublish(this.pageTopic, this.key, prefix);
    if (props.email !== undefined)
      this.pageTopic.addSubscription(new subscriptions.EmailSubscription(props.email));

    const namespace = props.namespace ?? DEFAULT_NAMESPACE;
    this.routingKeySecret =
      props.pagerDuty === undefined
        ? undefined
        : importSecret(this, props.pagerDuty.routingKeySecret);
    const pagerDutyEnv: Record<string, string> =
      props.pagerDuty === undefined || this.routingKeySecret === undefined
        ? {}
        : {
            OIDCWATCH_PAGERDUTY_EVENTS_URL: eventsUrl(props.pagerDuty.endpoint),
            OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET: this.routingKeySecret.secretArn,
          };

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // An explicit role with an inline log policy instead of AWSLambdaBasicExecutionRole (which
    // allows writing to every log group of the account).
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'oidcwatch notifier: reads the processor result lines, publishes pages',
    });
    this.logGroup.grantWrite(this.role);
    const policy = new iam.Policy(this, 'Policy', {
      statements: this.#statements(props),
    });
    if (this.routingKeySecret !== undefined)
      policy.addStatements(
        new iam.PolicyStatement({
          sid: 'ReadPagerDutyRoutingKey',
          actions: ['secretsmanager:GetSecretValue'],
          resources: [secretResource(this.routingKeySecret)],
        })
      );
    this.role.attachInlinePolicy(policy);
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'logs:GetQueryResults supports no resource-level permission (IAM requires Resource "*"); it only reads the results of a query id, and StartQuery is limited to the processor log group.',
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to an SSE-KMS topic needs kms:GenerateDataKey* and kms:Decrypt (SNS documentation); both are limited to the key of the notifier pages topic.',
    });

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      description: 'oidcwatch: pages on-call with what broke when an oidcwatch alarm changes state',
      entry: props.entry ?? `${PROJECT_ROOT}src/notifier/index.ts`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      // Even with every dependency hung, the page goes out or fails before this (see below).
      timeout: NOTIFIER_TIMEOUT,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        OIDCWATCH_PAGE_TOPIC_ARN: this.pageTopic.topicArn,
        OIDCWATCH_LOG_GROUP_NAME: props.processorLogGroup.logGroupName,
        OIDCWATCH_INSIGHT_RULE_NAME: props.insightRuleName ?? '',
        OIDCWATCH_DASHBOARD_URL: dashboardUrl(Stack.of(this).region, props.dashboardName),
        OIDCWATCH_QUERY_TIMEOUT_SECONDS: `${queryTimeout(props.queryTimeout).toSeconds()}`,
        OIDCWATCH_NAMESPACE: namespace,
        NODE_OPTIONS: '--enable-source-maps',
        ...pagerDutyEnv,
      },
      bundling: esmBundling(),
      // A page older than an hour is history, not a page.
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    this.function.node.addDependency(policy);
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata('cfn-lint', {
      config: { ignore_checks: ['W3005'] },
    });

    // Filtered on the message body: a CloudWatch alarm notification carries no message attribute
    // (an attribute-scoped policy, even `exists: false`, would drop every one), but its JSON body
    // has `NewStateValue`. ALARM and OK pass; the notifier's own pages (text, or a page object
    // without that key) never do: the loop guard.
    props.alarmTopic.addSubscription(
      new subscriptions.LambdaSubscription(this.function, {
        filterPolicyWithMessageBody: {
          [ALARM_STATE_KEY]: sns.FilterOrPolicy.filter(
            sns.SubscriptionFilter.stringFilter({ allowlist: [...PAGED_STATES] })
          ),
        },
      })
    );

    this.errorsAlarm = new cloudwatch.Alarm(this, 'Errors', {
      alarmName: `${prefix}-notifier-errors`,
      alarmDescription: `The oidcwatch notifier could not publish a page (Lambda retries it twice): an alarm went unexplained. This alarm reaches the pages topic without the notifier. Read /aws/lambda/${functionName} for oidcwatch.notifier.undelivered, and open the dashboard.`,
      metric: this.function.metricErrors({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.SUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const direct = new actions.SnsAction(this.pageTopic);
    this.errorsAlarm.addAlarmAction(direct);
    this.errorsAlarm.addOkAction(direct);

    if (props.pagerDuty !== undefined) {
      // The page itself went to the pages topic; this says PagerDuty has no incident for it.
      this.pagerDutyAlarm = new cloudwatch.Alarm(this, 'PagerDutyFailures', {
        alarmName: `${prefix}-notifier-pagerduty`,
        alarmDescription: `The oidcwatch notifier could not deliver a PagerDuty event after its retries: the page went to the pages topic (e-mail, chat) but PagerDuty has no incident, or no resolve, for it. Read /aws/lambda/${functionName} for oidcwatch.notifier.pagerduty_failed (HTTP status and PagerDuty's answer; HTTP 400 is a rejected event or routing key), and check the routing key secret and PagerDuty's status.`,
        metric: new cloudwatch.Metric({
          namespace,
          metricName: METRIC.PagerDutyDeliveryFailures,
          period: Duration.minutes(1),
          statistic: cloudwatch.Stats.SUM,
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      // The ALARM only: the metric counts events, so OK a minute later would say nothing.
      this.pagerDutyAlarm.addAlarmAction(direct);
    }
  }

  #statements(props: NotifierProps): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const logGroupArn = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: props.processorLogGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'QueryProcessorResultLines',
        actions: ['logs:StartQuery'],
        // The log group as IAM names it, and as CloudWatch Logs returns it (with `:*`).
        resources: [logGroupArn, props.processorLogGroup.logGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadQueryResults',
        actions: ['logs:GetQueryResults'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'PublishPages',
        actions: ['sns:Publish'],
        resources: [this.pageTopic.topicArn],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptPages',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: [this.key.keyArn],
      }),
    ];
    if (props.insightRuleName !== undefined)
      statements.push(
        new iam.PolicyStatement({
          sid: 'ReadRepositoryCauseReport',
          actions: ['cloudwatch:GetInsightRuleReport'],
          resources: [
            stack.formatArn({
              service: 'cloudwatch',
              resource: 'insight-rule',
              resourceName: props.insightRuleName,
              arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
            }),
          ],
        })
      );
    return statements;
  }
}

/** The notifier function's timeout. */
const NOTIFIER_TIMEOUT = Duration.seconds(60);

/**
 * The queries' timeout, checked against the function's: with every dependency hung (queries,
 * fallback report, pages topic, secret, PagerDuty), an invocation must still end in time to
 * publish the page or fail so that Lambda retries it.
 */
function queryTimeout(given: Duration | undefined): Duration {
  const timeout = given ?? Duration.seconds(20);
  const bound = hungInvocationBoundMs(timeout.toMilliseconds());
  if (bound >= NOTIFIER_TIMEOUT.toMilliseconds())
    throw new Error(
      `Notifier: queryTimeout ${timeout.toSeconds()} s leaves the page no time: with every dependency hung an invocation takes up to ${bound / 1000} s, over the function's ${NOTIFIER_TIMEOUT.toSeconds()} s timeout`
    );
  return timeout;
}

/** The Events API URL, checked when it is known at synthesis. */
function eventsUrl(endpoint: string | undefined): string {
  const url = endpoint ?? PAGERDUTY_EVENTS_URL;
  if (!Token.isUnresolved(url) && !/^https:\/\/[^/\s]+\/\S*$/.test(url))
    throw new Error(`Notifier: pagerDuty.endpoint must be an https:// URL, got "${url}"`);
  return url;
}

/** A secret given by name or ARN (an ARN without the six-character suffix is partial). */
function importSecret(
  scope: Construct,
  secret: string | secretsmanager.ISecret
): secretsmanager.ISecret {
  if (typeof secret !== 'string') return secret;
  if (!secret.startsWith('arn:'))
    return secretsmanager.Secret.fromSecretNameV2(scope, 'RoutingKeySecret', secret);
  return /-[A-Za-z0-9]{6}$/.test(secret)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'RoutingKeySecret', secret)
    : secretsmanager.Secret.fromSecretPartialArn(scope, 'RoutingKeySecret', secret);
}

/** The secret's ARN as IAM matches it (`-??????` for the suffix a name or partial ARN lacks). */
function secretResource(secret: secretsmanager.ISecret): string {
  return secret.secretFullArn ?? `${secret.secretArn}-??????`;
}

/** The CloudWatch console URL of a dashboard. */
export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;
}
