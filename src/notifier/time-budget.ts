/**
 * How long the notifier may wait on each dependency, and so how long one invocation can take when
 * every dependency hangs (accepts the connection and never answers). The function's timeout must
 * exceed that bound, or a hung dependency would cost the page itself.
 */

/**
 * Every AWS call of the notifier (Logs Insights, Contributor Insights, SNS, Secrets Manager): one
 * second to connect, three to answer, two attempts.
 */
export const NOTIFIER_AWS_CALLS = { connectMs: 1_000, requestMs: 3_000, attempts: 2 } as const;

/** The PagerDuty client's timing when not overridden. */
export const PAGERDUTY_TIMING = {
  /** Time one attempt may take, answer body included. */
  timeoutMs: 5_000,
  /** Attempts in all, the first included. */
  attempts: 3,
  /** Wait before the second attempt; doubled before each next one. */
  backoffMs: 500,
  /** The longest wait between attempts (a longer `Retry-After` is cut to it). */
  maxDelayMs: 2_000,
} as const;

/**
 * The longest wait the SDK's standard retry strategy takes between two attempts here: its base
 * delay is 100 ms (500 ms after throttling), doubled per retry with jitter, so the one retry of
 * {@link NOTIFIER_AWS_CALLS} waits at most 1 s.
 */
const SDK_RETRY_WAIT_MS = 1_000;

/** The longest one bounded AWS call of the notifier takes, every attempt timing out. */
export function awsCallBoundMs(calls = NOTIFIER_AWS_CALLS): number {
  return calls.attempts * calls.requestMs + (calls.attempts - 1) * SDK_RETRY_WAIT_MS;
}

/** The longest one PagerDuty event takes, every attempt timing out and every wait the longest. */
export function pagerDutyBoundMs(timing = PAGERDUTY_TIMING): number {
  return timing.attempts * timing.timeoutMs + (timing.attempts - 1) * timing.maxDelayMs;
}

/**
 * The longest one invocation (one alarm notification) takes when every dependency hangs, ms:
 * the Logs Insights queries (every call aborted at their own deadline), the Contributor Insights
 * report (one AWS call), then the delivery: the pages topic (the page, and its plain form only
 * after SNS refused the first, so two calls at most) in parallel with PagerDuty (the routing
 * key's secret, one AWS call, then the event's attempts).
 *
 * @example
 * ```ts
 * hungInvocationBoundMs(20_000); // 53000: inside the function's 60 s
 * ```
 */
export function hungInvocationBoundMs(queryTimeoutMs: number): number {
  const aws = awsCallBoundMs();
  const pagesTopic = 2 * aws;
  const pagerDuty = aws + pagerDutyBoundMs();
  return queryTimeoutMs + aws + Math.max(pagesTopic, pagerDuty);
}
