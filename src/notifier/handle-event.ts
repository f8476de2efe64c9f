/**
 * The notifier's use case: for each SNS record of the alarm topic, read the alarm notification;
 * on ALARM read the window and page with the summary, on OK page the recovery. Bad input (not an
 * SNS event, not an alarm notification, the notifier's own page) is logged and ignored, never
 * thrown. A page that cannot be summarised still goes out with what is known; only a page that
 * cannot be published is thrown, so that Lambda retries it.
 */
import {
  type AlarmNotification,
  parseAlarmNotification,
} from '../domain/page/alarm-notification.js';
import { buildPage } from '../domain/page/build-page.js';
import { alarmWindow, type TimeWindow, type WindowFacts } from '../domain/page/facts.js';
import type { Page } from '../domain/page/page.js';
import { ORIGIN_ATTRIBUTE, ORIGIN_NOTIFIER } from '../domain/page/sns-messages.js';
import { describeError, type NotifierLog } from './log.js';

/** What the use case needs. */
export interface NotifierDeps {
  /** Topics the notifier publishes to: a record from one of them is its own page (loop guard). */
  readonly ownTopicArns: readonly string[];
  readonly dashboardUrl: string | null;
  readonly readFacts: (window: TimeWindow) => Promise<WindowFacts>;
  readonly publisher: { publish(page: Page): Promise<void> };
  readonly log: NotifierLog;
  readonly now: () => number;
}

/** What one invocation did. */
export interface NotifierSummary {
  readonly paged: number;
  readonly recovered: number;
  readonly ignored: number;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The SNS part of each record, or `null` for a record that is not one. */
function snsRecords(event: unknown): (Json | null)[] | null {
  if (!isObject(event) || !Array.isArray(event.Records)) return null;
  return event.Records.map((r) => (isObject(r) && isObject(r.Sns) ? r.Sns : null));
}

/** Why a record is the notifier's own output, or `null`. */
function ownPage(sns: Json, ownTopics: readonly string[]): string | null {
  const attrs = isObject(sns.MessageAttributes) ? sns.MessageAttributes : {};
  const origin = attrs[ORIGIN_ATTRIBUTE];
  if (isObject(origin) && origin.Value === ORIGIN_NOTIFIER)
    return `it carries ${ORIGIN_ATTRIBUTE}=${ORIGIN_NOTIFIER}`;
  if (typeof sns.TopicArn === 'string' && ownTopics.includes(sns.TopicArn))
    return 'it comes from a topic the notifier publishes to';
  return null;
}

async function pageFor(alarm: AlarmNotification, deps: NotifierDeps): Promise<Page> {
  if (alarm.newState === 'OK')
    return buildPage({ alarm, facts: null, dashboardUrl: deps.dashboardUrl });
  const window = alarmWindow(alarm, deps.now());
  try {
    const facts = await deps.readFacts(window);
    return buildPage({ alarm, facts, dashboardUrl: deps.dashboardUrl });
  } catch (e) {
    // The readers do not throw; should the summary itself fail, the page still goes out.
    deps.log.error('oidcwatch.notifier.summary_failed', { error: describeError(e) });
    const facts: WindowFacts = {
      window,
      source: null,
      totals: null,
      groups: [],
      problems: [`the summary could not be built: ${describeError(e)}`],
    };
    return buildPage({ alarm, facts, dashboardUrl: deps.dashboardUrl });
  }
}

/**
 * Handles an SNS event from the alarm topic.
 *
 * @throws PageNotDeliveredError when a page could not be published (after every fallback)
 * @example
 * ```ts
 * export const handler = (event: unknown) => handleSnsEvent(event, deps);
 * ```
 */
export async function handleSnsEvent(event: unknown, deps: NotifierDeps): Promise<NotifierSummary> {
  const records = snsRecords(event);
  if (records === null) {
    deps.log.warn('oidcwatch.notifier.ignored', { reason: 'not an SNS event' });
    return { paged: 0, recovered: 0, ignored: 1 };
  }
  let paged = 0;
  let recovered = 0;
  let ignored = 0;
  const undelivered: unknown[] = [];
  for (const sns of records) {
    const messageId = typeof sns?.MessageId === 'string' ? sns.MessageId : null;
    const ignore = (reason: string) => {
      ignored += 1;
      deps.log.warn('oidcwatch.notifier.ignored', { reason, messageId });
    };
    if (sns === null) {
      ignore('not an SNS record');
      continue;
    }
    const own = ownPage(sns, deps.ownTopicArns);
    if (own !== null) {
      ignore(`the notifier's own page: ${own}`);
      continue;
    }
    const parsed = parseAlarmNotification(sns.Message);
    if (!parsed.ok) {
      ignore(`not a CloudWatch alarm notification: ${parsed.reason}`);
      continue;
    }
    const alarm = parsed.alarm;
    if (alarm.newState === 'INSUFFICIENT_DATA') {
      ignore(`${alarm.alarmName} went to INSUFFICIENT_DATA, which does not page`);
      continue;
    }
    const page = await pageFor(alarm, deps);
    try {
      await deps.publisher.publish(page);
      if (page.kind === 'recovery') recovered += 1;
      else paged += 1;
      deps.log.info('oidcwatch.notifier.paged', {
        alarm: alarm.alarmName,
        kind: page.kind,
        subject: page.subject,
        source: page.source,
        failedCalls: page.totals?.failedCalls ?? null,
        notes: page.notes,
        messageId,
      });
    } catch (e) {
      deps.log.error('oidcwatch.notifier.undelivered', {
        alarm: alarm.alarmName,
        error: describeError(e),
        messageId,
      });
      undelivered.push(e);
    }
  }
  if (undelivered.length > 0) throw undelivered[0];
  return { paged, recovered, ignored };
}
