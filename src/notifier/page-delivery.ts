/**
 * Delivers a page everywhere it goes: the pages topic (SNS) and, when configured, PagerDuty's
 * Events API, in parallel. The pages topic decides the outcome: if it took no form of the page the
 * error is thrown, so that Lambda retries the invocation (PagerDuty folds the repeated trigger into
 * the open incident by its dedup key). A PagerDuty event that could not be delivered after the
 * client's retries is logged and counted (EMF metric `PagerDutyDeliveryFailures` on that log
 * line), never thrown: the page went out on the pages topic.
 */
import { METRIC } from '../domain/metric-names.js';
import type { Page } from '../domain/page/page.js';
import { renderPagerDuty } from '../domain/page/render-pagerduty.js';
import { describeError, type LogFields, type NotifierLog } from './log.js';
import type { PagerDutyClient, PagerDutyDelivery } from './pagerduty-client.js';
import type { RoutingKeySource } from './routing-key.js';

/** Options of {@link PageDelivery}. */
export interface PageDeliveryOptions {
  /** The pages topic publisher; throws when the page was not published. */
  readonly pages: { publish(page: Page): Promise<void> };
  /** PagerDuty's client and where the routing key of its events is read; `null`: no PagerDuty. */
  readonly pagerDuty: {
    readonly client: Pick<PagerDutyClient, 'send'>;
    readonly routingKey: RoutingKeySource;
  } | null;
  /** CloudWatch namespace of the failure metric. */
  readonly namespace: string;
  readonly log: NotifierLog;
  readonly now: () => number;
}

/**
 * The EMF fields that make a log line count one `PagerDutyDeliveryFailures` (no dimension).
 * {@link https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html | EMF}
 */
export function pagerDutyFailureMetric(namespace: string, timestampMs: number): LogFields {
  const name = METRIC.PagerDutyDeliveryFailures;
  return {
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [
        { Namespace: namespace, Dimensions: [[]], Metrics: [{ Name: name, Unit: 'Count' }] },
      ],
    },
    [name]: 1,
  };
}

/**
 * Publishes each page to the pages topic and sends its PagerDuty event.
 *
 * @example
 * ```ts
 * const delivery = new PageDelivery({ pages, pagerDuty: { client, routingKey }, namespace, log, now });
 * await delivery.publish(page); // throws only when the pages topic did not take it
 * ```
 */
export class PageDelivery {
  readonly #o: PageDeliveryOptions;

  constructor(options: PageDeliveryOptions) {
    this.#o = options;
  }

  /**
   * Delivers `page`.
   *
   * @throws the pages topic's error (`PageNotDeliveredError`) when the page was not published
   */
  async publish(page: Page): Promise<void> {
    const [pages, pagerDuty] = await Promise.allSettled([
      this.#o.pages.publish(page),
      this.#sendPagerDuty(page),
    ]);
    if (pagerDuty.status === 'fulfilled' && pagerDuty.value !== null)
      this.#logPagerDuty(page, pagerDuty.value, pages.status === 'fulfilled');
    if (pages.status === 'rejected') throw pages.reason;
  }

  /** The delivery of the page's event, or `null` when PagerDuty is not configured. */
  async #sendPagerDuty(page: Page): Promise<PagerDutyDelivery | null> {
    const pd = this.#o.pagerDuty;
    if (pd === null) return null;
    let key: string | null = null;
    try {
      key = await pd.routingKey();
      return await pd.client.send(renderPagerDuty(page, key));
    } catch (e) {
      // The client does not throw: this is the secret that could not be read, or anything else.
      const text = describeError(e);
      const problem = key === null ? `routing key: ${text}` : text.split(key).join('<routing key>');
      return { ok: false, attempts: 0, status: null, problem };
    }
  }

  #logPagerDuty(page: Page, d: PagerDutyDelivery, pagesPublished: boolean): void {
    const fields = {
      alarm: page.alarm.name,
      eventAction: page.kind === 'recovery' ? 'resolve' : 'trigger',
      dedupKey: page.dedupKey,
      attempts: d.attempts,
      status: d.status,
    };
    if (d.ok) {
      this.#o.log.info('oidcwatch.notifier.pagerduty_sent', fields);
      return;
    }
    this.#o.log.error('oidcwatch.notifier.pagerduty_failed', {
      ...fields,
      error: d.problem,
      pagesTopic: pagesPublished ? 'published' : 'not published',
      ...pagerDutyFailureMetric(this.#o.namespace, this.#o.now()),
    });
  }
}
