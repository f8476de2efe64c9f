/**
 * The delivery rule pack fails synthesis on each delivery defect of the alarm → topic → on-call
 * path and of the event edges, reintroduced in a small stack (a rule that cannot fail is not a
 * test), and passes the same stack once the defect is fixed. The real app passing is in
 * cdk-nag.test.ts (every synthesis there runs the pack).
 */
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { allowAlarmsToPublish } from '../../infra/lib/alarm-publish-grant.js';
import { OidcwatchDeliveryChecks } from '../../infra/nag/delivery-checks.js';

/** A stack checked by the delivery rules only (AwsSolutions is cdk-nag.test.ts's). */
function newStack(): { app: App; stack: Stack } {
  const app = new App({ builtinCloudFormationValidation: false });
  Validations.of(app).addPlugins(new OidcwatchDeliveryChecks(app, { verbose: true }));
  const stack = new Stack(app, 'Delivery', {
    env: { account: '111122223333', region: 'eu-west-1' },
  });
  return { app, stack };
}

/** The synthesis error text, or '' when it synthesizes. */
function synthError(app: App): string {
  try {
    app.synth();
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function inlineFunction(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {};'),
  });
}

/** An alarm notifying `topic` on ALARM. */
function alarmOn(stack: Stack, topic: sns.ITopic, name = 'oidcwatch-failure-spike'): void {
  const alarm = new cloudwatch.Alarm(stack, `Alarm${name}`, {
    alarmName: name,
    metric: new cloudwatch.Metric({ namespace: 'OIDCWatch', metricName: 'AssumeRoleFailures' }),
    threshold: 0,
    evaluationPeriods: 1,
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
}

/** An encrypted, TLS-only topic: its policy has the Deny alone until something is allowed. */
function encryptedTopic(stack: Stack): { topic: sns.Topic; key: kms.Key } {
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
  return { topic, key };
}

describe('OidcwatchDelivery-AlarmActionDelivery', () => {
  it('fails synthesis when the topic policy lets no alarm publish (enforceSSL alone)', () => {
    // Prepare
    const { app, stack } = newStack();
    const { topic } = encryptedTopic(stack);
    alarmOn(stack, topic);

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(/OidcwatchDelivery-AlarmActionDelivery\[Topic\w+::NoCloudWatchPublish\]/);
    expect(error).toMatch(/OidcwatchDelivery-AlarmActionDelivery\[Key\w+::NoCloudWatchKeyUse\]/);
  });

  it('fails synthesis when CloudWatch may publish but unscoped (no aws:SourceAccount/aws:SourceArn)', () => {
    // Prepare
    const { app, stack } = newStack();
    const { topic, key } = encryptedTopic(stack);
    const cloudwatchPrincipal = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudwatchPrincipal],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
      })
    );
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [cloudwatchPrincipal],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      })
    );
    alarmOn(stack, topic);

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(/AlarmActionDelivery\[Topic\w+::UnscopedCloudWatchPublish\]/);
    expect(error).toMatch(/AlarmActionDelivery\[Key\w+::UnscopedCloudWatchKeyUse\]/);
  });

  it('passes once both policies allow this account’s alarms, scoped', () => {
    // Prepare
    const { app, stack } = newStack();
    const { topic, key } = encryptedTopic(stack);
    allowAlarmsToPublish(topic, key, 'oidcwatch');
    alarmOn(stack, topic);

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toBe('');
  });
});

describe('OidcwatchDelivery-SubscriptionFilterDelivery', () => {
  it('fails synthesis when the notifier’s subscription drops every alarm notification (attribute exists:false)', () => {
    // Prepare
    const { app, stack } = newStack();
    const { topic, key } = encryptedTopic(stack);
    allowAlarmsToPublish(topic, key, 'oidcwatch');
    alarmOn(stack, topic);
    topic.addSubscription(
      new subscriptions.LambdaSubscription(inlineFunction(stack, 'Notifier'), {
        filterPolicy: { oidcwatch_origin: sns.SubscriptionFilter.notExistsFilter() },
      })
    );

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(
      /OidcwatchDelivery-SubscriptionFilterDelivery\[Alarm\w+::AlarmNotificationDropped\]/
    );
  });

  it('fails synthesis when a pages subscriber filters out every page the notifier publishes', () => {
    // Prepare
    const { app, stack } = newStack();
    const pages = new sns.Topic(stack, 'Pages');
    const notifier = inlineFunction(stack, 'Notifier');
    notifier.addEnvironment('OIDCWATCH_PAGE_TOPIC_ARN', pages.topicArn);
    pages.grantPublish(notifier);
    pages.addSubscription(
      new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Chat'), {
        // A typo'd kind: the notifier publishes oidcwatch_kind = page | recovery.
        filterPolicy: {
          oidcwatch_kind: sns.SubscriptionFilter.stringFilter({ allowlist: ['pages'] }),
        },
      })
    );

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(/SubscriptionFilterDelivery\[Notifier\w+::PagesDropped\]/);
  });

  it('passes the notifier’s body filter on NewStateValue', () => {
    // Prepare
    const { app, stack } = newStack();
    const { topic, key } = encryptedTopic(stack);
    allowAlarmsToPublish(topic, key, 'oidcwatch');
    alarmOn(stack, topic);
    topic.addSubscription(
      new subscriptions.LambdaSubscription(inlineFunction(stack, 'Notifier'), {
        filterPolicyWithMessageBody: {
          NewStateValue: sns.FilterOrPolicy.filter(
            sns.SubscriptionFilter.stringFilter({ allowlist: ['ALARM', 'OK'] })
          ),
        },
      })
    );

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toBe('');
  });
});

describe('OidcwatchDelivery-TargetInvokePermission', () => {
  it('fails synthesis when a rule targets a function without an invoke permission', () => {
    // Prepare
    const { app, stack } = newStack();
    const fn = inlineFunction(stack, 'Processor');
    new events.CfnRule(stack, 'Rule', {
      eventPattern: { source: ['aws.sts'] },
      targets: [{ id: 'processor', arn: fn.functionArn }],
    });

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(/TargetInvokePermission\[Processor\w+::NoEventsInvokePermission\]/);
  });

  it('fails synthesis when a rule targets a queue whose policy does not admit it', () => {
    // Prepare
    const { app, stack } = newStack();
    const queue = new sqs.Queue(stack, 'Intake');
    new events.CfnRule(stack, 'Rule', {
      eventPattern: { source: ['aws.sts'] },
      targets: [{ id: 'intake', arn: queue.queueArn }],
    });

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(/TargetInvokePermission\[Intake\w+::NoEventsQueuePolicy\]/);
  });

  it('fails synthesis when an SNS subscription invokes a function without a permission', () => {
    // Prepare
    const { app, stack } = newStack();
    const topic = new sns.Topic(stack, 'Alarms');
    const fn = inlineFunction(stack, 'Notifier');
    new sns.CfnSubscription(stack, 'Subscription', {
      topicArn: topic.topicArn,
      protocol: 'lambda',
      endpoint: fn.functionArn,
    });

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toMatch(/TargetInvokePermission\[Notifier\w+::NoSnsInvokePermission\]/);
  });

  it('passes rules and subscriptions wired by the CDK targets, which add the permissions', () => {
    // Prepare
    const { app, stack } = newStack();
    const rule = new events.Rule(stack, 'Rule', { eventPattern: { source: ['aws.sts'] } });
    rule.addTarget(new targets.LambdaFunction(inlineFunction(stack, 'Processor')));
    rule.addTarget(new targets.SqsQueue(new sqs.Queue(stack, 'Intake')));
    new sns.Topic(stack, 'Alarms').addSubscription(
      new subscriptions.LambdaSubscription(inlineFunction(stack, 'Notifier'))
    );

    // Act
    const error = synthError(app);

    // Assess
    expect(error).toBe('');
  });
});

describe('OidcwatchDelivery-DeadLetterQueueAlarm', () => {
  it('fails synthesis when a dead-letter queue has no alarm, and passes once it has one with an action', () => {
    // Prepare
    const broken = newStack();
    const dlq = new sqs.Queue(broken.stack, 'DeadLetters');
    new sqs.Queue(broken.stack, 'Intake', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
    const fixed = newStack();
    const watched = new sqs.Queue(fixed.stack, 'DeadLetters');
    new sqs.Queue(fixed.stack, 'Intake', {
      deadLetterQueue: { queue: watched, maxReceiveCount: 5 },
    });
    const alarm = new cloudwatch.Alarm(fixed.stack, 'Depth', {
      metric: watched.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 0,
      evaluationPeriods: 1,
    });
    alarm.addAlarmAction(
      new actions.SnsAction(
        sns.Topic.fromTopicArn(fixed.stack, 'T', 'arn:aws:sns:eu-west-1:111122223333:t')
      )
    );

    // Act
    const errors = [synthError(broken.app), synthError(fixed.app)];

    // Assess
    expect(errors[0]).toMatch(/OidcwatchDelivery-DeadLetterQueueAlarm/);
    expect(errors[0]).toContain('Delivery/DeadLetters/Resource');
    expect(errors[1]).toBe('');
  });
});

describe('OidcwatchDelivery-HeartbeatAlarmBreaching', () => {
  it('fails synthesis when a heartbeat alarm treats missing data as not breaching, or pages nobody', () => {
    // Prepare
    const heartbeat = (stack: Stack, treatMissingData: cloudwatch.TreatMissingData) =>
      new cloudwatch.Alarm(stack, 'Heartbeat', {
        alarmName: 'oidcwatch-canary-111122223333-eu-west-1',
        metric: new cloudwatch.Metric({
          namespace: 'OIDCWatch',
          metricName: 'CanaryHeartbeat',
          dimensionsMap: { Account: '111122223333', Region: 'eu-west-1' },
          period: Duration.minutes(10),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 3,
        treatMissingData,
      });
    const topic = (stack: Stack) =>
      sns.Topic.fromTopicArn(stack, 'T', 'arn:aws:sns:eu-west-1:111122223333:t');
    const quiet = newStack();
    heartbeat(quiet.stack, cloudwatch.TreatMissingData.NOT_BREACHING).addAlarmAction(
      new actions.SnsAction(topic(quiet.stack))
    );
    const silent = newStack();
    heartbeat(silent.stack, cloudwatch.TreatMissingData.BREACHING);
    const right = newStack();
    heartbeat(right.stack, cloudwatch.TreatMissingData.BREACHING).addAlarmAction(
      new actions.SnsAction(topic(right.stack))
    );

    // Act
    const errors = [synthError(quiet.app), synthError(silent.app), synthError(right.app)];

    // Assess
    expect(errors[0]).toMatch(/HeartbeatAlarmBreaching\[Heartbeat\w+::MissingDataNotBreaching\]/);
    expect(errors[1]).toMatch(/HeartbeatAlarmBreaching\[Heartbeat\w+::NoAlarmAction\]/);
    expect(errors[2]).toBe('');
  });
});
