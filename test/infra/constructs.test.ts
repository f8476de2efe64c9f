import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { CentralEventBus } from '../../infra/constructs/central-event-bus.js';
import { FailureAlarms } from '../../infra/constructs/failure-alarms.js';
import { FailureDashboard } from '../../infra/constructs/failure-dashboard.js';
import { OnCallTopic } from '../../infra/constructs/on-call-topic.js';
import { resourcesOfType } from './helpers/template-values.js';

/** The namespace placeholder of the dashboard template. */
const NAMESPACE = `\${Namespace}`;

const EXISTING_TOPIC = 'arn:aws:sns:eu-west-1:111122223333:pagerduty-oncall';

function newStack(): Stack {
  // Schema validation is cfn-lint's job in CI; built in, it adds ~10 s per app.
  const app = new App({ builtinCloudFormationValidation: false });
  return new Stack(app, 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
}

describe('OnCallTopic', () => {
  it('uses an existing topic: creates no topic and no key, still subscribes the e-mail', () => {
    // Prepare
    const stack = newStack();

    // Act
    const onCall = new OnCallTopic(stack, 'OnCall', {
      existingTopicArn: EXISTING_TOPIC,
      email: 'a@example.com',
    });
    const template = Template.fromStack(stack);

    // Assess
    expect(onCall.topic.topicArn).toBe(EXISTING_TOPIC);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: EXISTING_TOPIC,
      Protocol: 'email',
      Endpoint: 'a@example.com',
    });
  });
});

describe('FailureAlarms', () => {
  function alarms(thresholds: Record<string, number> = {}) {
    const stack = newStack();
    const topic = new OnCallTopic(stack, 'OnCall', { existingTopicArn: EXISTING_TOPIC }).topic;
    new FailureAlarms(stack, 'Alarms', {
      ...thresholds,
      topic,
      processor: lambda.Function.fromFunctionName(stack, 'Fn', 'oidcwatch-processor'),
      intakeQueue: sqs.Queue.fromQueueArn(stack, 'I', 'arn:aws:sqs:eu-west-1:111122223333:intake'),
      deadLetterQueue: sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:eu-west-1:111122223333:dlq'),
      repositoryRuleName: 'oidcwatch-failures-by-repository',
      namespace: 'Platform/OIDC',
    });
    return Template.fromStack(stack);
  }

  it('notifies an existing topic on ALARM and on OK, except for the throttles', () => {
    // Prepare
    const template = alarms();

    // Act
    const all = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm'));
    const paging = all.filter((a) => a.Properties.AlarmName !== 'oidcwatch-processor-throttles');

    // Assess
    expect(all).toHaveLength(7);
    expect(paging).toHaveLength(6);
    for (const a of paging) {
      expect(a.Properties.AlarmActions).toEqual([EXISTING_TOPIC]);
      expect(a.Properties.OKActions).toEqual([EXISTING_TOPIC]);
    }
    const throttles = all.find((a) => a.Properties.AlarmName === 'oidcwatch-processor-throttles');
    expect(throttles?.Properties.AlarmActions).toBeUndefined();
  });

  it('takes the spike, band and runaway thresholds from its props and the namespace', () => {
    // Prepare
    const thresholds = {
      failureSpikeThreshold: 50,
      failureSpikeDatapoints: 2,
      failureSpikeEvaluationPeriods: 4,
      anomalyBandWidth: 3,
      runawayRepositoryThreshold: 120,
    };

    // Act
    const template = alarms(thresholds);

    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'oidcwatch-failure-spike',
      Threshold: 50,
      DatapointsToAlarm: 2,
      EvaluationPeriods: 4,
      Metrics: [
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ Namespace: 'Platform/OIDC' }),
          }),
        }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'oidcwatch-failure-anomaly',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'ANOMALY_DETECTION_BAND(m0, 3)' }),
        // The quiet minutes count as zero: the band learns a rate, not the bursts' size.
        Match.objectLike({ Id: 'm0', Expression: 'FILL(failures, 0)' }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'oidcwatch-runaway-repository',
      Threshold: 120,
      Metrics: [
        Match.objectLike({
          Expression:
            "INSIGHT_RULE_METRIC('oidcwatch-failures-by-repository', 'MaxContributorValue')",
          Period: 300,
        }),
      ],
    });
  });
});

describe('CentralEventBus', () => {
  it('admits listed accounts by id when no organisation is given', () => {
    // Prepare
    const stack = newStack();

    // Act
    new CentralEventBus(stack, 'Bus', { memberAccounts: ['444455556666'] });
    const policies = Object.values(
      resourcesOfType(Template.fromStack(stack), 'AWS::Events::EventBusPolicy')
    );

    // Assess
    expect(JSON.stringify(policies)).toContain('444455556666');
    expect(JSON.stringify(policies)).not.toContain('aws:PrincipalOrgID');
    expect(policies.map((p) => p.Properties.Statement)).toEqual([
      expect.objectContaining({
        Condition: {
          StringEquals: {
            'events:source': ['aws.sts', 'aws.iam'],
            'events:detail-type': 'AWS API Call via CloudTrail',
          },
        },
      }),
    ]);
  });
});

describe('FailureDashboard', () => {
  it('refuses to synthesize a template that names a metric the processor does not emit', () => {
    // Prepare
    const stack = newStack();
    const template = {
      widgets: [{ type: 'metric', properties: { title: 't', metrics: [[NAMESPACE, 'Deploys']] } }],
    };

    // Act
    const create = () =>
      new FailureDashboard(stack, 'Dashboard', { template, values: {} as never });

    // Assess
    expect(create).toThrow(/metric "Deploys" is not one the processor emits/);
  });
});
