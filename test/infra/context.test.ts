import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { ContextError, readContext } from '../../infra/context.js';
import { addOidcwatchStacks } from '../../infra/oidcwatch-app.js';

/** A node with `context`, and an e-mail to page unless `context` says otherwise. */
function nodeWith(context: Record<string, unknown>) {
  const all: Record<string, unknown> = { email: 'oncall@example.com', ...context };
  return { tryGetContext: (key: string) => all[key] };
}

describe('readContext', () => {
  it('reads lists as comma-separated text or JSON arrays', () => {
    // Prepare
    const node = nodeWith({
      memberAccounts: '444455556666, 777788889999',
      memberRegions: '["eu-west-1","us-east-1"]',
    });

    // Act
    const settings = readContext(node);

    // Assess
    expect(settings.memberAccounts).toEqual(['444455556666', '777788889999']);
    expect(settings.memberRegions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('reads numbers given as -c strings', () => {
    // Prepare
    const node = nodeWith({
      failureSpikeThreshold: '40',
      anomalyBandWidth: '2.5',
      logRetentionDays: '90',
    });

    // Act
    const settings = readContext(node);

    // Assess
    expect(settings.thresholds.failureSpikeThreshold).toBe(40);
    expect(settings.thresholds.anomalyBandWidth).toBe(2.5);
    expect(settings.logRetention).toBe(RetentionDays.THREE_MONTHS);
  });

  it('falls back to the CLI default environment for the central account and Region', () => {
    // Prepare
    const env = { CDK_DEFAULT_ACCOUNT: '111122223333', CDK_DEFAULT_REGION: 'eu-west-1' };

    // Act
    const settings = readContext(nodeWith({ centralRegion: 'eu-central-1' }), env);

    // Assess
    expect(settings.centralAccount).toBe('111122223333');
    expect(settings.centralRegion).toBe('eu-central-1');
  });

  it.each([
    [{ email: 'oncall' }, 'context "email" must be an e-mail address, got "oncall"'],
    [
      { organizationId: 'org-1' },
      'context "organizationId" must be an organisation id (o-…), got "org-1"',
    ],
    [
      { memberAccounts: '4444,777788889999' },
      'context "memberAccounts" must list 12-digit account ids; "4444" is not one',
    ],
    [
      { failureSpikeThreshold: '0' },
      'context "failureSpikeThreshold" must be a number above 0 and at most 1000000, got "0"',
    ],
    [
      { reservedConcurrency: '2.5' },
      'context "reservedConcurrency" must be a whole number, got "2.5"',
    ],
    [
      { failureSpikeDatapoints: '6' },
      'context "failureSpikeDatapoints" (M) must not exceed "failureSpikeEvaluationPeriods" (N)',
    ],
  ])('rejects %j naming the key', (context, message) => {
    // Prepare
    const node = nodeWith(context);

    // Act
    const read = () => readContext(node);

    // Assess
    expect(read).toThrow(ContextError);
    expect(read).toThrow(message);
  });

  it('rejects a log retention CloudWatch Logs does not offer', () => {
    // Prepare
    const node = nodeWith({ logRetentionDays: 45 });

    // Act
    const read = () => readContext(node);

    // Assess
    expect(read).toThrow(
      /context "logRetentionDays" must be one of CloudWatch Logs' retention periods \(1, 3, 5, 7, 14, 30/
    );
  });
});

describe('readContext: settings that would deploy yet miss failures or pages', () => {
  it.each([
    [
      { email: undefined },
      'nobody would be paged: set context "email" (e.g. -c email=oncall@example.com), "pagerDutyRoutingKeySecret" or "alarmTopicArn"',
    ],
    [
      { memberAccounts: '444455556666', memberRegions: 'eu-west-1' },
      'context "memberRegions" must include us-east-1: calls to the global STS endpoint (sts.amazonaws.com) are logged there',
    ],
    [
      { memberRegions: 'eu-west-1,us-east-1' },
      'context "memberRegions" is set but "memberAccounts" is not',
    ],
    [
      { processorConcurrency: '1' },
      'context "processorConcurrency" must be at least 2 (the SQS event source\'s minimum), got "1"',
    ],
  ])('refuses %j with a message saying what would be missed', (context, message) => {
    // Prepare
    const node = nodeWith(context);

    // Act
    const read = () => readContext(node);

    // Assess
    expect(read).toThrow(ContextError);
    expect(read).toThrow(message);
  });

  it.each([
    [{ email: undefined, noSubscriber: 'true' }],
    [{ email: undefined, pagerDutyRoutingKeySecret: 'oidcwatch/pagerduty' }],
    [{ email: undefined, alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:paging' }],
  ])('accepts %j: someone is paged, or the operator said no one is yet', (context) => {
    // Prepare
    const node = nodeWith(context);

    // Act
    const read = () => readContext(node);

    // Assess
    expect(read).not.toThrow();
  });
});

describe('addOidcwatchStacks', () => {
  it('gives the central account forwarders in its other Regions, without listing it', () => {
    // Prepare
    const app = new App();
    const settings = readContext(
      nodeWith({
        centralAccount: '111122223333',
        centralRegion: 'eu-west-1',
        organizationId: 'o-a1b2c3d4e5',
        memberAccounts: '444455556666',
        memberRegions: 'eu-west-1,us-east-1',
      })
    );

    // Act
    const stacks = addOidcwatchStacks(app, settings);

    // Assess
    expect(stacks.forwarders.map((s) => `${s.account}/${s.region}`)).toEqual([
      '444455556666/eu-west-1',
      '444455556666/us-east-1',
      '111122223333/us-east-1',
    ]);
    expect(stacks.readRoles.map((s) => s.account)).toEqual(['444455556666']);
  });

  it('needs the central account and Region to build per-member stacks', () => {
    // Prepare
    const app = new App();
    const settings = readContext(
      nodeWith({ memberAccounts: '444455556666', memberRegions: 'eu-west-1,us-east-1' })
    );

    // Act
    const add = () => addOidcwatchStacks(app, settings);

    // Assess
    expect(add).toThrow(ContextError);
    expect(add).toThrow(/set context "centralAccount" and "centralRegion"/);
  });
});
