/**
 * Sends PagerDuty Events API v2 events over HTTPS with Node's `fetch`: one POST per attempt, each
 * bounded by a timeout, retried with backoff on 408, 429, 5xx and network errors. PagerDuty
 * answers 202 when it accepts an event and 400 when the event is invalid (never retried). Nothing
 * here throws, and nothing it returns or logs holds the routing key.
 * {@link https://developer.pagerduty.com/docs/events-api-v2/overview/ | Events API v2}
 */
import type { PagerDutyEvent } from '../domain/page/render-pagerduty.js';
import { describeError, type NotifierLog } from './log.js';
import { PAGERDUTY_TIMING } from './time-budget.js';

/** Options of {@link PagerDutyClient}. */
export interface PagerDutyClientOptions {
  /** The Events API endpoint (`PAGERDUTY_EVENTS_URL`, or a local server in tests). */
  readonly eventsUrl: string;
  readonly log: NotifierLog;
  /** Time one attempt may take, answer body included. @default 5000 */
  readonly timeoutMs?: number;
  /** Attempts in all, the first included. @default 3 */
  readonly attempts?: number;
  /** Wait before the second attempt; doubled before each next one. @default 500 */
  readonly backoffMs?: number;
  /** The longest wait between attempts; a longer `Retry-After` is cut to it. @default 2000 */
  readonly maxDelayMs?: number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What became of an event. */
export type PagerDutyDelivery =
  | { readonly ok: true; readonly attempts: number; readonly status: number }
  | {
      readonly ok: false;
      readonly attempts: number;
      /** The last HTTP status, or `null` when no answer came (network error, timeout). */
      readonly status: number | null;
      /** What went wrong on the last attempt, in words (never the routing key). */
      readonly problem: string;
    };

/** One attempt's outcome. */
type Attempt =
  | { readonly kind: 'accepted'; readonly status: number }
  | {
      readonly kind: 'retry' | 'rejected';
      readonly status: number | null;
      readonly problem: string;
      readonly retryAfterMs: number | null;
    };

/** Statuses worth another attempt: timeout, throttled, PagerDuty's own errors. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), or `null`. */
function retryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}

/** The useful part of an error answer: PagerDuty's `message` and `errors`, or the text. */
function answerText(body: string): string {
  let text = body.trim();
  try {
    const json = JSON.parse(body) as { message?: unknown; errors?: unknown };
    const errors = Array.isArray(json.errors)
      ? json.errors.filter((e) => typeof e === 'string')
      : [];
    if (typeof json.message === 'string')
      text = errors.length > 0 ? `${json.message}: ${errors.join('; ')}` : json.message;
  } catch {
    // Not JSON (a proxy's page): the text itself.
  }
  return text.replace(/\s+/g, ' ');
}

/** A network error with its cause (`fetch failed (Error: connect ECONNREFUSED 127.0.0.1:9)`). */
function networkProblem(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause =
    e instanceof Error && e.cause !== undefined ? ` (${describeError(e.cause, Infinity)})` : '';
  return `${describeError(e, Infinity)}${cause}`;
}

/** Longest problem text kept (an answer can be a whole HTML page). */
const MAX_PROBLEM = 300;

/**
 * Posts Events API v2 events to PagerDuty.
 *
 * @example
 * ```ts
 * const pagerDuty = new PagerDutyClient({ eventsUrl: PAGERDUTY_EVENTS_URL, log });
 * const delivery = await pagerDuty.send(renderPagerDuty(page, routingKey));
 * if (!delivery.ok) log.error('oidcwatch.notifier.pagerduty_failed', { error: delivery.problem });
 * ```
 */
export class PagerDutyClient {
  readonly #o: Required<PagerDutyClientOptions>;

  constructor(options: PagerDutyClientOptions) {
    this.#o = {
      ...PAGERDUTY_TIMING,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...options,
    };
  }

  /** Sends `event`, retrying what is worth retrying. Never throws. */
  async send(event: PagerDutyEvent): Promise<PagerDutyDelivery> {
    const body = JSON.stringify(event);
    // Redacted before it is cut, so that no part of the key can survive either.
    const redact = (s: string) =>
      (event.routing_key === '' ? s : s.split(event.routing_key).join('<routing key>')).slice(
        0,
        MAX_PROBLEM
      );
    for (let attempt = 1; ; attempt += 1) {
      const a = await this.#attempt(body);
      if (a.kind === 'accepted') return { ok: true, attempts: attempt, status: a.status };
      const problem = redact(a.problem);
      if (a.kind === 'rejected' || attempt >= this.#o.attempts)
        return { ok: false, attempts: attempt, status: a.status, problem };
      const backoff = this.#o.backoffMs * 2 ** (attempt - 1);
      const delayMs = Math.min(Math.max(backoff, a.retryAfterMs ?? 0), this.#o.maxDelayMs);
      this.#o.log.warn('oidcwatch.notifier.pagerduty_retry', {
        eventAction: event.event_action,
        dedupKey: event.dedup_key,
        attempt,
        status: a.status,
        error: problem,
        delayMs,
      });
      await this.#o.sleep(delayMs);
    }
  }

  async #attempt(body: string): Promise<Attempt> {
    const timeoutMs = this.#o.timeoutMs;
    try {
      const res = await fetch(this.#o.eventsUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body,
        // A redirect would carry the routing key elsewhere: it is an answer, not followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read to the end either way: it frees the connection, and an error answer says why.
      const text = await res.text();
      if (res.ok) return { kind: 'accepted', status: res.status };
      const said = answerText(text);
      return {
        kind: retryable(res.status) ? 'retry' : 'rejected',
        status: res.status,
        problem: `HTTP ${res.status}${said === '' ? '' : `: ${said}`}`,
        retryAfterMs: retryAfter(res.headers.get('retry-after'), Date.now()),
      };
    } catch (e) {
      return {
        kind: 'retry',
        status: null,
        problem: networkProblem(e, timeoutMs),
        retryAfterMs: null,
      };
    }
  }
}
