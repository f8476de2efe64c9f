import { describe, expect, it } from 'vitest';
import {
  normaliseAlarmTime,
  parseAlarmNotification,
} from '../../../src/domain/page/alarm-notification.js';
import { alarmWindow } from '../../../src/domain/page/facts.js';
import { alarmNotification, FIRED_AT, WINDOW } from '../../fixtures/page/result-sets.js';

function parsed(overrides: Record<string, unknown> = {}) {
  const result = parseAlarmNotification(JSON.stringify(alarmNotification(overrides)));
  if (!result.ok) throw new Error(result.reason);
  return result.alarm;
}

describe('parseAlarmNotification', () => {
  it('reads the fields the page needs from a CloudWatch alarm notification', () => {
    // Prepare
    const message = JSON.stringify(alarmNotification());

    // Act
    const result = parseAlarmNotification(message);

    // Assess
    expect(result).toEqual({
      ok: true,
      alarm: {
        alarmName: 'oidcwatch-failure-spike',
        alarmDescription: expect.stringContaining('More than 24 failed'),
        alarmArn: 'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-failure-spike',
        account: '111122223333',
        region: 'eu-west-1',
        newState: 'ALARM',
        oldState: 'OK',
        reason: expect.stringMatching(/^Threshold Crossed/),
        stateChangeTime: '2026-11-27T14:05:07.412Z',
        periodSeconds: 60,
        evaluationPeriods: 5,
      },
    });
  });

  it('takes the period of a metric-math or anomaly alarm from its metrics', () => {
    // Prepare
    const trigger = {
      Metrics: [
        { Id: 'expr_1', Expression: 'ANOMALY_DETECTION_BAND(m0, 2)' },
        { Id: 'm0', MetricStat: { Metric: { MetricName: 'AssumeRoleFailures' }, Period: 300 } },
      ],
      EvaluationPeriods: 3,
    };

    // Act
    const alarm = parsed({ Trigger: trigger, AlarmName: 'oidcwatch-failure-anomaly' });

    // Assess
    expect(alarm.periodSeconds).toBe(300);
    expect(alarm.evaluationPeriods).toBe(3);
  });

  it('accepts an already parsed object and a notification without trigger or ARN', () => {
    // Prepare
    const body = { AlarmName: 'hand-made', NewStateValue: 'OK' };

    // Act
    const result = parseAlarmNotification(body);

    // Assess
    expect(result).toMatchObject({
      ok: true,
      alarm: {
        alarmName: 'hand-made',
        newState: 'OK',
        oldState: null,
        region: null,
        account: null,
        reason: '',
        stateChangeTime: null,
        periodSeconds: null,
      },
    });
  });

  it.each([
    ['not JSON', 'Your subscription is confirmed', 'the message is not JSON'],
    ['a JSON array', '[1,2]', 'the message is not a JSON object'],
    ['a number', 42, 'the message is not a JSON object'],
    ['without AlarmName', JSON.stringify({ NewStateValue: 'ALARM' }), 'no AlarmName'],
    [
      'with another state',
      JSON.stringify({ AlarmName: 'a', NewStateValue: 'FIRING' }),
      'NewStateValue is not',
    ],
    [
      "the notifier's own structured page",
      JSON.stringify({ schema: 'oidcwatch.page/1', kind: 'alarm' }),
      'no AlarmName',
    ],
  ])('refuses a message that is %s, with the reason', (_what, message, reason) => {
    // Prepare
    const input: unknown = message;

    // Act
    const result = parseAlarmNotification(input);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(reason);
  });

  it('reads CloudWatch times with a colon-less offset and rejects unreadable ones', () => {
    // Prepare
    const times = ['2026-11-27T14:05:07.412+0000', '2026-11-27T16:05:07+0200', 'yesterday', ''];

    // Act
    const read = times.map(normaliseAlarmTime);

    // Assess
    expect(read).toEqual(['2026-11-27T14:05:07.412Z', '2026-11-27T14:05:07.000Z', null, null]);
  });
});

describe('alarmWindow', () => {
  it('covers the periods the alarm judged, ending at its state change', () => {
    // Prepare
    const alarm = parsed();

    // Act
    const window = alarmWindow(alarm, Date.parse('2026-11-27T14:05:30Z'));

    // Assess
    expect(window).toEqual(WINDOW);
    expect(FIRED_AT).toContain('14:05:07');
  });

  it('gives a one-minute alarm five minutes and caps a long one at sixty', () => {
    // Prepare
    const oneMinute = parsed({ Trigger: { Period: 60, EvaluationPeriods: 1 } });
    const long = parsed({ Trigger: { Period: 3600, EvaluationPeriods: 24 } });
    const now = Date.parse('2026-11-27T15:00:00Z');

    // Act
    const short = alarmWindow(oneMinute, now);
    const capped = alarmWindow(long, now);

    // Assess
    expect((short.endMs - short.startMs) / 60_000).toBe(5);
    expect((capped.endMs - capped.startMs) / 60_000).toBe(60);
  });

  it('ends now when the state change time is missing or in the future', () => {
    // Prepare
    const now = Date.parse('2026-11-27T14:00:00Z');
    const missing = parsed({ StateChangeTime: undefined });
    const future = parsed({ StateChangeTime: '2026-11-27T15:00:00.000+0000' });

    // Act
    const windows = [alarmWindow(missing, now), alarmWindow(future, now)];

    // Assess
    for (const w of windows) expect(w.endMs).toBe(now);
  });
});
