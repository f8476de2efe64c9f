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
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ConfigurationChangeRule } from '../constructs/configuration-change-rule.js';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.js';
import { FailureRules } from '../constructs/failure-rules.js';

/** Properties of {@link ForwarderStack}. */
export interface ForwarderStackProps extends StackProps {
  /**
   * Default of the `CentralEventBusArn` parameter (the monitor stack's `CentralEventBusArn`
   * output).
   *
   * @default none: the parameter must be given at deployment
   */
  readonly centralEventBusArn?: string;
}

/**
 * Deployed in every member account × Region where workflows assume roles: the same two rules as
 * the monitor (same patterns, same `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` state), with
 * the central event bus as their target, plus the IAM configuration-change rule, enabled only in
 * us-east-1 (IAM is global and delivers its events there; deploy the forwarder in us-east-1 of
 * every member account for change correlation). Events that cannot be delivered are kept in a local
 * dead-letter queue.
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

    // The alarm notifies a topic of this account and Region when one is given (CloudWatch alarms
    // notify topics of their own Region). The central canary pages anyway when this account and
    // Region stop reaching the monitor.
    const alarmTopicArn = new CfnParameter(this, 'AlarmTopicArn', {
      type: 'String',
      description:
        'Optional: an SNS topic in this account and Region the dead-letter alarm notifies (its policy must let cloudwatch.amazonaws.com publish)',
      allowedPattern: '^$|^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$',
      default: '',
    });
    const hasTopic = new CfnCondition(this, 'HasAlarmTopic', {
      expression: Fn.conditionNot(Fn.conditionEquals(alarmTopicArn.valueAsString, '')),
    });
    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLetterAlarm', {
      alarmName: `oidcwatch-forwarder-dead-letters-${Aws.REGION}`,
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
    const cfnAlarm = this.deadLetterAlarm.node.defaultChild as cloudwatch.CfnAlarm;
    cfnAlarm.alarmActions = Fn.conditionIf(
      hasTopic.logicalId,
      [alarmTopicArn.valueAsString],
      Aws.NO_VALUE
    ) as unknown as string[];
    Validations.of(cfnAlarm).acknowledge({
      id: 'CloudFormation-Validate::W1030',
      reason:
        'The empty default of AlarmTopicArn never reaches AlarmActions: the HasAlarmTopic condition replaces the list with AWS::NoValue when no topic is given.',
    });

    new CfnOutput(this, 'DeadLetterQueueUrl', {
      description: 'Events that could not be forwarded',
      value: this.deadLetterQueue.queue.queueUrl,
    });
  }
}
