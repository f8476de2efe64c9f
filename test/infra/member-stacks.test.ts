import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OidcwatchStacks } from '../../infra/oidcwatch-app.js';
import {
  CHAINED_ASSUME_ROLE_FAILURE_PATTERN,
  RULE_STATE,
  WEB_IDENTITY_FAILURE_PATTERN,
} from '../../src/domain/event-pattern.js';
import { buildApp, CENTRAL, ORGANISATION_CONTEXT, present } from './helpers/synth.js';
import { defined, flatten, resourcesOfType } from './helpers/template-values.js';

const CENTRAL_BUS_ARN = `arn:aws:events:${CENTRAL.region}:${CENTRAL.account}:event-bus/oidcwatch`;

let stacks: OidcwatchStacks;
let forwarder: Template;
let readRole: Template;

beforeAll(() => {
  stacks = buildApp(ORGANISATION_CONTEXT).stacks;
  forwarder = Template.fromStack(present(stacks.forwarderTemplate));
  readRole = Template.fromStack(present(stacks.readRoleTemplate));
});

describe('member stacks per account and Region', () => {
  it('adds a forwarder per member account × Region and a read role per member account', () => {
    // Prepare
    const forwarders = stacks.forwarders.map((s) => `${s.account}/${s.region}`);

    // Act
    const readRoles = stacks.readRoles.map((s) => `${s.account}/${s.region}`);

    // Assess
    expect(forwarders).toEqual([
      '444455556666/eu-west-1',
      '444455556666/us-east-1',
      '777788889999/eu-west-1',
      '777788889999/us-east-1',
      // The central account's other Region, though it is not listed.
      `${CENTRAL.account}/us-east-1`,
    ]);
    expect(readRoles).toEqual(['444455556666/eu-west-1', '777788889999/eu-west-1']);
  });

  it('skips the forwarder and the read role the central account does not need', () => {
    // Prepare
    const context = { ...ORGANISATION_CONTEXT, memberAccounts: `${CENTRAL.account},444455556666` };

    // Act
    const { stacks: built } = buildApp(context);

    // Assess
    expect(built.forwarders.map((s) => `${s.account}/${s.region}`)).toEqual([
      `${CENTRAL.account}/us-east-1`,
      '444455556666/eu-west-1',
      '444455556666/us-east-1',
    ]);
    expect(built.readRoles.map((s) => s.account)).toEqual(['444455556666']);
  });

  it('deploys the same template per account as the StackSet template', () => {
    // Prepare
    // Statement ids derive from the stack name; everything else must be identical.
    const text = (t: Template) =>
      JSON.stringify(t.toJSON()).replace(/"Sid":"AllowEventRule\w+"/g, '"Sid":"…"');

    // Act
    const perAccount = text(Template.fromStack(stacks.forwarders[0] as never));

    // Assess
    expect(perAccount === text(forwarder)).toBe(true);
  });
});

describe('ForwarderStack', () => {
  it('takes the central bus as a parameter, defaulting to the monitor bus', () => {
    // Prepare
    const parameters = forwarder.toJSON().Parameters as Record<string, Record<string, unknown>>;

    // Act
    const bus = parameters.CentralEventBusArn;

    // Assess
    expect(bus?.Default).toBe(CENTRAL_BUS_ARN);
    expect(new RegExp(String(bus?.AllowedPattern)).test(CENTRAL_BUS_ARN)).toBe(true);
    expect(new RegExp(String(bus?.AllowedPattern)).test('arn:aws:sqs:eu-west-1:1:q')).toBe(false);
  });

  it('has no CDK bootstrap check and no assets, so StackSets can deploy it', () => {
    // Prepare
    const json = forwarder.toJSON();

    // Act
    const parameters = Object.keys(json.Parameters ?? {});

    // Assess
    expect(parameters).toEqual(['CentralEventBusArn', 'AlarmTopicArn']);
    expect(json.Rules).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('cdk-hnb659fds');
  });

  it('alarms on its dead-letter queue, notifying the given topic only when one is given', () => {
    // Prepare
    const alarm = Object.values(resourcesOfType(forwarder, 'AWS::CloudWatch::Alarm'))[0];

    // Act
    const properties = defined(alarm).Properties;

    // Assess
    expect(properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      AlarmActions: {
        'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
      },
    });
  });

  it('forwards both failure patterns with the read-only management event state', () => {
    // Prepare (the IAM change rule: test/infra/change-correlation.test.ts)
    const rules = Object.values(resourcesOfType(forwarder, 'AWS::Events::Rule')).filter(
      (r) => (r.Properties.EventPattern as { source: string[] }).source[0] === 'aws.sts'
    );

    // Act
    const patterns = rules.map((r) => JSON.stringify(r.Properties.EventPattern));

    // Assess
    expect(rules.map((r) => r.Properties.State)).toEqual([RULE_STATE, RULE_STATE]);
    expect(rules.map((r) => r.Properties.EventBusName)).toEqual([undefined, undefined]);
    expect(patterns).toEqual([
      JSON.stringify(WEB_IDENTITY_FAILURE_PATTERN),
      JSON.stringify(CHAINED_ASSUME_ROLE_FAILURE_PATTERN),
    ]);
  });

  it('targets the central bus with a role and a local dead-letter queue', () => {
    // Prepare
    const expected = {
      Targets: [
        {
          Arn: { Ref: 'CentralEventBusArn' },
          Id: Match.anyValue(),
          RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ForwardRole'), 'Arn'] },
          DeadLetterConfig: {
            Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DeadLetterQueue'), 'Arn'] },
          },
        },
      ],
    };

    // Act
    const rules = forwarder.findResources('AWS::Events::Rule', { Properties: expected });

    // Assess (both failure rules and the IAM change rule)
    expect(Object.keys(rules)).toHaveLength(3);
  });

  it('lets the forward role put events on the central bus only', () => {
    // Prepare
    const policies = Object.values(resourcesOfType(forwarder, 'AWS::IAM::Policy'));

    // Act
    const statements = policies.flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: unknown[] }).Statement
    );

    // Assess
    expect(statements).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: { Ref: 'CentralEventBusArn' } },
    ]);
    forwarder.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })],
      },
    });
  });

  it('keeps undeliverable events in an encrypted, TLS-only queue', () => {
    // Prepare
    const expected = { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 };

    // Act
    const queues = forwarder.findResources('AWS::SQS::Queue', { Properties: expected });

    // Assess
    expect(Object.keys(queues)).toHaveLength(1);
    forwarder.hasResourceProperties('AWS::SQS::QueuePolicy', {
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
});

describe('ReadRoleStack', () => {
  it('takes the processor account and the role names as parameters', () => {
    // Prepare
    const parameters = readRole.toJSON().Parameters as Record<string, Record<string, unknown>>;

    // Act
    const defaults = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, v.Default]));

    // Assess
    expect(defaults).toEqual({
      ProcessorAccountId: CENTRAL.account,
      ProcessorRoleName: 'oidcwatch-processor',
      ReadRoleName: 'oidcwatch-read',
      CanaryIssuerHost: '',
    });
    expect(readRole.toJSON().Rules).toBeUndefined();
  });

  it('is trusted only by the processor role of the processor account', () => {
    // Prepare
    const role = Object.values(resourcesOfType(readRole, 'AWS::IAM::Role'))[0];

    // Act
    const statements = (
      defined(role).Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement;

    // Assess
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe('sts:AssumeRole');
    expect(flatten((defined(statements[0]).Principal as { AWS: unknown }).AWS)).toBe(
      'arn:{Ref:AWS::Partition}:iam::{Ref:ProcessorAccountId}:root'
    );
    expect(
      flatten(
        (defined(statements[0]).Condition as { ArnEquals: Record<string, unknown> }).ArnEquals[
          'aws:PrincipalArn'
        ]
      )
    ).toBe('arn:{Ref:AWS::Partition}:iam::{Ref:ProcessorAccountId}:role/{Ref:ProcessorRoleName}');
    expect(role?.Properties.RoleName).toEqual({ Ref: 'ReadRoleName' });
    expect(role?.Properties.MaxSessionDuration).toBe(3600);
  });

  it('allows only the four IAM reads, the Get calls on this account only', () => {
    // Prepare
    const role = Object.values(resourcesOfType(readRole, 'AWS::IAM::Role'))[0];

    // Act
    const statements = (
      defined(role).Properties.Policies as {
        PolicyDocument: { Statement: Record<string, unknown>[] };
      }[]
    ).flatMap((p) => p.PolicyDocument.Statement);

    // Assess
    expect(statements.map((s) => [s.Action, s.Effect])).toEqual([
      [['iam:GetRole', 'iam:GetOpenIDConnectProvider'], 'Allow'],
      [['iam:ListRoles', 'iam:ListOpenIDConnectProviders'], 'Allow'],
    ]);
    expect((defined(statements[0]).Resource as unknown[]).map(flatten)).toEqual([
      'arn:{Ref:AWS::Partition}:iam::{Ref:AWS::AccountId}:role/*',
      'arn:{Ref:AWS::Partition}:iam::{Ref:AWS::AccountId}:oidc-provider/*',
    ]);
    expect(statements[1]?.Resource).toBe('*');
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(Object.keys(resourcesOfType(readRole, 'AWS::IAM::Policy'))).toEqual([]);
  });
});
