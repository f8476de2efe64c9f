/**
 * A fake CloudTrail `LookupEvents` for backfill tests: per Region, it serves the events it holds
 * newest first, in pages of 50 with an opaque `NextToken`, filtered by the `EventName` lookup
 * attribute and the time range, exactly as the API does. It records every request with the time
 * of an injected clock, answers `ThrottlingException` to every n-th request (injected throttling)
 * and to any request beyond the real quota of 2 per second per Region (counted as a violation).
 */
import {
  type LookupEventsCommand,
  type LookupEventsCommandOutput,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import type { Clock } from '../../src/adapters/clock.js';
import type { LookupEventsClient } from '../../src/adapters/cloudtrail/lookup-events-source.js';

/** An event the fake holds. */
export interface FakeEvent {
  readonly region: string;
  readonly eventId: string;
  readonly eventName: string;
  readonly eventTimeMs: number;
  /** The `CloudTrailEvent` string (may be unreadable on purpose). */
  readonly cloudTrailEvent: string;
}

/** One request as the fake saw it. */
export interface FakeRequest {
  readonly region: string;
  readonly at: number;
  readonly eventName: string | undefined;
  readonly nextToken: string | undefined;
  readonly start: Date | undefined;
  readonly end: Date | undefined;
  readonly throttled: boolean;
}

/** Options of `fakeLookupEvents`. */
export interface FakeLookupOptions {
  readonly clock: Clock;
  /** Throttle every n-th request of a Region (0: never). @default 0 */
  readonly throttleEvery?: number;
  /** The quota the fake enforces, requests per rolling second per Region. @default 2 */
  readonly quotaPerSecond?: number;
  /** Called with each request before it is answered (e.g. to abort mid-run). */
  readonly onRequest?: (r: FakeRequest, index: number) => void;
}

/** The fake and what it recorded. */
export interface FakeLookup {
  readonly clientFor: (region: string) => LookupEventsClient;
  readonly requests: FakeRequest[];
  /** Requests beyond the quota (should stay 0). */
  readonly violations: () => number;
}

const PAGE = 50;

/** Builds the fake over `events`. */
export function fakeLookupEvents(
  events: readonly FakeEvent[],
  options: FakeLookupOptions
): FakeLookup {
  const requests: FakeRequest[] = [];
  let violations = 0;
  const perRegion = new Map<string, number[]>();
  const sorted = [...events].sort((a, b) => b.eventTimeMs - a.eventTimeMs);

  const clientFor = (region: string): LookupEventsClient => ({
    async send(command: LookupEventsCommand): Promise<LookupEventsCommandOutput> {
      const input = command.input;
      const at = options.clock.now();
      const times = perRegion.get(region) ?? [];
      perRegion.set(region, times);
      times.push(at);
      const quota = options.quotaPerSecond ?? 2;
      const inLastSecond = times.filter((t) => t > at - 1000).length;
      const overQuota = inLastSecond > quota;
      if (overQuota) violations++;
      const n = times.length;
      const injected =
        (options.throttleEvery ?? 0) > 0 && n % (options.throttleEvery as number) === 0;
      const eventName = input.LookupAttributes?.[0]?.AttributeValue;
      const request: FakeRequest = {
        region,
        at,
        eventName,
        nextToken: input.NextToken,
        start: input.StartTime,
        end: input.EndTime,
        throttled: overQuota || injected,
      };
      requests.push(request);
      options.onRequest?.(request, requests.length - 1);
      await Promise.resolve();
      if (request.throttled)
        throw new ThrottlingException({
          message: 'Rate exceeded',
          $metadata: { httpStatusCode: 400 },
        });
      if (
        input.LookupAttributes?.length !== 1 ||
        input.LookupAttributes[0]?.AttributeKey !== 'EventName'
      )
        throw new Error('the fake expects one EventName lookup attribute');
      const start = input.StartTime?.getTime() ?? Number.NEGATIVE_INFINITY;
      const end = input.EndTime?.getTime() ?? Number.POSITIVE_INFINITY;
      const matching = sorted.filter(
        (e) =>
          e.region === region &&
          e.eventName === eventName &&
          e.eventTimeMs >= start &&
          e.eventTimeMs <= end
      );
      const offset =
        input.NextToken === undefined
          ? 0
          : Number(Buffer.from(input.NextToken, 'base64').toString());
      const size = Math.min(input.MaxResults ?? PAGE, PAGE);
      const page = matching.slice(offset, offset + size);
      const next =
        offset + size < matching.length
          ? Buffer.from(String(offset + size)).toString('base64')
          : undefined;
      return {
        $metadata: { httpStatusCode: 200 },
        Events: page.map((e) => ({
          EventId: e.eventId,
          EventName: e.eventName,
          EventTime: new Date(e.eventTimeMs),
          EventSource: 'sts.amazonaws.com',
          CloudTrailEvent: e.cloudTrailEvent,
        })),
        ...(next === undefined ? {} : { NextToken: next }),
      };
    },
  });
  return { clientFor, requests, violations: () => violations };
}

/**
 * The largest number of requests of one Region within any rolling second, from the recorded
 * times (half-open windows `[t, t + 1000)`).
 */
export function maxRequestsPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while ((sorted[hi] as number) - (sorted[lo] as number) >= 1000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
