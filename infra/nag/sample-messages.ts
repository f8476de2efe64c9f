/**
 * The real shapes of the messages that reach the stack's topics, for the delivery rules: a
 * CloudWatch alarm notification (JSON body, no message attributes) and the notifier's page (the
 * per-protocol body and the attributes `pageMessage` publishes with).
 * {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-sns-notifications.html | Alarm notification format}
 */
import { parseAlarmNotification } from '../../src/domain/page/alarm-notification.js';
import { buildPage } from '../../src/domain/page/build-page.js';
import { pageMessage, plainPageMessage } from '../../src/domain/page/sns-messages.js';
import type { SnsAttribute, SnsMessageSample } from './sns-filter-policy.js';

/** The states an alarm notifies on. */
export type NotifiedState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

/** The body CloudWatch publishes when `alarmName` enters `state` (no message attributes). */
export function alarmNotificationBody(
  alarmName: string,
  state: NotifiedState,
  account = '111122223333',
  region = 'eu-west-1'
): string {
  return JSON.stringify({
    AlarmName: alarmName,
    AlarmDescription: 'oidcwatch alarm',
    AWSAccountId: account,
    AlarmConfigurationUpdatedTimestamp: '2026-11-27T09:00:00.000+0000',
    NewStateValue: state,
    NewStateReason:
      'Threshold Crossed: 3 out of the last 5 datapoints were greater than the threshold (24.0).',
    StateChangeTime: '2026-11-27T14:05:12.301+0000',
    Region: 'EU (Ireland)',
    AlarmArn: `arn:aws:cloudwatch:${region}:${account}:alarm:${alarmName}`,
    OldStateValue: state === 'OK' ? 'ALARM' : 'OK',
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    Trigger: {
      MetricName: 'AssumeRoleFailures',
      Namespace: 'OIDCWatch',
      StatisticType: 'Statistic',
      Statistic: 'SUM',
      Unit: null,
      Dimensions: [],
      Period: 60,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 24,
      TreatMissingData: 'notBreaching',
    },
  });
}

/** An alarm notification as SNS carries it to subscribers. */
export function alarmNotificationSample(alarmName: string, state: NotifiedState): SnsMessageSample {
  return { body: alarmNotificationBody(alarmName, state), attributes: {} };
}

function attributes(a: Readonly<Record<string, string>>): Record<string, SnsAttribute> {
  return Object.fromEntries(
    Object.entries(a)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => [k, { Type: 'String' as const, Value: v }])
  );
}

/**
 * The notifier's page for an alarm, as a subscriber of `protocol` receives it: the full
 * per-protocol message, and the plain-text fallback the notifier publishes when that is refused.
 */
export function pageSamples(alarmName: string, protocol: string): SnsMessageSample[] {
  const parsed = parseAlarmNotification(alarmNotificationBody(alarmName, 'ALARM'));
  if (!parsed.ok) throw new Error(`sample alarm notification unreadable: ${parsed.reason}`);
  const page = buildPage({ alarm: parsed.alarm, facts: null, dashboardUrl: null });
  const full = pageMessage(page);
  const byProtocol = JSON.parse(full.message) as Record<string, string>;
  const plain = plainPageMessage(page);
  return [
    {
      body: byProtocol[protocol] ?? byProtocol.default ?? '',
      attributes: attributes(full.attributes),
    },
    { body: plain.message, attributes: attributes(plain.attributes) },
  ];
}
