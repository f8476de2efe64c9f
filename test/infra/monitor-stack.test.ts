import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonitorStack } from '../../infra/stacks/monitor-stack.js';
import {
  CHAINED_ASSUME_ROLE_FAILURE_PATTERN,
  IAM_CONFIGURATION_CHANGE_PATTERN,
  RULE_STATE,
  WEB_IDENTITY_FAILURE_PATTERN,
} from '../../src/domain/event-pattern.js';
import { DEFAULT_NAMESPACE, METRIC } from '../../src/domain/metric-names.js';
import { buildApp, CENTRAL, ORGANISATION_CONTEXT } from './helpers/synth.js';
import { defined, flatten, resourcesOfType } from './helpers/template-values.js';

let stack: MonitorStack;
let template: Template;
let assemblyDir: string;

beforeAll(() => {
  const { app, stacks } = buildApp(ORGANISATION_CONTEXT);
  stack = stacks.monitor;
  template = Template.fromStack(stack);
  assemblyDir = app.synth().directory;
});

const TOPIC = { Ref: Match.stringLikeRegexp('^OnCallTopic') };
const DLQ_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetterQueue'), 'Arn'] };
const INTAKE_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('^IntakeQueue'), 'Arn'] };

/** Every statement of every IAM policy attached to the processor's role. */
function processorStatements(): Record<string, unknown>[] {
  const role = Object.keys(resourcesOfType(template, 'AWS::IAM::Role')).find((id) =>
    id.startsWith('ProcessorRole')
  );
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`))
    .flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement
    );
}

function actionsOf(statement: Record<string, unknown>): string[] {
  return ([] as string[]).concat(statement.Action as string | string[]);
}

/** The rules that match events (the canary's schedule rule is on the canary tests). */
function eventRules(): Record<string, { Properties: Record<string, unknown> }> {
  return Object.fromEntries(
    Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).filter(
      ([, r]) => r.Properties.EventPattern !== undefined
    )
  );
}

describe('MonitorStack: EventBridge rules', () => {
  it('creates the two failure rules and the change rule on the default bus and on the central bus', () => {
    // Prepare
    const rules = eventRules();

    // Act
    const onDefaultBus = Object.values(rules).filter(
      (r) => r.Properties.EventBusName === undefined
    );
    const onCentralBus = Object.values(rules).filter(
      (r) => r.Properties.EventBusName !== undefined
    );

    // Assess
    expect(onDefaultBus).toHaveLength(3);
    expect(onCentralBus).toHaveLength(3);
  });

  it('sets every failure rule to ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS', () => {
    // Prepare (the change rules catch write events: test/infra/change-correlation.test.ts)
    const rules = Object.values(eventRules()).filter(
      (r) => (r.Properties.EventPattern as { source: string[] }).source[0] === 'aws.sts'
    );

    // Act
    const states = rules.map((r) => r.Properties.State);

    // Assess
    expect(RULE_STATE).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
    expect(states).toEqual([RULE_STATE, RULE_STATE, RULE_STATE, RULE_STATE]);
  });

  it('uses exactly the patterns of src/domain/event-pattern.ts', () => {
    // Prepare
    const rules = Object.values(eventRules());

    // Act
    const patterns = rules.map((r) => JSON.stringify(r.Properties.EventPattern));

    // Assess
    expect(patterns.sort()).toEqual(
      [
        WEB_IDENTITY_FAILURE_PATTERN,
        WEB_IDENTITY_FAILURE_PATTERN,
        CHAINED_ASSUME_ROLE_FAILURE_PATTERN,
        CHAINED_ASSUME_ROLE_FAILURE_PATTERN,
        IAM_CONFIGURATION_CHANGE_PATTERN,
        IAM_CONFIGURATION_CHANGE_PATTERN,
      ]
        .map((p) => JSON.stringify(p))
        .sort()
    );
  });

  it('targets the intake queue with a 24-hour retry policy and the dead-letter queue', () => {
    // Prepare
    const expected = {
      Targets: [
        {
          Arn: INTAKE_ARN,
          Id: Match.anyValue(),
          DeadLetterConfig: { Arn: DLQ_ARN },
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        },
      ],
    };

    // Act
    const matching = template.findResources('AWS::Events::Rule', { Properties: expected });

    // Assess
    expect(Object.keys(matching)).toHaveLength(6);
  });

  it('lets each rule, by ARN, and only the rules, send to the intake queue', () => {
    // Prepare
    const intake = Object.keys(resourcesOfType(template, 'AWS::SQS::Queue')).find((id) =>
      id.startsWith('IntakeQueue')
    );
    const policy = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy')).find((p) =>
      JSON.stringify(p.Properties.Queues).includes(`"${intake}"`)
    );

    // Act
    const allows = (
      defined(policy).Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement.filter((s) => s.Effect === 'Allow');

    // Assess
    expect(allows).toHaveLength(6);
    for (const a of allows) {
      expect(a.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(a.Action).toContain('sqs:SendMessage');
      expect(a.Condition).toMatchObject({ ArnEquals: { 'aws:SourceArn': expect.anything() } });
    }
  });
});

describe('MonitorStack: central event bus', () => {
  it('admits the organisation through aws:PrincipalOrgID, CloudTrail events of STS and IAM only', () => {
    // Prepare
    const buses = resourcesOfType(template, 'AWS::Events::EventBus');
    const policies = Object.values(resourcesOfType(template, 'AWS::Events::EventBusPolicy'));

    // Act
    const statement = JSON.stringify(policies.map((p) => p.Properties.Statement ?? p.Properties));

    // Assess
    expect(Object.values(buses)[0]?.Properties.Name).toBe('oidcwatch');
    expect(statement).toContain('"aws:PrincipalOrgID":"o-a1b2c3d4e5"');
    expect(statement).toContain('events:PutEvents');
    expect(statement).not.toContain('444455556666');
    expect(statement).toContain('"events:source":["aws.sts","aws.iam"]');
    expect(statement).toContain('"events:detail-type":"AWS API Call via CloudTrail"');
  });
});

describe('MonitorStack: processor function', () => {
  it('runs nodejs24.x on arm64 without reserved concurrency (deploys under any quota)', () => {
    // Prepare
    const expected = {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 30,
      ReservedConcurrentExecutions: Match.absent(),
      FunctionName: 'oidcwatch-processor',
    };

    // Act
    const matching = template.findResources('AWS::Lambda::Function', { Properties: expected });

    // Assess
    expect(Object.keys(matching)).toHaveLength(1);
  });

  it('configures the processor through its documented environment variables', () => {
    // Prepare
    const fn = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))[0];

    // Act
    const env = (defined(fn).Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;

    // Assess
    expect(env).toMatchObject({
      OIDCWATCH_NAMESPACE: DEFAULT_NAMESPACE,
      OIDCWATCH_READ_ROLE_NAME: 'oidcwatch-read',
      OIDCWATCH_HOME_ACCOUNT: CENTRAL.account,
      OIDCWATCH_OWNERS: 'acme-corp',
      OIDCWATCH_ROLE_CACHE_TTL_SECONDS: '600',
      OIDCWATCH_NEGATIVE_CACHE_TTL_SECONDS: '120',
      OIDCWATCH_ACCOUNT_CACHE_TTL_SECONDS: '900',
      OIDCWATCH_DEDUP_CAPACITY: '10000',
      LOG_LEVEL: 'info',
    });
  });

  it('writes to its own log group with a retention', () => {
    // Prepare
    const expected = { LogGroupName: '/aws/lambda/oidcwatch-processor', RetentionInDays: 30 };

    // Act
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: expected });

    // Assess
    expect(Object.keys(groups)).toHaveLength(1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: { LogGroup: { Ref: Object.keys(groups)[0] } },
    });
  });

  it('reads the intake queue with at most 5 instances and partial batch failures', () => {
    // Prepare
    const expected = {
      EventSourceArn: INTAKE_ARN,
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 5 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    };

    // Act
    const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
      Properties: expected,
    });

    // Assess
    expect(Object.keys(mappings)).toHaveLength(1);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
  });

  it('parks an event after five failed receives, so a replayed event cannot loop', () => {
    // Prepare
    const expected = {
      RedrivePolicy: { deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 },
      VisibilityTimeout: 180,
      SqsManagedSseEnabled: true,
    };

    // Act
    const queues = template.findResources('AWS::SQS::Queue', { Properties: expected });

    // Assess
    expect(Object.keys(queues)).toEqual([expect.stringMatching(/^IntakeQueue/)]);
  });

  it('bundles the handler as minified ESM with a source map and the SDK inside', () => {
    // Prepare
    const fn = Object.values(resourcesOfType(template, 'AWS::Lambda::Function'))[0];
    const key = (defined(fn).Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
    const dir = join(assemblyDir, `asset.${key}`);

    // Act
    const files = readdirSync(dir);
    const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');

    // Assess
    // Booleans, so a failure does not print a half-megabyte bundle.
    expect(files.sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(/^import\s[^;]*from\s*["'](?!node:)/m.test(bundle)).toBe(false);
    expect(/import\(\s*["']@aws-sdk\/client-/.test(bundle)).toBe(false);
    expect(bundle.includes('ListOpenIDConnectProviders')).toBe(true);
    expect(bundle.includes('AssumeRole')).toBe(true);
    expect(bundle.length / bundle.split('\n').length > 2000).toBe(true);
    expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
  });
});

describe('MonitorStack: least privilege', () => {
  it('grants the processor only logs, its queue, the four IAM reads, sts:AssumeRole and its change table', () => {
    // Prepare
    const statements = processorStatements();

    // Act
    const actions = new Set(statements.flatMap(actionsOf));

    // Assess
    expect([...actions].sort()).toEqual(
      [
        'dynamodb:PutItem',
        'dynamodb:Query',
        'iam:GetOpenIDConnectProvider',
        'iam:GetRole',
        'iam:ListOpenIDConnectProviders',
        'iam:ListRoles',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
        'sts:AssumeRole',
      ].sort()
    );
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });

  it('scopes GetRole and GetOpenIDConnectProvider to this account; only the list calls use *', () => {
    // Prepare
    const statements = processorStatements();

    // Act
    const get = statements.find((s) => actionsOf(s).includes('iam:GetRole'));
    const list = statements.find((s) => actionsOf(s).includes('iam:ListRoles'));
    const starred = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');

    // Assess
    expect(actionsOf(get ?? {}).sort()).toEqual(['iam:GetOpenIDConnectProvider', 'iam:GetRole']);
    expect((defined(get).Resource as unknown[]).map(flatten)).toEqual([
      `arn:{Ref:AWS::Partition}:iam::${CENTRAL.account}:role/*`,
      `arn:{Ref:AWS::Partition}:iam::${CENTRAL.account}:oidc-provider/*`,
    ]);
    expect(actionsOf(list ?? {}).sort()).toEqual([
      'iam:ListOpenIDConnectProviders',
      'iam:ListRoles',
    ]);
    expect(starred).toEqual([list]);
  });

  it('lets the processor assume the read role in the listed member accounts only', () => {
    // Prepare
    const statements = processorStatements();

    // Act
    const assume = statements.filter((s) => actionsOf(s).includes('sts:AssumeRole'));

    // Assess
    expect(assume).toHaveLength(1);
    expect(([] as unknown[]).concat(assume[0]?.Resource).map(flatten)).toEqual([
      'arn:{Ref:AWS::Partition}:iam::444455556666:role/oidcwatch-read',
      'arn:{Ref:AWS::Partition}:iam::777788889999:role/oidcwatch-read',
    ]);
  });

  it('names the processor role so that the read roles can trust it', () => {
    // Prepare
    const expected = {
      RoleName: 'oidcwatch-processor',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
      },
      ManagedPolicyArns: Match.absent(),
    };

    // Act
    const roles = template.findResources('AWS::IAM::Role', { Properties: expected });

    // Assess
    expect(Object.keys(roles)).toHaveLength(1);
  });
});

describe('MonitorStack: dead-letter queue', () => {
  it('is encrypted, keeps messages 14 days and refuses plain HTTP', () => {
    // Prepare
    const expected = { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 };

    // Act
    const queues = template.findResources('AWS::SQS::Queue', { Properties: expected });

    // Assess
    expect(Object.keys(queues)).toHaveLength(1);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('accepts messages from each rule, by rule ARN', () => {
    // Prepare
    const policy = Object.values(resourcesOfType(template, 'AWS::SQS::QueuePolicy'))[0];

    // Act
    const statements = (
      defined(policy).Properties.PolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement.filter((s) => s.Effect === 'Allow');

    // Assess
    expect(statements).toHaveLength(6);
    for (const s of statements) {
      expect(s.Principal).toEqual({ Service: 'events.amazonaws.com' });
      expect(s.Action).toBe('sqs:SendMessage');
      expect(s.Condition).toMatchObject({ ArnEquals: { 'aws:SourceArn': expect.anything() } });
    }
  });
});

describe('MonitorStack: on-call topic', () => {
  it('creates a KMS-encrypted topic that CloudWatch alarms may use, with TLS enforced', () => {
    // Prepare
    const keyPolicy = JSON.stringify(
      Object.values(resourcesOfType(template, 'AWS::KMS::Key'))[0]?.Properties.KeyPolicy
    );

    // Act
    const topics = template.findResources('AWS::SNS::Topic', {
      Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OnCall'), 'Arn'] } },
    });

    // Assess
    expect(Object.keys(topics)).toHaveLength(1);
    expect(keyPolicy).toContain('cloudwatch.amazonaws.com');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
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

  it('subscribes the on-call e-mail to the pages, and to the raw alarms as a fallback', () => {
    // Prepare
    const pages = { Ref: Match.stringLikeRegexp('^NotifierPageTopic') };
    const expected = { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: pages };

    // Act
    const subscriptions = template.findResources('AWS::SNS::Subscription', {
      Properties: expected,
    });
    const onAlarmTopic = template.findResources('AWS::SNS::Subscription', {
      Properties: { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: TOPIC },
    });

    // Assess
    expect(Object.keys(subscriptions)).toHaveLength(1);
    expect(Object.keys(onAlarmTopic)).toHaveLength(1);
  });

  it('lets only this account’s oidcwatch alarms publish, and use the key', () => {
    // Prepare
    const topicPolicy = Object.values(resourcesOfType(template, 'AWS::SNS::TopicPolicy')).find(
      (p) => JSON.stringify(p.Properties.Topics).includes('OnCallTopic')
    );
    const key = Object.entries(resourcesOfType(template, 'AWS::KMS::Key')).find(([id]) =>
      id.startsWith('OnCallKey')
    )?.[1];
    const fromCloudWatch = (doc: unknown) =>
      (doc as { Statement: Record<string, unknown>[] }).Statement.filter(
        (st) => JSON.stringify(st.Principal) === '{"Service":"cloudwatch.amazonaws.com"}'
      );

    // Act
    const publish = fromCloudWatch(defined(topicPolicy).Properties.PolicyDocument);
    const useKey = fromCloudWatch(defined(key).Properties.KeyPolicy);

    // Assess
    for (const [st, action] of [
      [publish, 'sns:Publish'],
      [useKey, ['kms:Decrypt', 'kms:GenerateDataKey*']],
    ] as const) {
      expect(st).toHaveLength(1);
      expect(st[0]?.Action).toEqual(action);
      const condition = st[0]?.Condition as Record<string, Record<string, unknown>>;
      expect(condition.StringEquals).toEqual({ 'aws:SourceAccount': CENTRAL.account });
      expect(flatten(condition.ArnLike?.['aws:SourceArn'])).toBe(
        `arn:{Ref:AWS::Partition}:cloudwatch:${CENTRAL.region}:${CENTRAL.account}:alarm:oidcwatch-*`
      );
    }
  });
});

describe('MonitorStack: alarms', () => {
  it('creates the paging alarms, each notifying the topic on ALARM and on OK', () => {
    // Prepare (the notifier's own alarms notify the pages topic: test/infra/notifier.test.ts)
    const alarms = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter(
      (a) => !String(a.Properties.AlarmName).startsWith('oidcwatch-notifier-')
    );

    // Act
    const paging = alarms.filter((a) => a.Properties.AlarmActions !== undefined);

    // Assess
    expect(alarms.map((a) => a.Properties.AlarmName)).toEqual([
      'oidcwatch-failure-spike',
      'oidcwatch-failure-anomaly',
      'oidcwatch-runaway-repository',
      'oidcwatch-processor-errors',
      'oidcwatch-processor-throttles',
      'oidcwatch-intake-age',
      'oidcwatch-rule-delivery-failures',
      'oidcwatch-rule-dead-letters',
      'oidcwatch-dead-letter-queue',
      // The canary heartbeat of the central account and Region (test/infra/canary.test.ts).
      `oidcwatch-canary-${CENTRAL.account}-${CENTRAL.region}`,
    ]);
    expect(paging.map((a) => a.Properties.AlarmName)).not.toContain(
      'oidcwatch-processor-throttles'
    );
    expect(paging).toHaveLength(9);
    for (const a of paging) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^OnCallTopic/) }]);
      expect(a.Properties.OKActions).toEqual(a.Properties.AlarmActions);
      // Silence is the canary's failure; for every other alarm, no data is no trouble.
      expect(a.Properties.TreatMissingData).toBe(
        String(a.Properties.AlarmName).includes('-canary-') ? 'breaching' : 'notBreaching'
      );
    }
  });

  it('watches every failure rule’s failed and dead-lettered deliveries, custom-bus rules by bus and name', () => {
    // Prepare
    const alarm = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'oidcwatch-rule-dead-letters'
    );

    // Act
    const metrics = (defined(alarm).Properties.Metrics as Record<string, unknown>[]).flatMap((m) =>
      m.MetricStat === undefined ? [] : [m.MetricStat as { Metric: unknown }]
    );

    // Assess
    expect(metrics.map((m) => m.Metric)).toEqual([
      expect.objectContaining({
        MetricName: 'InvocationsSentToDlq',
        Dimensions: [{ Name: 'RuleName', Value: 'oidcwatch-web-identity-failures' }],
      }),
      expect.objectContaining({
        Dimensions: [{ Name: 'RuleName', Value: 'oidcwatch-chained-assume-role-failures' }],
      }),
      expect.objectContaining({
        Dimensions: [
          { Name: 'EventBusName', Value: 'oidcwatch' },
          { Name: 'RuleName', Value: 'oidcwatch-central-web-identity-failures' },
        ],
      }),
      expect.objectContaining({
        Dimensions: [
          { Name: 'EventBusName', Value: 'oidcwatch' },
          { Name: 'RuleName', Value: 'oidcwatch-central-chained-assume-role-failures' },
        ],
      }),
    ]);
  });

  it('pages when the oldest event has waited more than five minutes in the intake queue', () => {
    // Prepare
    const expected = {
      AlarmName: 'oidcwatch-intake-age',
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 300,
    };

    // Act
    const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: expected });

    // Assess
    expect(Object.keys(alarms)).toHaveLength(1);
  });

  it('pages on a failure spike of M of N one-minute datapoints', () => {
    // Prepare
    const expected = {
      AlarmName: 'oidcwatch-failure-spike',
      Metrics: [
        Match.objectLike({
          MetricStat: {
            Metric: {
              Namespace: DEFAULT_NAMESPACE,
              MetricName: METRIC.AssumeRoleFailures,
              Dimensions: Match.absent(),
            },
            Period: 60,
            Stat: 'Sum',
          },
        }),
      ],
      Threshold: 24,
      DatapointsToAlarm: 3,
      EvaluationPeriods: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    };

    // Act
    const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: expected });

    // Assess
    expect(Object.keys(alarms)).toHaveLength(1);
  });

  it('pages when failure volume leaves the anomaly band', () => {
    // Prepare
    const expected = {
      AlarmName: 'oidcwatch-failure-anomaly',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      ThresholdMetricId: 'expr_1',
      Metrics: Match.arrayWith([
        Match.objectLike({ Id: 'expr_1', Expression: 'ANOMALY_DETECTION_BAND(m0, 2)' }),
        Match.objectLike({ Id: 'm0', Expression: 'FILL(failures, 0)' }),
        Match.objectLike({
          Id: 'failures',
          MetricStat: {
            Metric: { Namespace: DEFAULT_NAMESPACE, MetricName: METRIC.AssumeRoleFailures },
            Period: 300,
            Stat: 'Sum',
          },
        }),
      ]),
    };

    // Act
    const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: expected });

    // Assess
    expect(Object.keys(alarms)).toHaveLength(1);
  });

  it('pages on one runaway repository through the Contributor Insights rule', () => {
    // Prepare
    const alarm = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === 'oidcwatch-runaway-repository'
    );

    // Act
    const expression = flatten(
      (defined(alarm).Properties.Metrics as { Expression: unknown }[])[0]?.Expression
    );

    // Assess
    expect(expression).toMatch(
      /^INSIGHT_RULE_METRIC\('\{GetAtt:RepositoryBreakdownByRepository\w+\.RuleName\}', 'MaxContributorValue'\)$/
    );
    expect(alarm?.Properties.Threshold).toBe(60);
  });

  it('pages on processor errors, throttles and a non-empty dead-letter queue', () => {
    // Prepare
    const byName = (name: string) =>
      Object.values(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).find(
        (a) => a.Properties.AlarmName === name
      )?.Properties;

    // Act
    const errors = byName('oidcwatch-processor-errors');
    const throttles = byName('oidcwatch-processor-throttles');
    const dlq = byName('oidcwatch-dead-letter-queue');

    // Assess
    expect(errors).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Threshold: 0 });
    expect(throttles).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Threshold: 0,
    });
    expect(dlq).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});

describe('MonitorStack: per-repository breakdown', () => {
  it('counts failed calls by repository, and by repository and cause, from the JSON log lines', () => {
    // Prepare
    const rules = Object.values(resourcesOfType(template, 'AWS::CloudWatch::InsightRule'));

    // Act
    const bodies = rules.map((r) => JSON.parse(flatten(r.Properties.RuleBody)));

    // Assess
    expect(rules.map((r) => r.Properties.RuleName)).toEqual([
      'oidcwatch-failures-by-repository',
      'oidcwatch-failures-by-repository-cause',
    ]);
    expect(rules.map((r) => r.Properties.RuleState)).toEqual(['ENABLED', 'ENABLED']);
    expect(bodies.map((b) => b.Contribution.Keys)).toEqual([
      ['$.repositoryKey'],
      ['$.repositoryKey', '$.cause'],
    ]);
    for (const body of bodies)
      expect(body).toEqual({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [expect.stringMatching(/^\{Ref:ProcessorLogGroup\w+\}$/)],
        LogFormat: 'JSON',
        Contribution: {
          Keys: expect.any(Array),
          Filters: [
            { Match: '$.msg', EqualTo: 'oidcwatch.result' },
            { Match: '$.outcome', EqualTo: 'failure' },
          ],
        },
        AggregateOn: 'Count',
      });
  });

  it('saves the Logs Insights queries over the processor log group', () => {
    // Prepare
    const queries = Object.values(resourcesOfType(template, 'AWS::Logs::QueryDefinition'));

    // Act
    const names = queries.map((q) => q.Properties.Name);

    // Assess
    expect(names).toEqual([
      'oidcwatch/recent-failures',
      'oidcwatch/failures-by-repository',
      'oidcwatch/one-repository',
      'oidcwatch/failures-by-cause',
      'oidcwatch/one-cause',
    ]);
    for (const q of queries)
      expect(q.Properties.LogGroupNames).toEqual([
        { Ref: expect.stringMatching(/^ProcessorLogGroup/) },
      ]);
  });
});

describe('MonitorStack: dashboard', () => {
  /** The deployed body, with `{Ref:…}`/`{GetAtt:…}` markers for the substituted names. */
  function dashboardBody(): {
    widgets: { type: string; properties: Record<string, unknown> }[];
  } {
    const dashboard = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0];
    return JSON.parse(flatten(dashboard?.Properties.DashboardBody));
  }

  it('deploys the template with every placeholder substituted', () => {
    // Prepare
    const dashboard = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0];

    // Act
    const text = flatten(dashboard?.Properties.DashboardBody);

    // Assess
    expect(dashboard?.Properties.DashboardName).toBe('oidcwatch-failures');
    expect(text).not.toMatch(/\$\{[A-Za-z]+\}/);
    expect(text).toContain(`"region":"${CENTRAL.region}"`);
  });

  it('shows failures by cause, by account and Region, and the anomaly band', () => {
    // Prepare
    const body = dashboardBody();

    // Act
    const expressions = body.widgets.flatMap((w) =>
      ((w.properties.metrics as unknown[][] | undefined) ?? [])
        .flat()
        .filter(
          (x): x is { expression: string } =>
            typeof x === 'object' && x !== null && 'expression' in x
        )
        .map((x) => x.expression)
    );

    // Assess
    expect(expressions).toContain(
      `SEARCH('{OIDCWatch,Cause} MetricName="AssumeRoleFailures"', 'Sum', 60)`
    );
    expect(expressions).toContain(
      `SEARCH('{OIDCWatch,Account,Region} MetricName="AssumeRoleFailures"', 'Sum', 300)`
    );
    expect(expressions).toContain('ANOMALY_DETECTION_BAND(total, 2)');
  });

  it('shows the top repositories from both Contributor Insights rules', () => {
    // Prepare
    const body = dashboardBody();

    // Act
    const rules = body.widgets
      .map((w) => (w.properties.insightRule as { ruleName?: string } | undefined)?.ruleName)
      .filter((r) => r !== undefined);

    // Assess
    expect(rules).toEqual([
      expect.stringMatching(/^\{GetAtt:RepositoryBreakdownByRepository\w+\.RuleName\}$/),
      expect.stringMatching(/^\{GetAtt:RepositoryBreakdownByRepositoryAndCause\w+\.RuleName\}$/),
    ]);
  });

  it('lists recent failures one row per failing job, with cause, sub, fix and retries, from the log group', () => {
    // Prepare
    const body = dashboardBody();

    // Act
    const recent = body.widgets.find((w) =>
      String(w.properties.title).startsWith('Recent failures, one row per failing job')
    );
    const query = String(recent?.properties.query);

    // Assess
    expect(recent?.type).toBe('log');
    expect(query).toMatch(
      /^SOURCE '\{Ref:ProcessorLogGroup\w+\}' \| filter msg = 'oidcwatch.result' and outcome = 'failure' \| stats /
    );
    for (const read of [
      'latest(sub)',
      'latest(fix)',
      'latest(explanation)',
      'count(*) as attempts',
    ])
      expect(query).toContain(read);
    expect(query).toMatch(/ by failingJobKey \| sort lastAttempt desc/);
  });

  it('shows the status of all six alarms and the processor health', () => {
    // Prepare
    const body = dashboardBody();

    // Act
    const alarmWidget = body.widgets.find((w) => w.type === 'alarm');
    const health = body.widgets.filter((w) => String(w.properties.title).startsWith('Processor'));

    // Assess
    expect(alarmWidget?.properties.alarms).toHaveLength(6);
    for (const arn of defined(alarmWidget).properties.alarms as string[])
      expect(arn).toMatch(/^\{GetAtt:Alarms\w+\.Arn\}$/);
    expect(health.map((w) => w.properties.title)).toEqual([
      'Processor: invocations, errors, throttles',
      'Processor: duration and concurrency',
    ]);
    expect(JSON.stringify(health)).toContain('{Ref:ProcessorFunction');
  });

  it('names the rules in the EventBridge metrics by name, not by Ref (bus|rule on a custom bus)', () => {
    // Prepare
    const body = dashboardBody();

    // Act
    const rows = body.widgets.flatMap((w) =>
      ((w.properties.metrics as unknown[][] | undefined) ?? []).filter(
        (r) => Array.isArray(r) && r.includes('RuleName')
      )
    );

    // Assess
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const names = rows.map((r) => String(r[r.indexOf('RuleName') + 1]));
    expect(names).toEqual(
      expect.arrayContaining([
        'oidcwatch-web-identity-failures',
        'oidcwatch-chained-assume-role-failures',
        'oidcwatch-central-web-identity-failures',
        'oidcwatch-central-chained-assume-role-failures',
      ])
    );
    for (const n of names) expect(n).not.toContain('{Ref:');
  });

  it('explains every failure cause in the legend', () => {
    // Prepare
    const body = dashboardBody();

    // Act
    const legend = body.widgets.find(
      (w) => w.type === 'text' && String(w.properties.markdown).startsWith('## Causes')
    );

    // Assess
    expect(String(legend?.properties.markdown)).toContain('| `SUB_MISMATCH` |');
    expect(String(legend?.properties.markdown)).toContain('| `MISSING_TAG_SESSION` |');
  });
});

describe('MonitorStack: synthesis', () => {
  it('synthesizes without error or warning annotations', () => {
    // Prepare
    const annotations = Annotations.fromStack(stack);

    // Act
    const errors = annotations.findError('*', Match.anyValue());
    const warnings = annotations.findWarning('*', Match.anyValue());

    // Assess
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
  });

  it('exports the central bus ARN and the processor role ARN for the member accounts', () => {
    // Prepare
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;

    // Act
    const names = Object.keys(outputs);

    // Assess
    expect(names).toEqual(
      expect.arrayContaining([
        'CentralEventBusArn',
        'ProcessorRoleArn',
        'AlarmTopicArn',
        'DashboardUrl',
      ])
    );
  });
});
