/**
 * The notifier in the monitor stack (organisation set-up with PagerDuty): its subscription to the
 * alarm topic and the loop guard, its exact permissions, its one topic (PagerDuty is posted to by
 * the function, not subscribed to a topic), its function and its own alarms; cdk-nag clean. One
 * synthesis for the file (it bundles two Lambdas).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../infra/constructs/notifier.js';
import { ContextError, readContext } from '../../infra/context.js';
import type { MonitorStack } from '../../infra/stacks/monitor-stack.js';
import {
  PAGERDUTY_EU_EVENTS_URL,
  PAGERDUTY_EVENTS_URL,
} from '../../src/domain/page/render-pagerduty.js';
import { pagerDutyFailureMetric } from '../../src/notifier/page-delivery.js';
import { hungInvocationBoundMs } from '../../src/notifier/time-budget.js';
import { acknowledgements, buildApp, CENTRAL, ORGANISATION_CONTEXT } from './helpers/synth.js';
import { defined, flatten, resourcesOfType } from './helpers/template-values.js';

let stack: MonitorStack;
let template: Template;
let synthError: unknown;
let acks: ReturnType<typeof acknowledgements>;

beforeAll(() => {
  const { app, stacks } = buildApp({
    ...ORGANISATION_CONTEXT,
    pagerDutyRoutingKeySecret: 'oidcwatch/pagerduty',
  });
  stack = stacks.monitor;
  template = Template.fromStack(stack);
  try {
    app.synth();
  } catch (e) {
    synthError = e;
  }
  acks = acknowledgements(app);
});

const ALARM_TOPIC = { Ref: Match.stringLikeRegexp('^OnCallTopic') };
const PAGE_TOPIC = { Ref: Match.stringLikeRegexp('^NotifierPageTopic') };
const NOTIFIER_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierFunction'), 'Arn'] };

function roleId(): string {
  const id = Object.keys(resourcesOfType(template, 'AWS::IAM::Role')).find((k) =>
    k.startsWith('NotifierRole')
  );
  if (id === undefined) throw new Error('no notifier role');
  return id;
}

/** `[action, resource]` of every statement of every policy attached to the notifier's role. */
function grants(): [string, string][] {
  const role = roleId();
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
    .flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement
    )
    .flatMap((s) => {
      const actions = ([] as string[]).concat(s.Action as string | string[]);
      const resources = ([] as unknown[]).concat(s.Resource);
      return actions.flatMap((a) => resources.map((r): [string, string] => [a, flatten(r)]));
    })
    .sort((a, b) => `${a[0]} ${a[1]}`.localeCompare(`${b[0]} ${b[1]}`));
}

describe('Notifier: subscription to the alarm topic', () => {
  it('subscribes the function to the alarm topic, filtering on the alarm notification’s body', () => {
    // Prepare
    const expected = {
      Protocol: 'lambda',
      TopicArn: ALARM_TOPIC,
      Endpoint: NOTIFIER_ARN,
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: { NewStateValue: ['ALARM', 'OK'] },
    };

    // Act
    const subscriptions = template.findResources('AWS::SNS::Subscription', {
      Properties: expected,
    });

    // Assess
    expect(Object.keys(subscriptions)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: NOTIFIER_ARN,
      Principal: 'sns.amazonaws.com',
      SourceArn: ALARM_TOPIC,
    });
  });

  it('never listens to a topic it publishes to', () => {
    // Prepare
    const lambdaSubscriptions = Object.values(resourcesOfType(template, 'AWS::SNS::Subscription'))
      .filter((s) => s.Properties.Protocol === 'lambda')
      .map((s) => flatten(s.Properties.TopicArn));

    // Act
    const published = grants()
      .filter(([action]) => action === 'sns:Publish')
      .map(([, resource]) => resource);

    // Assess
    expect(lambdaSubscriptions).toEqual([expect.stringMatching(/^\{Ref:OnCallTopic/)]);
    expect(published).toEqual([expect.stringMatching(/^\{Ref:NotifierPageTopic/)]);
    for (const p of published) expect(lambdaSubscriptions).not.toContain(p);
  });
});

describe('Notifier: permissions', () => {
  it('grants exactly the query, report, publish, KMS and own-log actions, each on its resource', () => {
    // Prepare
    const region = CENTRAL.region;
    const account = CENTRAL.account;

    // Act
    const found = grants();

    // Assess (order-free: every grant, and nothing else)
    const p = '\\{Ref:AWS::Partition\\}';
    const expected = [
      `cloudwatch:GetInsightRuleReport arn:${p}:cloudwatch:${region}:${account}:insight-rule/\\{GetAtt:RepositoryBreakdownByRepositoryAndCause\\w+\\.RuleName\\}`,
      'kms:Decrypt \\{GetAtt:NotifierKey\\w+\\.Arn\\}',
      'kms:GenerateDataKey\\* \\{GetAtt:NotifierKey\\w+\\.Arn\\}',
      'logs:CreateLogStream \\{GetAtt:NotifierLogGroup\\w+\\.Arn\\}',
      'logs:PutLogEvents \\{GetAtt:NotifierLogGroup\\w+\\.Arn\\}',
      'logs:GetQueryResults \\*',
      `logs:StartQuery arn:${p}:logs:${region}:${account}:log-group:\\{Ref:ProcessorLogGroup\\w+\\}`,
      'logs:StartQuery \\{GetAtt:ProcessorLogGroup\\w+\\.Arn\\}',
      `secretsmanager:GetSecretValue arn:${p}:secretsmanager:${region}:${account}:secret:oidcwatch/pagerduty-\\?\\?\\?\\?\\?\\?`,
      'sns:Publish \\{Ref:NotifierPageTopic\\w+\\}',
    ].map((pattern) => expect.stringMatching(new RegExp(`^${pattern}$`)));
    expect(found.map(([a, r]) => `${a} ${r}`)).toEqual(expect.arrayContaining(expected));
    expect(found).toHaveLength(expected.length);
  });

  it('reads the report of the repository × cause rule, the one whose keys the fallback reads', () => {
    // Prepare
    const rules = resourcesOfType(template, 'AWS::CloudWatch::InsightRule');

    // Act
    const [ruleId] = Object.entries(rules).find(([, r]) =>
      flatten(r.Properties.RuleBody).includes('"Keys":["$.repositoryKey","$.cause"]')
    ) ?? [''];

    // Assess
    expect(ruleId).toMatch(/^RepositoryBreakdownByRepositoryAndCause/);
    expect(grants().find(([a]) => a === 'cloudwatch:GetInsightRuleReport')?.[1]).toContain(ruleId);
  });

  it('acknowledges only the two wildcards it needs, each with a reason', () => {
    // Prepare
    const mine = acks.filter((a) => a.path.startsWith('OidcwatchMonitor/Notifier/'));

    // Act
    const ids = mine.map((a) => a.id.replace(/^\w+::/, '')).sort();

    // Assess
    expect(ids).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Resource::*]',
    ]);
    for (const a of mine) expect(a.reason.length).toBeGreaterThan(60);
  });

  it('passes cdk-nag with the notifier and PagerDuty in the app', () => {
    // Prepare
    const error = synthError;

    // Act
    const message = error instanceof Error ? error.message : String(error ?? '');

    // Assess
    expect(message).toBe('');
  });
});

describe('Notifier: topics', () => {
  it('encrypts its one topic with its own rotated key that CloudWatch alarms may use, TLS enforced', () => {
    // Prepare
    const key = { 'Fn::GetAtt': [Match.stringLikeRegexp('^NotifierKey'), 'Arn'] };

    // Act
    const topics = template.findResources('AWS::SNS::Topic', {
      Properties: { KmsMasterKeyId: key },
    });

    // Assess
    expect(
      Object.values(topics)
        .map((t) => t.Properties.TopicName)
        .sort()
    ).toEqual(['oidcwatch-pages']);
    const notifierKey = Object.entries(resourcesOfType(template, 'AWS::KMS::Key')).find(([id]) =>
      id.startsWith('NotifierKey')
    )?.[1];
    expect(notifierKey?.Properties.EnableKeyRotation).toBe(true);
    expect(JSON.stringify(notifierKey?.Properties.KeyPolicy)).toContain('cloudwatch.amazonaws.com');
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [PAGE_TOPIC],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('subscribes the e-mail to the pages, and PagerDuty to no topic (SNS could not confirm it)', () => {
    // Prepare
    const email = { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: PAGE_TOPIC };

    // Act
    const subscriptions = Object.values(resourcesOfType(template, 'AWS::SNS::Subscription')).map(
      (s) => s.Properties
    );

    // Assess
    template.hasResourceProperties('AWS::SNS::Subscription', email);
    // The e-mail twice: the pages, and the raw alarms as a fallback (test/infra/monitor-stack.test.ts).
    expect(subscriptions.map((p) => p.Protocol).sort()).toEqual(['email', 'email', 'lambda']);
    expect(JSON.stringify(subscriptions)).not.toContain('pagerduty.com');
    expect(JSON.stringify(template.findResources('AWS::SNS::Topic'))).not.toContain('pagerduty');
  });

  it('outputs the pages topic ARN for further subscribers', () => {
    // Prepare
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Act
    const value = outputs.PageTopicArn?.Value;

    // Assess
    expect(value).toEqual({ Ref: expect.stringMatching(/^NotifierPageTopic/) });
  });
});

describe('Notifier: function', () => {
  it('runs nodejs24.x on arm64 with its configuration, the Events API URL and the routing key’s secret, never the key', () => {
    // Prepare
    const fn = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('NotifierFunction')
    )?.[1].Properties;

    // Act
    const env = (
      defined(fn, 'notifier function').Environment as { Variables: Record<string, unknown> }
    ).Variables;

    // Assess
    expect(fn).toMatchObject({
      FunctionName: 'oidcwatch-notifier',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 60,
      LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^NotifierLogGroup/) } },
    });
    expect(flatten(env.OIDCWATCH_PAGE_TOPIC_ARN)).toMatch(/^\{Ref:NotifierPageTopic/);
    expect(env).not.toHaveProperty('OIDCWATCH_PAGERDUTY_TOPIC_ARN');
    expect(env.OIDCWATCH_PAGERDUTY_EVENTS_URL).toBe(PAGERDUTY_EVENTS_URL);
    expect(env).not.toHaveProperty('OIDCWATCH_PAGERDUTY_ROUTING_KEY');
    expect(flatten(env.OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET)).toBe(
      `arn:{Ref:AWS::Partition}:secretsmanager:${CENTRAL.region}:${CENTRAL.account}:secret:oidcwatch/pagerduty`
    );
    expect(JSON.stringify(template.toJSON())).not.toContain('resolve:secretsmanager');
    expect(flatten(env.OIDCWATCH_LOG_GROUP_NAME)).toMatch(/^\{Ref:ProcessorLogGroup/);
    expect(flatten(env.OIDCWATCH_INSIGHT_RULE_NAME)).toMatch(
      /^\{GetAtt:RepositoryBreakdownByRepositoryAndCause\w+\.RuleName\}$/
    );
    expect(env.OIDCWATCH_DASHBOARD_URL).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/oidcwatch-failures'
    );
    expect(env.OIDCWATCH_QUERY_TIMEOUT_SECONDS).toBe('20');
    expect(env.OIDCWATCH_NAMESPACE).toBe('OIDCWatch');
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/oidcwatch-notifier',
      RetentionInDays: 30,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^NotifierFunction') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('alarms on its own errors straight to the pages topic, not through the alarm topic', () => {
    // Prepare
    const alarm = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'oidcwatch-notifier-errors'
    )?.Properties;

    // Act
    const actions = [alarm?.AlarmActions, alarm?.OKActions];

    // Assess
    expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 0 });
    for (const a of actions)
      expect(a).toEqual([{ Ref: expect.stringMatching(/^NotifierPageTopic/) }]);
  });

  it('alarms on the PagerDuty failures its log line counts, straight to the pages topic, on ALARM only', () => {
    // Prepare
    const emitted = pagerDutyFailureMetric('OIDCWatch', 0)._aws as {
      CloudWatchMetrics: {
        Namespace: string;
        Dimensions: string[][];
        Metrics: { Name: string }[];
      }[];
    };

    // Act
    const alarm = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'oidcwatch-notifier-pagerduty'
    )?.Properties;

    // Assess
    const [directive] = emitted.CloudWatchMetrics;
    expect(alarm).toMatchObject({
      Namespace: directive?.Namespace,
      MetricName: directive?.Metrics[0]?.Name,
      Statistic: 'Sum',
      Period: 60,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/^NotifierPageTopic/) }],
    });
    expect(alarm?.Dimensions).toBeUndefined();
    expect(directive?.Dimensions).toEqual([[]]);
    expect(alarm?.OKActions).toBeUndefined();
    expect(String(alarm?.AlarmDescription)).toContain('oidcwatch.notifier.pagerduty_failed');
  });
});

function bareNotifier(props: Partial<ConstructorParameters<typeof Notifier>[2]> = {}) {
  const app = new App({ builtinCloudFormationValidation: false });
  const bare = new Stack(app, 'Bare', {
    env: { account: CENTRAL.account, region: CENTRAL.region },
  });
  const alarmTopic = sns.Topic.fromTopicArn(
    bare,
    'Alarms',
    `arn:aws:sns:${CENTRAL.region}:${CENTRAL.account}:alarms`
  );
  const processorLogGroup = logs.LogGroup.fromLogGroupName(
    bare,
    'Logs',
    '/aws/lambda/oidcwatch-processor'
  );
  const notifier = new Notifier(bare, 'Notifier', {
    alarmTopic,
    processorLogGroup,
    dashboardName: 'd',
    ...props,
  });
  return { notifier, template: Template.fromStack(bare) };
}

describe('Notifier without PagerDuty', () => {
  it('passes no routing key and has no PagerDuty alarm', () => {
    // Prepare
    const props = {};

    // Act
    const { notifier, template: t } = bareNotifier(props);

    // Assess
    expect(notifier.pagerDutyAlarm).toBeUndefined();
    t.resourceCountIs('AWS::SNS::Topic', 1);
    const env = JSON.stringify(t.findResources('AWS::Lambda::Function'));
    expect(env).not.toContain('OIDCWATCH_PAGERDUTY');
    expect(env).toContain('"OIDCWATCH_INSIGHT_RULE_NAME":""');
    expect(JSON.stringify(t.findResources('AWS::IAM::Policy'))).not.toContain(
      'GetInsightRuleReport'
    );
    expect(JSON.stringify(t.findResources('AWS::CloudWatch::Alarm'))).not.toContain(
      'PagerDutyDeliveryFailures'
    );
  });
});

describe('Notifier pagerDuty.endpoint', () => {
  it('posts to the EU service region’s Events API when given it', () => {
    // Prepare
    const pagerDuty = {
      routingKeySecret: 'oidcwatch/pagerduty',
      endpoint: PAGERDUTY_EU_EVENTS_URL,
    };

    // Act
    const { template: t } = bareNotifier({ pagerDuty });

    // Assess
    const env = JSON.stringify(t.findResources('AWS::Lambda::Function'));
    expect(env).toContain(`"OIDCWATCH_PAGERDUTY_EVENTS_URL":"${PAGERDUTY_EU_EVENTS_URL}"`);
  });

  it('refuses an endpoint that is not https, before anything is deployed', () => {
    // Prepare
    const pagerDuty = {
      routingKeySecret: 'oidcwatch/pagerduty',
      endpoint: 'http://events.pagerduty.com/v2/enqueue',
    };

    // Act
    const build = () => bareNotifier({ pagerDuty });

    // Assess
    expect(build).toThrow(
      'Notifier: pagerDuty.endpoint must be an https:// URL, got "http://events.pagerduty.com/v2/enqueue"'
    );
  });
});

describe('Notifier queryTimeout', () => {
  it('leaves an invocation with every dependency hung time to end before the function times out', () => {
    // Prepare
    const fn = Object.entries(resourcesOfType(template, 'AWS::Lambda::Function')).find(([id]) =>
      id.startsWith('NotifierFunction')
    )?.[1].Properties;
    const props = defined(fn, 'notifier function') as {
      Timeout: number;
      Environment: { Variables: Record<string, string> };
    };

    // Act
    const bound = hungInvocationBoundMs(
      Number(props.Environment.Variables.OIDCWATCH_QUERY_TIMEOUT_SECONDS) * 1000
    );

    // Assess
    expect(bound).toBeLessThan(props.Timeout * 1000);
  });

  it('refuses a query timeout that leaves the page no time, before anything is deployed', () => {
    // Prepare
    const queryTimeout = Duration.seconds(40);

    // Act
    const build = () => bareNotifier({ queryTimeout });

    // Assess
    expect(build).toThrow(/^Notifier: queryTimeout 40 s leaves the page no time: .* up to 73 s/);
  });
});

describe('context pagerDutyRoutingKeySecret', () => {
  it('accepts a secret name or ARN and refuses anything else, naming the key', () => {
    // Prepare
    const read = (value: string) =>
      readContext({
        tryGetContext: (k: string) => (k === 'pagerDutyRoutingKeySecret' ? value : undefined),
      });
    const arn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:oidcwatch/pagerduty-AbCdEf';

    // Act
    const byName = read('oidcwatch/pagerduty').pagerDutyRoutingKeySecret;
    const byArn = read(arn).pagerDutyRoutingKeySecret;
    const bad = () => read('a routing key with spaces');

    // Assess
    expect(byName).toBe('oidcwatch/pagerduty');
    expect(byArn).toBe(arn);
    expect(bad).toThrow(ContextError);
    expect(bad).toThrow(
      'context "pagerDutyRoutingKeySecret" must be a Secrets Manager secret name or ARN'
    );
  });
});
