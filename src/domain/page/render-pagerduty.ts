/**
 * The page as a PagerDuty Events API v2 event: `trigger` on ALARM, `resolve` on OK, one
 * `dedup_key` per alarm so a re-fired alarm joins its open incident and the recovery resolves it.
 * {@link https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ | Events API v2}
 */
import type { Page } from './page.js';
import { truncate } from './text.js';

/** The Events API v2 endpoint (PagerDuty's US service region), which the notifier posts to. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** The same endpoint for accounts in PagerDuty's EU service region. */
export const PAGERDUTY_EU_EVENTS_URL = 'https://events.eu.pagerduty.com/v2/enqueue';

/** PagerDuty severities. */
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** An Events API v2 event. */
export type PagerDutyEvent =
  | {
      readonly routing_key: string;
      readonly event_action: 'trigger';
      readonly dedup_key: string;
      readonly payload: {
        readonly summary: string;
        readonly severity: PagerDutySeverity;
        readonly source: string;
        readonly timestamp?: string;
        readonly component?: string;
        readonly group?: string;
        readonly class?: string;
        readonly custom_details: Readonly<Record<string, unknown>>;
      };
      readonly client: string;
      readonly client_url?: string;
      readonly links: readonly { readonly href: string; readonly text: string }[];
    }
  | {
      readonly routing_key: string;
      readonly event_action: 'resolve';
      readonly dedup_key: string;
    };

/** PagerDuty caps `payload.summary` at 1,024 characters. */
const MAX_SUMMARY = 1024;

/**
 * The PagerDuty event of a page. Severity is `critical` when the window holds failed role
 * assumptions (workflows cannot deploy) and `error` otherwise (processor health: the watch itself
 * is degraded).
 *
 * @param routingKey - the integration's routing key (from the stack's secret)
 * @example
 * ```ts
 * renderPagerDuty(page, routingKey); // { event_action: 'trigger', dedup_key: 'oidcwatch/arn:…', … }
 * ```
 */
export function renderPagerDuty(page: Page, routingKey: string): PagerDutyEvent {
  if (page.kind === 'recovery')
    return { routing_key: routingKey, event_action: 'resolve', dedup_key: page.dedupKey };
  const top = page.top[0];
  const failing = (page.totals?.failedCalls ?? top?.failedCalls ?? 0) > 0;
  const links: { href: string; text: string }[] = [];
  if (page.dashboardUrl) links.push({ href: page.dashboardUrl, text: 'oidcwatch dashboard' });
  if (page.alarm.url) links.push({ href: page.alarm.url, text: `Alarm ${page.alarm.name}` });
  const optional: Record<string, string> = {};
  if (page.alarm.changedAt) optional.timestamp = page.alarm.changedAt;
  if (top?.repository) optional.component = top.repository;
  if (top?.roleName) optional.group = top.roleName;
  if (top !== undefined) optional.class = top.code;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: page.dedupKey,
    payload: {
      summary: truncate(page.headline, MAX_SUMMARY),
      severity: failing ? 'critical' : 'error',
      source: `oidcwatch ${page.alarm.account ?? '-'} ${page.alarm.region ?? '-'}`,
      ...optional,
      custom_details: {
        alarm: page.alarm.name,
        reason: page.alarm.reason,
        description: page.alarm.description,
        window: page.window,
        totals: page.totals,
        top: page.top,
        rest: page.rest,
        changes: page.changes,
        notes: page.notes,
      },
    },
    client: 'oidcwatch',
    ...(page.dashboardUrl ? { client_url: page.dashboardUrl } : {}),
    links,
  };
}
