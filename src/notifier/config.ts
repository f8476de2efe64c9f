/**
 * The notifier's configuration: environment variables read once at init and validated, with an
 * error that names the variable and says what it expects.
 */
import { OidcwatchError } from '../domain/errors.js';
import { DEFAULT_NAMESPACE } from '../domain/metric-names.js';
import { PAGERDUTY_EVENTS_URL } from '../domain/page/render-pagerduty.js';

/** Validated notifier configuration. */
export interface NotifierConfig {
  /** The topic pages go to (e-mail, AWS Chatbot, queues). */
  readonly pageTopicArn: string;
  /**
   * Where the notifier posts PagerDuty Events API v2 events, and the Secrets Manager secret (name
   * or ARN) holding their routing key, read at run time; `null`: no PagerDuty.
   */
  readonly pagerDuty: { readonly eventsUrl: string; readonly routingKeySecret: string } | null;
  /** CloudWatch namespace of the notifier's metric (`PagerDutyDeliveryFailures`). */
  readonly namespace: string;
  /** The processor's log group (its result lines). */
  readonly logGroupName: string;
  /** Contributor Insights rule keyed by repository and cause (the fallback); `null`: none. */
  readonly insightRuleName: string | null;
  readonly dashboardUrl: string | null;
  /** How long the Logs Insights queries may take before the page goes out without them. */
  readonly queryTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

const SECRET_ID = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:)?[\w/+=.@-]{1,512}$/;

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

function required(env: Env, name: string): string {
  const v = env[name]?.trim();
  if (!v) throw new OidcwatchError('ERR_CONFIG_INVALID', `${name} must be set`);
  return v;
}

function optional(env: Env, name: string): string | null {
  return env[name]?.trim() || null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An `https` URL, or `http` to a loopback address (a local server standing in for PagerDuty). */
function eventsUrl(name: string, value: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // Reported below.
  }
  const ok =
    url !== null &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname)));
  if (!ok)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `${name} must be an https URL (http only to a loopback address), got "${value}"`
    );
  return value;
}

function topicArn(name: string, value: string): string {
  if (!TOPIC_ARN.test(value))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `${name} must be an SNS topic ARN, got "${value}"`
    );
  return value;
}

/**
 * Reads the configuration from `env` (the process environment at init).
 *
 * @throws OidcwatchError `ERR_CONFIG_INVALID` naming the variable
 * @example
 * ```ts
 * const config = readNotifierConfig(process.env);
 * ```
 */
export function readNotifierConfig(env: Env): NotifierConfig {
  const pageTopicArn = topicArn(
    'OIDCWATCH_PAGE_TOPIC_ARN',
    required(env, 'OIDCWATCH_PAGE_TOPIC_ARN')
  );
  if (optional(env, 'OIDCWATCH_PAGERDUTY_ROUTING_KEY') !== null)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      'OIDCWATCH_PAGERDUTY_ROUTING_KEY is no longer read: put the routing key in a Secrets Manager secret and set OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET to its name or ARN'
    );
  const routingKeySecret = optional(env, 'OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET');
  if (routingKeySecret !== null && !SECRET_ID.test(routingKeySecret))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_PAGERDUTY_ROUTING_KEY_SECRET must be a Secrets Manager secret name or ARN, got "${routingKeySecret}"`
    );
  const url = eventsUrl(
    'OIDCWATCH_PAGERDUTY_EVENTS_URL',
    optional(env, 'OIDCWATCH_PAGERDUTY_EVENTS_URL') ?? PAGERDUTY_EVENTS_URL
  );
  const namespace = optional(env, 'OIDCWATCH_NAMESPACE') ?? DEFAULT_NAMESPACE;
  if (!/^[\w./#:-]{1,255}$/.test(namespace))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_NAMESPACE must be a CloudWatch namespace (letters, digits and . - _ / # :), got "${namespace}"`
    );
  const rawTimeout = optional(env, 'OIDCWATCH_QUERY_TIMEOUT_SECONDS') ?? '20';
  const timeout = Number(rawTimeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 600)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_QUERY_TIMEOUT_SECONDS must be a whole number from 1 to 600, got "${rawTimeout}"`
    );
  return {
    pageTopicArn,
    pagerDuty: routingKeySecret === null ? null : { eventsUrl: url, routingKeySecret },
    namespace,
    logGroupName: required(env, 'OIDCWATCH_LOG_GROUP_NAME'),
    insightRuleName: optional(env, 'OIDCWATCH_INSIGHT_RULE_NAME'),
    dashboardUrl: optional(env, 'OIDCWATCH_DASHBOARD_URL'),
    queryTimeoutMs: timeout * 1000,
  };
}
