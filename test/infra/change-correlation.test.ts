/**
 * The infrastructure of change correlation: the change table (keys, TTL, encryption, on-demand),
 * the processor's least-privilege access to it, the IAM configuration-change rules of the monitor
 * (this account, enabled only in us-east-1 where IAM delivers; and the central bus) and of the
 * forwarder (one template, enabled in us-east-1), the pattern against real-shaped envelopes, and
 * the dashboard widget that shows changes beside failures.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { findUnknownNames, loadDashboardTemplate } from '../../infra/lib/dashboard-template.js';
import type { OidcwatchStacks } from '../../infra/oidcwatch-app.js';
import {
  IAM_CONFIGURATION_CHANGE_PATTERN,
  IAM_EVENTS_REGION,
} from '../../src/domain/event-pattern.js';
import { failedWebIdentityRecord } from '../helpers/cloudtrail-records.js';
import {
  clientIdRecord,
  createProviderRecord,
  createRoleRecord,
  deleteProviderRecord,
  deleteRoleRecord,
  iamEnvelope,
  thumbprintRecord,
  updateTrustPolicyRecord,
} from '../helpers/iam-change-records.js';
import { githubTrustPolicy } from '../helpers/iam-view.js';
import { matchesEventPattern } from './helpers/event-pattern-matcher.js';
import {
  acknowledgements,
  buildApp,
  CENTRAL,
  ORGANISATION_CONTEXT,
  present,
} from './helpers/synth.js';
import { defined, resourcesOfType } from './helpers/template-values.js';

type Resource = { Properties: Record<string, unknown>; Condition?: string };

let stacks: OidcwatchStacks;
let monitor: Template;
let forwarder: Template;
let acks: ReturnType<typeof acknowledgements>;

beforeAll(() => {
  const built = buildApp(ORGANISATION_CONTEXT);
  stacks = built.stacks;
  monitor = Template.fromStack(stacks.monitor);
  forwarder = Template.fromStack(present(stacks.forwarderTemplate));
  acks = acknowledgements(built.app);
});

function tableId(): string {
  const ids = Object.keys(resourcesOfType(monitor, 'AWS::DynamoDB::Table'));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

function changeRules(t: Template): Resource[] {
  return Object.values(resourcesOfType(t, 'AWS::Events::Rule')).filter(
    (r) =>
      (r.Properties.EventPattern as { source?: string[] } | undefined)?.source?.[0] === 'aws.iam'
  );
}

/** The logical id of the condition an `Fn::If` state names, and the condition's expression. */
function stateCondition(t: Template, rule: Resource): unknown {
  const ifs = (rule.Properties.State as { 'Fn::If': [string, string, string] })['Fn::If'];
  expect(ifs.slice(1)).toEqual(['ENABLED', 'DISABLED']);
  return (t.toJSON().Conditions as Record<string, unknown>)[ifs[0]];
}

describe('change table', () => {
  it('keys items by role or provider and time, expires them through the TTL attribute, on demand', () => {
    // Prepare
    const table = resourcesOfType(monitor, 'AWS::DynamoDB::Table')[tableId()] as Resource;

    // Act
    const p = table.Properties;

    // Assess
    expect(p.TableName).toBe('oidcwatch-changes');
    expect(p.KeySchema).toEqual([
      { AttributeName: 'target', KeyType: 'HASH' },
      { AttributeName: 'at', KeyType: 'RANGE' },
    ]);
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(p.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('is encrypted at rest with the AWS managed KMS key', () => {
    // Prepare
    const table = resourcesOfType(monitor, 'AWS::DynamoDB::Table')[tableId()] as Resource;

    // Act
    const sse = table.Properties.SSESpecification;

    // Assess
    expect(sse).toEqual({ SSEEnabled: true });
  });

  it('acknowledges point-in-time recovery with a reason: the records are derived and expire', () => {
    // Prepare
    const onTable = acks.filter((a) => a.path.startsWith('OidcwatchMonitor/ChangeTable'));

    // Act
    const ids = onTable.map((a) => a.id.replace(/^\w+::(?=AwsSolutions-)/, ''));

    // Assess
    expect(ids).toEqual(['AwsSolutions-DDB3']);
    expect(onTable[0]?.reason).toContain('derived from CloudTrail');
  });
});

describe('processor access to the change table', () => {
  it('allows only PutItem and Query, on this table only', () => {
    // Prepare
    const statements = Object.values(resourcesOfType(monitor, 'AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement
    );

    // Act
    const onTable = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));

    // Assess
    expect(onTable).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:Query'],
        Resource: { 'Fn::GetAtt': [tableId(), 'Arn'] },
      },
    ]);
  });

  it('names the table and its retention in the processor environment', () => {
    // Prepare
    const fn = Object.values(resourcesOfType(monitor, 'AWS::Lambda::Function')).find((f) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes('OIDCWATCH_NAMESPACE')
    );

    // Act
    const vars = (defined(fn).Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;

    // Assess
    expect(vars.OIDCWATCH_CHANGE_TABLE).toEqual({ Ref: tableId() });
    expect(vars.OIDCWATCH_CHANGE_TTL_DAYS).toBe('7');
  });
});

describe('configuration change rules', () => {
  it('catches IAM changes on the monitor account’s default bus, enabled only in us-east-1', () => {
    // Prepare
    const local = changeRules(monitor).filter((r) => r.Properties.EventBusName === undefined);

    // Act
    const condition = stateCondition(monitor, local[0] as Resource);

    // Assess
    expect(local).toHaveLength(1);
    expect(local[0]?.Properties.Name).toBe('oidcwatch-configuration-changes');
    expect(local[0]?.Properties.EventPattern).toEqual(IAM_CONFIGURATION_CHANGE_PATTERN);
    expect(condition).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, IAM_EVENTS_REGION] });
  });

  it('catches changes forwarded to the central bus in any Region, always enabled', () => {
    // Prepare
    const central = changeRules(monitor).filter((r) => r.Properties.EventBusName !== undefined);

    // Act
    const states = central.map((r) => r.Properties.State);

    // Assess
    expect(central).toHaveLength(1);
    expect(states).toEqual(['ENABLED']);
    expect(central[0]?.Properties.Name).toBe('oidcwatch-central-configuration-changes');
  });

  it('sends changes to the processor’s intake queue, with the failure rules’ retry policy and dead-letter queue', () => {
    // Prepare
    const rules = changeRules(monitor);

    // Act
    const targets = rules.map((r) => (r.Properties.Targets as Record<string, unknown>[])[0]);

    // Assess
    for (const t of targets) {
      expect(JSON.stringify(t?.Arn)).toContain('IntakeQueue');
      expect(t?.RetryPolicy).toEqual({
        MaximumRetryAttempts: 185,
        MaximumEventAgeInSeconds: 86_400,
      });
      expect(JSON.stringify(t?.DeadLetterConfig)).toContain('DeadLetterQueue');
    }
  });

  it('forwards changes from member accounts to the central bus, enabled only in us-east-1', () => {
    // Prepare
    const rules = changeRules(forwarder);

    // Act
    const condition = stateCondition(forwarder, rules[0] as Resource);

    // Assess
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties.EventBusName).toBeUndefined();
    expect(rules[0]?.Properties.EventPattern).toEqual(IAM_CONFIGURATION_CHANGE_PATTERN);
    expect((defined(rules[0]).Properties.Targets as { Arn: unknown }[])[0]?.Arn).toEqual({
      Ref: 'CentralEventBusArn',
    });
    expect(condition).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, IAM_EVENTS_REGION] });
  });

  it('puts the forwarder in us-east-1 of every member account, and of the central account', () => {
    // Prepare
    const inIamRegion = stacks.forwarders.filter((s) => s.region === IAM_EVENTS_REGION);

    // Act
    const accounts = inIamRegion.map((s) => s.account);

    // Assess
    expect(accounts).toEqual(['444455556666', '777788889999', CENTRAL.account]);
  });
});

describe('IAM_CONFIGURATION_CHANGE_PATTERN', () => {
  it('matches each of the eight IAM calls as EventBridge delivers them', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:acme/api:ref:refs/heads/main');
    const records = [
      updateTrustPolicyRecord('deploy', policy),
      createRoleRecord('deploy', policy),
      deleteRoleRecord('deploy'),
      createProviderRecord(),
      deleteProviderRecord(),
      thumbprintRecord(['1c58a3a8518e8759bf075b76b750d4f2df264fcd']),
      clientIdRecord('add', 'sts.amazonaws.com'),
      clientIdRecord('remove', 'sts.amazonaws.com'),
    ];

    // Act
    const matched = records.map((r) =>
      matchesEventPattern(IAM_CONFIGURATION_CHANGE_PATTERN, iamEnvelope(r))
    );

    // Assess
    expect(matched).toEqual(Array(8).fill(true));
  });

  it('does not match a failed change, another IAM call, or an STS failure', () => {
    // Prepare
    const failed = updateTrustPolicyRecord('deploy', {}, { errorCode: 'MalformedPolicyDocument' });
    const other = { ...deleteRoleRecord('deploy'), eventName: 'PutRolePolicy' };
    const sts = {
      ...iamEnvelope(failedWebIdentityRecord({ sub: 'repo:a/b:ref:refs/heads/main' })),
      source: 'aws.sts',
    };

    // Act
    const matched = [iamEnvelope(failed), iamEnvelope(other), sts].map((e) =>
      matchesEventPattern(IAM_CONFIGURATION_CHANGE_PATTERN, e)
    );

    // Assess
    expect(matched).toEqual([false, false, false]);
  });
});

describe('dashboard: changes beside failures', () => {
  it('draws ConfigurationChanges by ChangeType beside the failed calls in one widget', () => {
    // Prepare
    const widgets = (
      loadDashboardTemplate() as { widgets: { properties: Record<string, unknown> }[] }
    ).widgets;

    // Act
    const widget = widgets.find(
      (w) => w.properties.title === 'Configuration changes beside failures'
    );
    const rows = (widget?.properties.metrics ?? []) as unknown[][];
    const expressions = rows
      .flat()
      .flatMap((x) =>
        typeof x === 'object' && x !== null && 'expression' in x ? [String(x.expression)] : []
      );

    // Assess
    expect(rows.some((r) => r[1] === 'AssumeRoleFailures')).toBe(true);
    expect(expressions).toEqual([
      `SEARCH('{\${Namespace},ChangeType} MetricName="ConfigurationChanges"', 'Sum', 60)`,
    ]);
    expect(findUnknownNames(loadDashboardTemplate())).toEqual([]);
  });

  it('fails the names check on a ChangeType that is not a change type', () => {
    // Prepare
    const body = {
      widgets: [
        {
          type: 'metric',
          properties: {
            title: 't',
            metrics: [['${Namespace}', 'ConfigurationChanges', 'ChangeType', 'POLICY_EDITED']],
          },
        },
      ],
    };

    // Act
    const problems = findUnknownNames(body);

    // Assess
    expect(problems).toEqual(['widget 0 (t): ChangeType "POLICY_EDITED" is not a change type']);
  });
});
