/**
 * `CloudTrailHistory` over CloudTrail `LookupEvents`: one lookup attribute (`EventName`), pages of
 * 50 followed by `NextToken`, every request (retries included) behind a token bucket per Region
 * (the API allows 2 requests per second per account and Region), and exponential backoff with
 * jitter on throttling and server errors. The SDK client must not retry on its own
 * (`maxAttempts: 1`), or its retries would bypass the bucket.
 *
 * {@link https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html | LookupEvents}
 */
import { LookupEventsCommand, type LookupEventsCommandOutput } from '@aws-sdk/client-cloudtrail';
import type {
  CloudTrailHistory,
  HistoryEvent,
  HistoryPage,
  HistoryQuery,
} from '../../usecases/backfill/cloudtrail-history.js';
import { awsError, isServerError, isThrottling } from '../aws-error.js';
import type { Clock } from '../clock.js';
import { TokenBucket } from './token-bucket.js';

/** The largest page `LookupEvents` returns. */
const PAGE_SIZE = 50;

/** What the adapter needs of a CloudTrail client (a `CloudTrailClient` fits). */
export interface LookupEventsClient {
  send(
    command: LookupEventsCommand,
    options?: { abortSignal?: AbortSignal }
  ): Promise<LookupEventsCommandOutput>;
}

/** Backoff after a throttled or failed request. */
export interface BackoffPolicy {
  /** Attempts per request, the first included. @default 8 */
  readonly maxAttempts: number;
  /** Delay before the first retry, before jitter (doubled per retry), ms. @default 1000 */
  readonly baseMs: number;
  /** Largest delay, ms. @default 20000 */
  readonly capMs: number;
}

/** Default backoff: 8 attempts, 1 s doubling to at most 20 s, equal jitter. */
export const DEFAULT_BACKOFF: BackoffPolicy = { maxAttempts: 8, baseMs: 1000, capMs: 20_000 };

/** Notified of every request and retry (progress, tests). */
export interface LookupObserver {
  /** A request is about to be sent (after its token was taken). */
  request?(region: string, attempt: number): void;
  /** A request was throttled (or failed on the server side); the next try is in `waitMs`. */
  retry?(region: string, waitMs: number, error: unknown): void;
}

/** Options of `LookupEventsSource`. */
export interface LookupEventsSourceOptions {
  /** The client of a Region (called once per Region). */
  readonly clientFor: (region: string) => LookupEventsClient;
  readonly clock: Clock;
  /** Requests per second per Region. @default 2 */
  readonly ratePerSecond?: number;
  readonly backoff?: BackoffPolicy;
  /** Uniform in [0, 1) (jitter). @default Math.random */
  readonly random?: () => number;
  readonly observer?: LookupObserver;
}

/**
 * The delay before retry `attempt` (0-based): half of `min(cap, base × 2^attempt)` plus a random
 * part of the other half ("equal jitter"), so concurrent clients spread out yet always back off.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
  return ceiling / 2 + random() * (ceiling / 2);
}

function toEvent(e: NonNullable<LookupEventsCommandOutput['Events']>[number]): HistoryEvent {
  const time = e.EventTime instanceof Date ? e.EventTime.getTime() : Number.NaN;
  return {
    eventId: e.EventId ?? null,
    eventTimeMs: Number.isFinite(time) ? time : null,
    cloudTrailEvent: e.CloudTrailEvent,
  };
}

/**
 * CloudTrail event history through `LookupEvents`.
 *
 * @example
 * ```ts
 * const source = new LookupEventsSource({
 *   clientFor: (region) => new CloudTrailClient({ region, maxAttempts: 1 }),
 *   clock: systemClock,
 * });
 * for await (const page of source.pages({ region: 'us-east-1', eventName: 'AssumeRoleWithWebIdentity',
 *   start, end })) { … }
 * ```
 */
export class LookupEventsSource implements CloudTrailHistory {
  readonly #options: LookupEventsSourceOptions;
  readonly #regions = new Map<string, { client: LookupEventsClient; bucket: TokenBucket }>();

  constructor(options: LookupEventsSourceOptions) {
    this.#options = options;
  }

  async *pages(query: HistoryQuery, signal?: AbortSignal): AsyncIterable<HistoryPage> {
    let nextToken: string | undefined;
    do {
      const out = await this.#send(
        query.region,
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: query.eventName }],
          StartTime: query.start,
          EndTime: query.end,
          MaxResults: PAGE_SIZE,
          ...(nextToken === undefined ? {} : { NextToken: nextToken }),
        }),
        signal
      );
      yield { events: (out.Events ?? []).map(toEvent) };
      nextToken = out.NextToken === undefined || out.NextToken === '' ? undefined : out.NextToken;
    } while (nextToken !== undefined);
  }

  #region(region: string): { client: LookupEventsClient; bucket: TokenBucket } {
    let r = this.#regions.get(region);
    if (r === undefined) {
      r = {
        client: this.#options.clientFor(region),
        bucket: new TokenBucket({
          clock: this.#options.clock,
          ...(this.#options.ratePerSecond === undefined
            ? {}
            : { ratePerSecond: this.#options.ratePerSecond }),
        }),
      };
      this.#regions.set(region, r);
    }
    return r;
  }

  async #send(
    region: string,
    command: LookupEventsCommand,
    signal: AbortSignal | undefined
  ): Promise<LookupEventsCommandOutput> {
    const { client, bucket } = this.#region(region);
    const policy = this.#options.backoff ?? DEFAULT_BACKOFF;
    const random = this.#options.random ?? Math.random;
    for (let attempt = 0; ; attempt++) {
      await bucket.take(signal);
      this.#options.observer?.request?.(region, attempt);
      try {
        return await client.send(command, signal === undefined ? {} : { abortSignal: signal });
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        const retryable = isThrottling(e) || isServerError(e);
        if (!retryable || attempt + 1 >= policy.maxAttempts) {
          const tries = retryable ? ` (gave up after ${policy.maxAttempts} attempts)` : '';
          throw awsError(e, `CloudTrail LookupEvents in ${region}${tries}`);
        }
        const waitMs = backoffDelay(attempt, policy, random);
        this.#options.observer?.retry?.(region, waitMs, e);
        await this.#options.clock.sleep(waitMs, signal);
      }
    }
  }
}
