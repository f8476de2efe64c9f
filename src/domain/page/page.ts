/**
 * The page: what an on-call engineer reads when an oidcwatch alarm fires or recovers. Built once
 * (`buildPage`), then rendered for each subscriber (plain text, AWS Chatbot, PagerDuty, JSON).
 * This object is also the structured message (`schema` names its version).
 */
import type { AlarmState } from './alarm-notification.js';
import type { FactsSource, Totals } from './facts.js';

/** Version of the structured page; bumped on an incompatible change. */
export const PAGE_SCHEMA = 'oidcwatch.page/1';

/** One group of failed calls as the page shows it. */
export interface PageItem {
  readonly repository: string | null;
  readonly roleArn: string | null;
  /** `payments-deploy` of `arn:aws:iam::…:role/payments-deploy`. */
  readonly roleName: string | null;
  readonly account: string | null;
  readonly cause: string;
  readonly detail: string | null;
  /** `SUB_MISMATCH/ENVIRONMENT_FORM`, or the cause alone. */
  readonly code: string;
  readonly failedCalls: number;
  readonly failingJobs: number | null;
  readonly explanation: string | null;
  readonly fix: string | null;
  readonly change: string | null;
}

/** A configuration change that explains failures of the window. */
export interface PageChange {
  readonly summary: string;
  /** Failed calls of the groups it explains. */
  readonly failedCalls: number;
}

/** The alarm, as the page names it. */
export interface PageAlarm {
  readonly name: string;
  readonly description: string | null;
  readonly arn: string | null;
  readonly account: string | null;
  readonly region: string | null;
  readonly state: AlarmState;
  readonly previousState: AlarmState | null;
  readonly reason: string;
  /** ISO 8601 */
  readonly changedAt: string | null;
  /** The alarm in the CloudWatch console, when its Region is known. */
  readonly url: string | null;
}

/** The page. */
export interface Page {
  readonly schema: typeof PAGE_SCHEMA;
  /** `alarm`: something broke; `recovery`: the alarm is back to OK. */
  readonly kind: 'alarm' | 'recovery';
  /** One per alarm: threads chat messages, de-duplicates PagerDuty incidents, resolves them. */
  readonly dedupKey: string;
  readonly alarm: PageAlarm;
  /** The window summarised (ISO 8601 bounds); `null` for a recovery. */
  readonly window: {
    readonly start: string;
    readonly end: string;
    readonly minutes: number;
  } | null;
  readonly source: FactsSource | null;
  readonly totals: Totals | null;
  /** The largest groups, with their explanation and fix. */
  readonly top: readonly PageItem[];
  /** Groups read but not shown, and their failed calls; `null` when every group read is shown. */
  readonly rest: { readonly groups: number; readonly failedCalls: number } | null;
  readonly changes: readonly PageChange[];
  /** The one-paragraph answer: totals, the dominant repository and cause, the change. */
  readonly headline: string;
  /** Printable ASCII, shorter than 100 characters: the e-mail subject and mobile notification. */
  readonly subject: string;
  /** What could not be learnt (`Logs Insights query failed: …`). */
  readonly notes: readonly string[];
  readonly dashboardUrl: string | null;
}
