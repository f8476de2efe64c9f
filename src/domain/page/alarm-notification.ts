/**
 * Reads the CloudWatch alarm notification that an alarm publishes to SNS (the JSON in the SNS
 * `Message`). Anything else yields `{ ok: false, reason }`: the notifier logs it and moves on.
 * {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-sns-notifications.html | Alarm notification format}
 */

/** The states an alarm can be in. */
export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

const STATES: ReadonlySet<string> = new Set<AlarmState>(['ALARM', 'OK', 'INSUFFICIENT_DATA']);

/** What the page needs from an alarm notification. */
export interface AlarmNotification {
  readonly alarmName: string;
  readonly alarmDescription: string | null;
  readonly alarmArn: string | null;
  readonly account: string | null;
  /** Region code (`eu-west-1`), from the alarm ARN; the notification's `Region` is a display name. */
  readonly region: string | null;
  readonly newState: AlarmState;
  readonly oldState: AlarmState | null;
  readonly reason: string;
  /** ISO 8601, or `null` when absent or unreadable. */
  readonly stateChangeTime: string | null;
  /** Seconds per evaluated period (`Trigger.Period`, or the metrics' periods for metric math). */
  readonly periodSeconds: number | null;
  /** `Trigger.EvaluationPeriods`. */
  readonly evaluationPeriods: number | null;
}

/** The outcome of {@link parseAlarmNotification}. */
export type AlarmParse =
  | { readonly ok: true; readonly alarm: AlarmNotification }
  | { readonly ok: false; readonly reason: string };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v : null;
}

function positive(v: unknown): number | null {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * `StateChangeTime` as ISO 8601. CloudWatch writes `2025-03-04T10:20:31.123+0000` (no colon in the
 * offset), which not every parser accepts.
 */
export function normaliseAlarmTime(v: unknown): string | null {
  const raw = text(v);
  if (raw === null) return null;
  const ms = Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The period of a metric-math trigger: the longest period among its metrics. */
function metricsPeriod(metrics: unknown): number | null {
  if (!Array.isArray(metrics)) return null;
  let longest: number | null = null;
  for (const m of metrics) {
    if (!isObject(m)) continue;
    const stat = isObject(m.MetricStat) ? m.MetricStat : {};
    const p = positive(stat.Period) ?? positive(m.Period);
    if (p !== null && (longest === null || p > longest)) longest = p;
  }
  return longest;
}

function arnPart(arn: string | null, index: number): string | null {
  const part = arn?.split(':')[index];
  return part === undefined || part === '' ? null : part;
}

/**
 * Reads a CloudWatch alarm notification from an SNS message. Never throws.
 *
 * @param message - the SNS `Message` (a JSON string) or an already parsed object
 * @example
 * ```ts
 * const parsed = parseAlarmNotification(record.Sns.Message);
 * if (parsed.ok && parsed.alarm.newState === 'ALARM') { ... }
 * ```
 */
export function parseAlarmNotification(message: unknown): AlarmParse {
  let body: unknown = message;
  if (typeof message === 'string') {
    try {
      body = JSON.parse(message);
    } catch {
      return { ok: false, reason: 'the message is not JSON' };
    }
  }
  if (!isObject(body)) return { ok: false, reason: 'the message is not a JSON object' };
  const alarmName = text(body.AlarmName);
  if (alarmName === null) return { ok: false, reason: 'the message has no AlarmName' };
  const newState = body.NewStateValue;
  if (typeof newState !== 'string' || !STATES.has(newState))
    return { ok: false, reason: 'NewStateValue is not ALARM, OK or INSUFFICIENT_DATA' };
  const oldState = typeof body.OldStateValue === 'string' ? body.OldStateValue : null;
  const trigger = isObject(body.Trigger) ? body.Trigger : {};
  const alarmArn = text(body.AlarmArn);
  return {
    ok: true,
    alarm: {
      alarmName,
      alarmDescription: text(body.AlarmDescription),
      alarmArn,
      account: text(body.AWSAccountId) ?? arnPart(alarmArn, 4),
      region: arnPart(alarmArn, 3),
      newState: newState as AlarmState,
      oldState: oldState !== null && STATES.has(oldState) ? (oldState as AlarmState) : null,
      reason: text(body.NewStateReason) ?? '',
      stateChangeTime: normaliseAlarmTime(body.StateChangeTime),
      periodSeconds: positive(trigger.Period) ?? metricsPeriod(trigger.Metrics),
      evaluationPeriods: positive(trigger.EvaluationPeriods),
    },
  };
}
