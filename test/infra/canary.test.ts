/**
 * The canary in the template: the issuer's function URL, the key's secret (read by the canary
 * functions only), the probe on a 10-minute schedule with one target per opted-in account and
 * Region, the never-assumable canary role in the central account and (as a condition on a
 * parameter) in the member read-role stacks, the processor told the issuer's host, and one
 * heartbeat alarm per target that pages on silence.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OidcwatchStacks } from '../../infra/oidcwatch-app.js';
import { buildApp, CENTRAL, ORGANISATION_CONTEXT, present } from './helpers/synth.js';
import { defined, flatten, resourcesOfType } from './helpers/template-values.js';

const MEMBER = '444455556666';
let stacks: OidcwatchStacks;
let monitor: Template;

beforeAll(() => {
  stacks = buildApp({
    ...ORGANISATION_CONTEXT,
    canaryTargets: `${CENTRAL.account}:${CENTRAL.region},${MEMBER}:us-east-1`,
    canaryIssuerHost: 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws',
  }).stacks;
  monitor = Template.fromStack(stacks.monitor);
});

function byName(type: string, prefix: string) {
  return Object.entries(resourcesOfType(monitor, type)).filter(([id]) => id.startsWith(prefix));
}

describe('canary: heartbeat alarms', () => {
  it('pages when a target’s heartbeat is missing for three 10-minute periods, missing data breaching', () => {
    // Prepare
    const alarms = Object.values(resourcesOfType(monitor, 'AWS::CloudWatch::Alarm')).filter(
      (a) => a.Properties.MetricName === 'CanaryHeartbeat'
    );

    // Act
    const props = alarms.map((a) => a.Properties);

    // Assess
    expect(props.map((p) => p.AlarmName)).toEqual([
      `oidcwatch-canary-${CENTRAL.account}-${CENTRAL.region}`,
      `oidcwatch-canary-${MEMBER}-us-east-1`,
    ]);
    for (const p of props)
      expect(p).toMatchObject({
        Namespace: 'OIDCWatch',
        Statistic: 'Sum',
        Period: 600,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 3,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: [{ Ref: expect.stringMatching(/^OnCallTopic/) }],
        OKActions: [{ Ref: expect.stringMatching(/^OnCallTopic/) }],
      });
    expect(props[1]?.Dimensions).toEqual([
      { Name: 'Account', Value: MEMBER },
      { Name: 'Region', Value: 'us-east-1' },
    ]);
  });
});

describe('canary: issuer, key and probe', () => {
  it('serves the issuer from a function URL STS can reach without signing', () => {
    // Prepare
    const urls = Object.values(resourcesOfType(monitor, 'AWS::Lambda::Url'));

    // Act
    const targets = urls.map((u) => flatten(u.Properties.TargetFunctionArn));

    // Assess
    expect(urls.map((u) => u.Properties.AuthType)).toEqual(['NONE']);
    expect(targets).toEqual([expect.stringMatching(/^\{GetAtt:CanaryIssuer\w+\.Arn\}$/)]);
  });

  it('lets only the canary functions read the key, and only the probe write it', () => {
    // Prepare
    const secret = defined(byName('AWS::SecretsManager::Secret', 'CanaryKey')[0])[0];
    const policies = Object.values(resourcesOfType(monitor, 'AWS::IAM::Policy'));

    // Act
    const onSecret = policies.filter((p) => JSON.stringify(p.Properties).includes(`"${secret}"`));
    const roles = onSecret.map((p) => flatten((p.Properties.Roles as unknown[])[0]));
    const writers = onSecret
      .filter((p) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('secretsmanager:PutSecretValue')
      )
      .map((p) => flatten((p.Properties.Roles as unknown[])[0]));

    // Assess
    expect(roles.sort()).toEqual([
      expect.stringMatching(/^\{Ref:CanaryIssuerRole/),
      expect.stringMatching(/^\{Ref:CanaryProbeRole/),
    ]);
    expect(writers).toEqual([expect.stringMatching(/^\{Ref:CanaryProbeRole/)]);
    const env = JSON.stringify(resourcesOfType(monitor, 'AWS::Lambda::Function'));
    expect(env).not.toContain('"d":');
  });

  it('runs the probe every 10 minutes against each target’s canary role and Region', () => {
    // Prepare
    const schedule = Object.values(resourcesOfType(monitor, 'AWS::Events::Rule')).find(
      (r) => r.Properties.ScheduleExpression !== undefined
    );
    const probe = defined(byName('AWS::Lambda::Function', 'CanaryProbe')[0])[1];

    // Act
    const env = (probe.Properties.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(schedule?.Properties.ScheduleExpression).toBe('rate(10 minutes)');
    expect(JSON.parse(flatten(env.OIDCWATCH_CANARY_TARGETS))).toEqual([
      {
        roleArn: `arn:{Ref:AWS::Partition}:iam::${CENTRAL.account}:role/oidcwatch-canary`,
        region: CENTRAL.region,
      },
      {
        roleArn: `arn:{Ref:AWS::Partition}:iam::${MEMBER}:role/oidcwatch-canary`,
        region: 'us-east-1',
      },
    ]);
    expect(flatten(env.OIDCWATCH_CANARY_ISSUER)).toMatch(/^https:\/\/\{Select:/);
  });

  it('tells the processor the issuer’s host, so that it knows a heartbeat from a failure', () => {
    // Prepare
    const processor = Object.values(resourcesOfType(monitor, 'AWS::Lambda::Function')).find(
      (f) => f.Properties.FunctionName === 'oidcwatch-processor'
    );

    // Act
    const env = (
      defined(processor).Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;

    // Assess
    expect(JSON.stringify(env.OIDCWATCH_CANARY_ISSUER_HOST)).toContain('CanaryIssuerFunctionUrl');
  });
});

describe('canary: the role that can never be assumed', () => {
  it('denies AssumeRoleWithWebIdentity to the canary provider explicitly and grants nothing', () => {
    // Prepare
    const role = Object.values(resourcesOfType(monitor, 'AWS::IAM::Role')).find(
      (r) => r.Properties.RoleName === 'oidcwatch-canary'
    );

    // Act
    const trust = (
      defined(role).Properties.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }
    ).Statement;

    // Assess
    const deny = trust.find((s) => s.Effect === 'Deny');
    expect(deny).toMatchObject({
      Action: 'sts:AssumeRoleWithWebIdentity',
      Principal: {
        Federated: { 'Fn::GetAtt': [expect.stringMatching(/^CanaryRoleProvider/), 'Arn'] },
      },
    });
    expect(deny?.Condition).toBeUndefined();
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toEqual([
      {
        PolicyName: 'DenyEverything',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Sid: 'NothingAtAll', Effect: 'Deny', Action: '*', Resource: '*' }],
        },
      },
    ]);
    const provider = Object.values(resourcesOfType(monitor, 'AWS::IAM::OIDCProvider'))[0];
    expect(provider?.Properties.ClientIdList).toEqual(['sts.amazonaws.com']);
    expect(flatten(provider?.Properties.Url)).toMatch(/^https:\/\/\{Select:/);
  });

  it('adds the provider and the role to a member account when the issuer host is given', () => {
    // Prepare
    const member = Template.fromStack(present(stacks.readRoles[0]));
    const json = member.toJSON() as {
      Parameters: Record<string, { Default?: string }>;
      Resources: Record<
        string,
        { Type: string; Condition?: string; Properties: Record<string, unknown> }
      >;
    };

    // Act
    const canary = Object.values(json.Resources).filter(
      (r) => r.Type === 'AWS::IAM::OIDCProvider' || r.Properties.RoleName === 'oidcwatch-canary'
    );

    // Assess
    expect(json.Parameters.CanaryIssuerHost?.Default).toBe(
      'abcdefghijklmnop.lambda-url.eu-west-1.on.aws'
    );
    expect(canary.map((r) => r.Condition)).toEqual(['WithCanary', 'WithCanary']);
  });
});
