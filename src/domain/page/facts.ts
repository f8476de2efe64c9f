/**
 * What the notifier learnt about the alarm's window: totals and the top groups of failed calls,
 * wherever they came from (Logs Insights, the Contributor Insights report, or result lines read
 * offline), and what could not be learnt, in words.
 */
import type { AlarmNotification } from './alarm-notification.js';

/** Where the facts came from. */
export type FactsSource = 'logs-insights' | 'contributor-insights' | 'result-lines';

/** The time range the page is about, in milliseconds since the epoch. */
export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** Totals of the window. `null` fields are unknown (e.g. the report counts calls only). */
export interface Totals {
  readonly failedCalls: number;
  readonly failingJobs: number | null;
  readonly repositories: number | null;
}

/** Failed calls of one repository × role × cause × detail. */
export interface ResultGroup {
  readonly repository: string | null;
  readonly roleArn: string | null;
  readonly account: string | null;
  readonly cause: string;
  readonly detail: string | null;
  readonly failedCalls: number;
  /** Distinct `failingJobKey`s; `null` when the source does not count jobs. */
  readonly failingJobs: number | null;
  readonly explanation: string | null;
  readonly fix: string | null;
  /** The change annotation (`change.summary` of the result line), when a change explains it. */
  readonly change: string | null;
}

/** Everything known about the window. */
export interface WindowFacts {
  readonly window: TimeWindow;
  /** `null`: nothing could be read. */
  readonly source: FactsSource | null;
  readonly totals: Totals | null;
  /** Largest first; at most {@link TOP_GROUPS}. */
  readonly groups: readonly ResultGroup[];
  /** What failed or is partial, in words (`Logs Insights query timed out after 20 s`). */
  readonly problems: readonly string[];
}

/** Groups read per window (the page shows fewer). */
export const TOP_GROUPS = 10;

/** Bounds of the window, in minutes. */
export const WINDOW_MINUTES = { min: 5, max: 60 } as const;

/**
 * The window an alarm judged: `Period × EvaluationPeriods` before its state change, clamped to
 * 5–60 minutes (a one-minute alarm still gets five minutes of context).
 *
 * @param now - milliseconds since the epoch; the end when the notification has no usable time
 * @example
 * ```ts
 * alarmWindow(spikeAlarm, now); // 5 one-minute periods: the 5 minutes before the change
 * ```
 */
export function alarmWindow(alarm: AlarmNotification, now: number): TimeWindow {
  const changed = alarm.stateChangeTime === null ? Number.NaN : Date.parse(alarm.stateChangeTime);
  const end = Number.isFinite(changed) && changed <= now ? changed : now;
  const endMs = Math.ceil(end / 1000) * 1000;
  const judged = ((alarm.periodSeconds ?? 60) * (alarm.evaluationPeriods ?? 1)) / 60;
  const minutes = Math.min(WINDOW_MINUTES.max, Math.max(WINDOW_MINUTES.min, Math.ceil(judged)));
  return { startMs: endMs - minutes * 60_000, endMs };
}

/** Minutes in a window, rounded. */
export function windowMinutes(window: TimeWindow): number {
  return Math.round((window.endMs - window.startMs) / 60_000);
}
