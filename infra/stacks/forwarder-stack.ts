import {
  Aws,
  CfnCondition,
  CfnOutput,
  CfnParameter,
  DefaultStackSynthesizer,
  Duration,
  Fn,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ConfigurationChangeRule } from '../constructs/configuration-change-rule.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { FailureRules } from '../constructs/failure-rules.js';
import { allowAlarmsToPublish } from '../lib/alarm-publish-grant.js';

/** Prefix of the forwarder's alarm names (the topic policy admits these alarms only). */
export const FORWARDER_ALARM_PREFIX = 'oidcwatch-forwarder';

/** Properties of {@link ForwarderStack}. */
export interface ForwarderStackProps extends StackProps {
  /**
   * Default of the `CentralEventBusArn` parameter (the monitor stack's `CentralEventBusArn`
   * output).
   *
   * @default none: the parameter must be given at deployment
   */
  readonly centralEventBusArn?: string;
  /**
   * Default of the `OnCallEmail` parameter: who the dead-letter alarm of this account and Region
   * e-mails (the app passes its `email` context).
   *
   * @default none: the parameter must be given at deployment
   */
  readonly onCallEmail?: string;
}

/**
 * Deployed in every member account × Region where workflows assume roles: the same two rules as
 * the monitor (same patterns, same `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` state), with
 * the central event bus as their target, plus the IAM configuration-change rule, enabled only in
 * us-east-1 (IAM is global and delivers its events there; deploy the forwarder in us-east-1 of
 * every member account for change correlation). Events that cannot be delivered are kept in a local
 * dead-letter queue, whose alarm e-mails on-call through a topic of this account and Region (an
 * alarm can notify only a topic of its own Region, and the path to the central account is the one
 * that has just failed).
 *
 * The template has no assets and no CDK bootstrap check, so it also deploys as a CloudFormation
 * StackSet; the bus is a parameter (`CentralEventBusArn`).
 *
 * @example
 * ```ts
 * new ForwarderStack(app, 'OidcwatchForwarder', {
 *   centralEventBusArn: 'arn:aws:events:eu-west-1:111122223333:event-bus/oidcwatch',
 * });
 * ```
 */
export class ForwarderStack extends Stack {
  /** The two forwarding rules. */
  readonly rules: FailureRules;
  /** Forwards IAM configuration changes; enabled only in us-east-1, where IAM delivers them. */
  readonly changeRule: ConfigurationChangeRule;
  /** Events that could not be forwarded. */
  readonly deadLetterQueue: DeadLetterQueue;
  /** The role the rules put events on the central bus with. */
  readonly role: iam.Role;
  /** Anything in the local dead-letter queue: events that did not reach the central bus. */
  readonly deadLetterAlarm: cloudwatch.Alarm;
  /** The topic the dead-letter alarm notifies; `OnCallEmail` is subscribed to it. */
  readonly alarmTopic: sns.Topic;

  constructor(scope: Construct, id: string, props: ForwarderStackProps = {}) {
    super(scope, id, {
      description: 'oidcwatch forwarder: failed OIDC role assumptions to the central bus',
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      ...props,
    });
    const busArn = new CfnParameter(this, 'CentralEventBusArn', {
      type: 'String',
      description: 'ARN of the central oidcwatch event bus (output of the monitor stack)',
      allowedPattern: '^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+$',
      constraintDescription: 'must be an EventBridge event bus ARN',
      default: props.centralEventBusArn,
    });
    const centralBus = events.EventBus.fromEventBusArn(this, 'CentralBus', busArn.valueAsString);

    // One role for both rules. A role is required when the target bus admits this account
    // through the organisation rather than by account id.
    this.role = new iam.Role(this, 'ForwardRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: 'oidcwatch: lets the forwarder rules put events on the central bus',
    });
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue');
    const target = new targets.EventBus(centralBus, {
      role: this.role,
      deadLetterQueue: this.deadLetterQueue.queue,
    });
    this.rules = new FailureRules(this, 'Rules', {
      target,
      purpose: 'forwarded to the central oidcwatch bus',
    });
    // IAM is global: its events reach EventBridge in us-east-1 only. One template for every
    // Region (StackSets), the rule enabled where it can match.
    this.changeRule = new ConfigurationChangeRule(this, 'ChangeRule', {
      target,
      purpose: 'forwarded to the central oidcwatch bus',
      onlyInIamEventsRegion: true,
    });

    // Who is paged when events of this account and Region cannot reach the central bus. The page
    // cannot travel the path that failed (the dead-letter queue fills when the central bus or
    // the forward role refuses the events), and an alarm notifies topics of its own Region only:
    // a topic here, e-mailing on-call directly. Its policy lets this account's forwarder alarms
    // publish (CloudWatch needs that once a topic policy exists; scoped against confused
    // deputies). The delivery rule pack checks both in every synthesis.
    const email = new CfnParameter(this, 'OnCallEmail', {
      type: 'String',
      description:
        'E-mail address the dead-letter alarm of this account and Region pages (confirm the subscription e-mail SNS sends)',
      allowedPattern: '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$',
      constraintDescription: 'must be an e-mail address',
      default: props.onCallEmail,
    });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'oidcwatch forwarder alarms',
      enforceSSL: true,
    });
    allowAlarmsToPublish(this.alarmTopic, undefined, FORWARDER_ALARM_PREFIX, true);
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries CloudWatch alarm notifications only (alarm name, account, queue name, state): no event, token or claim. Alarms cannot publish to a topic encrypted with alias/aws/sns, and a customer-managed key in every member account and Region would cost $1 a month each for no confidentiality gained.',
    });
    new sns.Subscription(this, 'OnCallEmailSubscription', {
      topic: this.alarmTopic,
      protocol: sns.SubscriptionProtocol.EMAIL,
      endpoint: email.valueAsString,
    });

    // Optional: a topic of this account and Region that is already wired to the paging tool.
    const alarmTopicArn = new CfnParameter(this, 'AlarmTopicArn', {
      type: 'String',
      description:
        'Optional: another SNS topic in this account and Region the dead-letter alarm also notifies (its policy must let cloudwatch.amazonaws.com publish)',
      allowedPattern: '^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$',
      default: '',
    });
    const hasTopic = new CfnCondition(this, 'HasAlarmTopic', {
      expression: Fn.conditionNot(Fn.conditionEquals(alarmTopicArn.valueAsString, '')),
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `${FORWARDER_ALARM_PREFIX}-dead-letters-${Aws.REGION}`,
      alarmDescription:
        'Events wait in the oidcwatch forwarder dead-letter queue: failed OIDC calls of this account and Region did not reach the central bus (a bus policy or the forward role is broken). Fix the cause, then move the messages back (docs/deploy.md).',
      metric: this.deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    const page = new actions.SnsAction(this.alarmTopic);
    this.deadLetterAlarm.addAlarmAction(page);
    this.deadLetterAlarm.addOkAction(page);
    const cfnAlarm = this.deadLetterAlarm.node.defaultChild as cloudwatch.CfnAlarm;
    const extra = Fn.conditionIf(hasTopic.logicalId, alarmTopicArn.valueAsString, Aws.NO_VALUE);
    cfnAlarm.alarmActions = [this.alarmTopic.topicArn, extra.toString()];
    cfnAlarm.okActions = [this.alarmTopic.topicArn, extra.toString()];
    Validations.of(cfnAlarm).acknowledge({
      id: 'CloudFormation-Validate::W1030',
      reason:
        'The empty default of AlarmTopicArn never reaches the actions: the HasAlarmTopic condition replaces it with AWS::NoValue when no topic is given.',
    });

    new CfnOutput(this, 'DeadLetterAlarmTopicArn', {
      description:
        'The dead-letter alarm topic: OnCallEmail must confirm its subscription; add PagerDuty or chat subscriptions here',
      value: this.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Events that could not be forwarded',
      value: this.deadLetterQueue.queue.queueUrl,
    });
  }
}
