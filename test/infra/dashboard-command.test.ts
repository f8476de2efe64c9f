/**
 * `oidcwatch dashboard`: the body the CDK stack deploys, printed for `aws cloudwatch
 * put-dashboard` with the default names filled in. Checked against the synthesized monitor stack
 * (every name it fills in is a name the stack gives its resources), and
 * `dashboards/oidc-failures.json` is its output for us-east-1: usable as it is, no `${…}` left.
 */
import { readFile } from 'node:fs/promises';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/dashboard.js';
import { dashboardValues } from '../../src/cli/dashboard/dashboard-values.js';
import { fakeIo } from '../helpers/fake-io.js';
import { buildApp, CENTRAL } from './helpers/synth.js';

interface Widget {
  type: string;
  properties: { title?: string; alarms?: string[]; metrics?: unknown[][]; region?: string };
}

async function dashboard(args: readonly string[]) {
  const io = fakeIo();
  const code = await run(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('oidcwatch dashboard', () => {
  let names: Set<string>;

  beforeAll(() => {
    const { stacks } = buildApp({ email: 'oncall@example.com' });
    const json = Template.fromStack(stacks.monitor).toJSON() as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    names = new Set();
    for (const r of Object.values(json.Resources))
      for (const key of ['RuleName', 'AlarmName', 'Name', 'FunctionName', 'LogGroupName'])
        if (typeof r.Properties?.[key] === 'string') names.add(r.Properties[key] as string);
  });

  it('fills in names the monitor stack really gives its resources', () => {
    // Prepare
    const values = dashboardValues({
      region: CENTRAL.region,
      namespace: 'OIDCWatch',
      namePrefix: 'oidcwatch',
      eventBusName: 'oidcwatch',
      account: CENTRAL.account,
      deadLetterQueue: null,
      anomalyBandWidth: 2,
    });

    // Act
    const named = [
      values.LogGroupName,
      values.RepositoryRuleName,
      values.RepositoryCauseRuleName,
      values.ProcessorFunctionName,
      values.WebIdentityRuleName,
      values.ChainedAssumeRoleRuleName,
      values.CentralEventBusName,
      values.CentralWebIdentityRuleName,
      values.CentralChainedAssumeRoleRuleName,
      ...[
        values.FailureSpikeAlarmArn,
        values.FailureAnomalyAlarmArn,
        values.RunawayRepositoryAlarmArn,
        values.ProcessorErrorsAlarmArn,
        values.ProcessorThrottlesAlarmArn,
        values.DeadLetterQueueAlarmArn,
      ].map((arn) => arn?.slice(arn.lastIndexOf(':') + 1)),
    ];

    // Assess
    expect(named.filter((n) => n === null || n === undefined || !names.has(n))).toEqual([]);
  });

  it('prints a complete body with --account and --dead-letter-queue, and says nothing left out', async () => {
    // Act
    const { code, out, err } = await dashboard([
      '--region',
      'eu-west-1',
      '--account',
      '111122223333',
      '--dead-letter-queue',
      'OidcwatchMonitor-DeadLetterQueue-AbC123',
    ]);

    // Assess
    const body = JSON.parse(out) as { widgets: Widget[] };
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).not.toMatch(/\$\{/);
    expect(body.widgets.find((w) => w.type === 'alarm')?.properties.alarms).toContain(
      'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-failure-spike'
    );
    expect(JSON.stringify(body)).toContain('OidcwatchMonitor-DeadLetterQueue-AbC123');
    expect(
      body.widgets
        .filter((w) => w.properties.region !== undefined)
        .every((w) => w.properties.region === 'eu-west-1')
    ).toBe(true);
  });

  it('leaves out what needs the account or the queue name, and says how to add it', async () => {
    // Act
    const { code, out, err } = await dashboard(['--region', 'us-east-1']);

    // Assess
    const body = JSON.parse(out) as { widgets: Widget[] };
    expect(code).toBe(0);
    expect(body.widgets.some((w) => w.type === 'alarm')).toBe(false);
    expect(err).toContain('left out widget "On-call alarms"');
    expect(err).toContain('pass --account to include it');
    expect(err).toContain('pass --dead-letter-queue to include it');
  });

  it('uses the namespace asked for in every metric of the processor', async () => {
    // Act
    const { out } = await dashboard(['--namespace', 'Platform/OIDC']);

    // Assess
    expect(out).toContain('SEARCH(\'{Platform/OIDC,Cause} MetricName=\\"AssumeRoleFailures\\"\'');
    expect(out).not.toContain('OIDCWatch');
  });

  it('is what dashboards/oidc-failures.json holds (us-east-1, default names): usable as it is', async () => {
    // Prepare
    const committed = await readFile('dashboards/oidc-failures.json', 'utf8');

    // Act
    const { out } = await dashboard(['--region', 'us-east-1']);

    // Assess
    expect(committed).not.toMatch(/\$\{/);
    expect(committed).toBe(out);
  });

  it('rejects a malformed Region or account, naming the option', async () => {
    // Act
    const region = await dashboard(['--region', 'europe']);
    const account = await dashboard(['--account', '1234']);

    // Assess
    expect([region.code, account.code]).toEqual([1, 1]);
    expect(region.err).toContain('--region must be a Region such as eu-west-1, got "europe"');
    expect(account.err).toContain('--account must be 12 digits, got "1234"');
  });
});
