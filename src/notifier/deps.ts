/**
 * Builds the notifier's dependencies from its configuration. The Lambda's `index.ts` calls it once
 * at init; tests call it with their own clients, clock and sleep.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { boundedRequestHandler } from '../adapters/aws-client-config.js';
import type { NotifierConfig } from './config.js';
import type { NotifierDeps } from './handle-event.js';
import { InsightRuleReader } from './insight-rule-reader.js';
import { jsonLog, type NotifierLog } from './log.js';
import { LogsInsightsReader } from './logs-insights-reader.js';
import { PageDelivery } from './page-delivery.js';
import { SnsPagePublisher } from './page-publisher.js';
import { PagerDutyClient, type PagerDutyClientOptions } from './pagerduty-client.js';
import { readWindowFacts } from './read-window.js';
import { secretRoutingKey } from './routing-key.js';
import { NOTIFIER_AWS_CALLS } from './time-budget.js';

/** Clients and seams tests replace. */
export interface NotifierOverrides {
  /**
   * Where the AWS clients built here connect, and who they are (tests); their timeouts and
   * retries stay {@link NOTIFIER_AWS_CALLS}, whatever is set here.
   */
  readonly clientConfig?: {
    readonly region?: string;
    readonly endpoint?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
  readonly logs?: CloudWatchLogsClient;
  readonly cloudwatch?: CloudWatchClient;
  readonly sns?: SNSClient;
  /** The client the PagerDuty routing key is read with. */
  readonly secrets?: SecretsManagerClient;
  readonly log?: NotifierLog;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly pollIntervalMs?: number;
  /** PagerDuty client timing (per-attempt timeout, attempts, backoff); `sleep` is the one above. */
  readonly pagerDuty?: Pick<
    PagerDutyClientOptions,
    'timeoutMs' | 'attempts' | 'backoffMs' | 'maxDelayMs'
  >;
}

/**
 * The notifier's dependencies. Every AWS client honours `AWS_ENDPOINT_URL`; PagerDuty events go to
 * the configured Events API URL.
 *
 * @example
 * ```ts
 * const deps = buildNotifierDeps(readNotifierConfig(process.env), process.env);
 * ```
 */
export function buildNotifierDeps(
  config: NotifierConfig,
  env: Readonly<Record<string, string | undefined>>,
  overrides: NotifierOverrides = {}
): NotifierDeps {
  const clientConfig = {
    region: env.AWS_REGION ?? 'us-east-1',
    ...overrides.clientConfig,
    maxAttempts: NOTIFIER_AWS_CALLS.attempts,
    requestHandler: boundedRequestHandler(
      NOTIFIER_AWS_CALLS.requestMs,
      NOTIFIER_AWS_CALLS.connectMs
    ),
  };
  const log = overrides.log ?? jsonLog();
  const now = overrides.now ?? Date.now;
  const logs = new LogsInsightsReader({
    client: overrides.logs ?? new CloudWatchLogsClient(clientConfig),
    logGroupName: config.logGroupName,
    timeoutMs: config.queryTimeoutMs,
    now,
    ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
    ...(overrides.pollIntervalMs ? { pollIntervalMs: overrides.pollIntervalMs } : {}),
  });
  const rules =
    config.insightRuleName === null
      ? null
      : new InsightRuleReader({
          client: overrides.cloudwatch ?? new CloudWatchClient(clientConfig),
          ruleName: config.insightRuleName,
        });
  const pages = new SnsPagePublisher({
    client: overrides.sns ?? new SNSClient(clientConfig),
    pageTopicArn: config.pageTopicArn,
    log,
  });
  const pd = config.pagerDuty;
  const publisher = new PageDelivery({
    pages,
    pagerDuty:
      pd === null
        ? null
        : {
            client: new PagerDutyClient({
              eventsUrl: pd.eventsUrl,
              log,
              ...overrides.pagerDuty,
              ...(overrides.sleep ? { sleep: overrides.sleep } : {}),
            }),
            routingKey: secretRoutingKey(
              overrides.secrets ?? new SecretsManagerClient(clientConfig),
              pd.routingKeySecret
            ),
          },
    namespace: config.namespace,
    log,
    now,
  });
  return {
    ownTopicArns: [config.pageTopicArn],
    dashboardUrl: config.dashboardUrl,
    readFacts: (window) => readWindowFacts(window, { logs, rules }),
    publisher,
    log,
    now,
  };
}
