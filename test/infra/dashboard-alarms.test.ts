/**
 * The dashboard shows every alarm the monitor stack makes, whatever the deployment adds (canary
 * heartbeats per account and Region, the annotator's dead-letter alarm, PagerDuty delivery), and
 * a heartbeat line per canary target; checked on the synthesized template, so an alarm added
 * later without reaching the dashboard fails here.
 */
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  ALARM_WIDGET_LIMIT,
  loadDashboardTemplate,
  withAlarms,
  withCanaryTargets,
} from '../../infra/lib/dashboard-template.js';
import { buildApp, ORGANISATION_CONTEXT } from './helpers/synth.js';
import { flatten, resourcesOfType } from './helpers/template-values.js';

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

const CANARY_TARGETS = '111122223333:eu-west-1,444455556666:eu-west-1,444455556666:us-east-1';
const ANNOTATOR = {
  githubAppId: '123456',
  githubAppPrivateKeySecret: 'oidcwatch/github-app-private-key',
};

/** The monitor template of an app built from `context`. */
function monitorTemplate(context: Record<string, unknown>): Template {
  const { stacks } = buildApp({ ...ORGANISATION_CONTEXT, ...context });
  return Template.fromStack(stacks.monitor);
}

/** The deployed dashboard body, `{GetAtt:…}` markers for the alarm ARNs. */
function bodyOf(template: Template): { widgets: Widget[] } {
  const dashboard = Object.values(resourcesOfType(template, 'AWS::CloudWatch::Dashboard'))[0];
  return JSON.parse(flatten(dashboard?.Properties.DashboardBody));
}

/** The alarms of the template that no alarm widget of `body` lists, by logical id. */
function alarmsMissing(template: Template, body: { widgets: Widget[] }): string[] {
  const listed = new Set(
    body.widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms as string[])
  );
  return Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).filter(
    (id) => !listed.has(`{GetAtt:${id}.Arn}`)
  );
}

describe('dashboard alarms: every alarm the monitor stack makes', () => {
  it('lists every alarm with the canary on three targets, the annotator and PagerDuty on', () => {
    // Prepare
    const template = monitorTemplate({
      canaryTargets: CANARY_TARGETS,
      pagerDutyRoutingKeySecret: 'oidcwatch/pagerduty',
      ...ANNOTATOR,
    });
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    const names = Object.values(alarms).map((a) => a.Properties.AlarmName);

    // Act
    const missing = alarmsMissing(template, bodyOf(template));

    // Assess
    expect(names).toEqual(
      expect.arrayContaining([
        'oidcwatch-intake-age',
        'oidcwatch-notifier-errors',
        'oidcwatch-notifier-pagerduty',
        'oidcwatch-annotator-dead-letters',
        'oidcwatch-canary-111122223333-eu-west-1',
        'oidcwatch-canary-444455556666-eu-west-1',
        'oidcwatch-canary-444455556666-us-east-1',
      ])
    );
    expect(missing).toEqual([]);
  });

  it('lists every alarm with the annotator off and the default canary target', () => {
    // Prepare
    const template = monitorTemplate({});

    // Act
    const body = bodyOf(template);
    const missing = alarmsMissing(template, body);
    const listed = body.widgets
      .filter((w) => w.type === 'alarm')
      .flatMap((w) => w.properties.alarms as string[]);

    // Assess
    expect(missing).toEqual([]);
    expect(listed).toHaveLength(
      Object.keys(resourcesOfType(template, 'AWS::CloudWatch::Alarm')).length
    );
    expect(JSON.stringify(body)).not.toContain('annotator');
  });

  it('fails when one alarm of the stack is left off the dashboard', () => {
    // Prepare
    const template = monitorTemplate({ canaryTargets: CANARY_TARGETS, ...ANNOTATOR });
    const body = bodyOf(template);
    const alarmWidget = body.widgets.find((w) => w.type === 'alarm') as Widget;
    const dropped = (alarmWidget.properties.alarms as string[]).find((a) =>
      a.includes('Annotator')
    );
    alarmWidget.properties.alarms = (alarmWidget.properties.alarms as string[]).filter(
      (a) => a !== dropped
    );

    // Act
    const missing = alarmsMissing(template, body);

    // Assess
    expect(dropped).toBeDefined();
    expect(missing).toEqual([expect.stringMatching(/^AnnotatorDeadLetterAlarm\w+$/)]);
  });
});

describe('dashboard canary heartbeat', () => {
  it('draws one heartbeat line per target, missing heartbeats as 0, and drops the widget without a canary', () => {
    // Prepare
    const withCanary = bodyOf(monitorTemplate({ canaryTargets: CANARY_TARGETS }));
    const without = bodyOf(monitorTemplate({ canaryTargets: 'none' }));
    const heartbeat = (b: { widgets: Widget[] }) =>
      b.widgets.find((w) => String(w.properties.title).startsWith('Canary heartbeat'));

    // Act
    const rows = (heartbeat(withCanary)?.properties.metrics ?? []) as unknown[][];

    // Assess
    expect(rows.filter((r) => r[1] === 'CanaryHeartbeat').map((r) => r.slice(2, 6))).toEqual([
      ['Account', '111122223333', 'Region', 'eu-west-1'],
      ['Account', '444455556666', 'Region', 'eu-west-1'],
      ['Account', '444455556666', 'Region', 'us-east-1'],
    ]);
    expect(
      rows.flat().filter((x) => typeof x === 'object' && x !== null && 'expression' in x)
    ).toEqual([
      { expression: 'FILL(h0, 0)', label: '111122223333 eu-west-1', id: 'e0' },
      { expression: 'FILL(h1, 0)', label: '444455556666 eu-west-1', id: 'e1' },
      { expression: 'FILL(h2, 0)', label: '444455556666 us-east-1', id: 'e2' },
    ]);
    expect(heartbeat(without)).toBeUndefined();
  });

  it('shows the intake queue age and depth by the queue the stack makes', () => {
    // Prepare
    const body = bodyOf(monitorTemplate({}));

    // Act
    const intake = body.widgets.find((w) => String(w.properties.title).startsWith('Intake queue'));
    const rows = (intake?.properties.metrics ?? []) as unknown[][];

    // Assess
    expect(rows.map((r) => r[1])).toEqual([
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesNotVisible',
    ]);
    for (const r of rows) expect(r[3]).toMatch(/^\{GetAtt:IntakeQueue\w+\.QueueName\}$/);
  });
});

describe('withAlarms: the 100-alarm limit of an alarm widget', () => {
  it('splits more than 100 alarms over stacked widgets, none over the limit, none lost, no overlap', () => {
    // Prepare
    const arns = Array.from(
      { length: 230 },
      (_, i) => `arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-canary-${i}`
    );

    // Act
    const body = withAlarms(withCanaryTargets(loadDashboardTemplate(), []), arns) as {
      widgets: Widget[];
    };

    // Assess
    const alarmWidgets = body.widgets.filter((w) => w.type === 'alarm');
    expect(alarmWidgets.map((w) => (w.properties.alarms as string[]).length)).toEqual([
      ALARM_WIDGET_LIMIT,
      ALARM_WIDGET_LIMIT,
      30,
    ]);
    expect(alarmWidgets.flatMap((w) => w.properties.alarms as string[])).toEqual(arns);
    expect(alarmWidgets.map((w) => w.properties.title)).toEqual([
      'On-call alarms (1 of 3)',
      'On-call alarms (2 of 3)',
      'On-call alarms (3 of 3)',
    ]);
    const cells = new Set<string>();
    let overlaps = 0;
    for (const w of body.widgets)
      for (let x = w.x; x < w.x + w.width; x++)
        for (let y = w.y; y < w.y + w.height; y++) {
          if (cells.has(`${x},${y}`)) overlaps++;
          cells.add(`${x},${y}`);
        }
    expect(overlaps).toBe(0);
  });

  it('keeps one widget titled as the template at 100 alarms exactly', () => {
    // Prepare
    const arns = Array.from(
      { length: 100 },
      (_, i) => `arn:aws:cloudwatch:eu-west-1:1:alarm:a${i}`
    );

    // Act
    const body = withAlarms(loadDashboardTemplate(), arns) as { widgets: Widget[] };

    // Assess
    const alarmWidgets = body.widgets.filter((w) => w.type === 'alarm');
    expect(alarmWidgets).toHaveLength(1);
    expect(alarmWidgets[0]?.properties.title).toBe('On-call alarms');
  });
});
