/**
 * The time window of `backfill`: `--since` and `--until` as a duration back from now (`30m`,
 * `12h`, `7d`, `2w`) or an ISO 8601 time, clamped to the 90 days CloudTrail's event history keeps.
 */

import { OidcwatchError } from '../../domain/errors.js';
import { formatTime } from '../report/format.js';

/** How far back `LookupEvents` reaches. */
export const EVENT_HISTORY_DAYS = 90;

const DAY_MS = 86_400_000;
const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: DAY_MS,
  w: 7 * DAY_MS,
};

/** The window to read, and whether its start was moved to the 90-day limit. */
export interface TimeWindow {
  readonly start: Date;
  readonly end: Date;
  /** The start asked for, when it lay beyond the 90 days and was clamped; else `null`. */
  readonly clampedFrom: Date | null;
}

/**
 * Reads a time option: a duration back from `now`, or an ISO 8601 date or time (UTC unless it
 * says otherwise).
 *
 * @example
 * ```ts
 * parseTimeOption('since', '7d', now);          // now − 7 days
 * parseTimeOption('until', '2026-11-20', now);  // 2026-11-20T00:00:00Z
 * ```
 */
export function parseTimeOption(option: string, value: string, now: Date): Date {
  const duration = /^(\d{1,6})\s*(min|m|h|d|w)$/.exec(value.trim());
  if (duration !== null) {
    const ms = Number(duration[1]) * (UNIT_MS[duration[2] as string] as number);
    return new Date(now.getTime() - ms);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const iso = value.replace(' ', 'T');
    const zoned = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(iso) || !iso.includes('T') ? iso : `${iso}Z`;
    const ms = Date.parse(zoned);
    if (Number.isFinite(ms)) return new Date(ms);
  }
  throw new OidcwatchError(
    'ERR_USAGE',
    `backfill: --${option} ${JSON.stringify(value)} is neither a duration back from now ` +
      '(30m, 12h, 7d, 2w) nor an ISO 8601 time (2026-11-20 or 2026-11-20T08:00Z)'
  );
}

/**
 * The window from `--since` (required) and `--until` (default: now). A start beyond 90 days is
 * moved to the limit; an end in the future is moved to now.
 */
export function resolveTimeWindow(
  since: string | undefined,
  until: string | undefined,
  now: Date
): TimeWindow {
  if (since === undefined || since === '')
    throw new OidcwatchError('ERR_USAGE', 'backfill: --since is required (e.g. --since 7d)');
  const asked = parseTimeOption('since', since, now);
  const end = until === undefined ? now : parseTimeOption('until', until, now);
  const limit = new Date(now.getTime() - EVENT_HISTORY_DAYS * DAY_MS);
  const start = asked < limit ? limit : asked;
  const clampedEnd = end > now ? now : end;
  if (clampedEnd <= start)
    throw new OidcwatchError(
      'ERR_USAGE',
      `backfill: --until (${formatTime(clampedEnd.toISOString())}) must come after --since (${formatTime(start.toISOString())})` +
        (asked < limit ? `, which was moved to the ${EVENT_HISTORY_DAYS}-day limit` : '')
    );
  return { start, end: clampedEnd, clampedFrom: asked < limit ? asked : null };
}
