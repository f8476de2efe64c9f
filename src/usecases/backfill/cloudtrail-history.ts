/**
 * The port `backfill` reads CloudTrail's event history through (the 90 days `LookupEvents`
 * serves). The adapter owns paging, the per-Region rate limit and backoff; the use case only sees
 * pages of events, newest first.
 */

import type { ChangeEventName } from '../../domain/changes/change-types.js';

/** The event names backfill looks up: the OIDC call, and `AssumeRole` for chained sessions. */
export const HISTORY_EVENT_NAMES = ['AssumeRoleWithWebIdentity', 'AssumeRole'] as const;

/** An event name backfill looks up. */
export type HistoryEventName = (typeof HISTORY_EVENT_NAMES)[number];

/** One lookup: the events of one name in one Region within `[start, end]`. */
export interface HistoryQuery {
  readonly region: string;
  /** A failure lookup's name, or an IAM configuration change's (`collect-changes.ts`). */
  readonly eventName: HistoryEventName | ChangeEventName;
  readonly start: Date;
  readonly end: Date;
}

/** One event as `LookupEvents` returns it. */
export interface HistoryEvent {
  readonly eventId: string | null;
  /** `EventTime`, ms since the epoch, or `null` when absent. */
  readonly eventTimeMs: number | null;
  /** The CloudTrail record as a JSON string (`CloudTrailEvent`); may be absent or unreadable. */
  readonly cloudTrailEvent: string | undefined;
}

/** One page of events, newest first. */
export interface HistoryPage {
  readonly events: readonly HistoryEvent[];
}

/** CloudTrail's event history. */
export interface CloudTrailHistory {
  /**
   * The pages of one lookup, newest first. Throws an `OidcwatchError` (`ERR_AWS_*`) when AWS
   * cannot be read; rejects with the signal's reason when `signal` aborts.
   */
  pages(query: HistoryQuery, signal?: AbortSignal): AsyncIterable<HistoryPage>;
}
