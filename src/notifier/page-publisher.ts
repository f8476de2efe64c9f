/**
 * Publishes a page: the per-protocol message to the pages topic (falling back to plain text when
 * SNS refuses it), and the PagerDuty event to the PagerDuty topic. Both are tried whatever the
 * other does; if either is not delivered the error is thrown, so that Lambda retries the
 * invocation (PagerDuty folds the repeated trigger into the same incident by its dedup key).
 */
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Page } from '../domain/page/page.js';
import {
  pageMessage,
  pagerDutyMessage,
  plainPageMessage,
  type SnsMessage,
} from '../domain/page/sns-messages.js';
import { describeError, type NotifierLog } from './log.js';

/** Options of {@link SnsPagePublisher}. */
export interface SnsPagePublisherOptions {
  readonly client: SNSClient;
  readonly pageTopicArn: string;
  readonly pagerDuty: { readonly topicArn: string; readonly routingKey: string } | null;
  readonly log: NotifierLog;
}

/** Thrown when a page could not be delivered to every destination. */
export class PageNotDeliveredError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
  }
}

function attributes(m: SnsMessage): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(m.attributes))
    if (v !== '') out[k] = { DataType: 'String', StringValue: v };
  return out;
}

/**
 * Publishes pages to SNS.
 *
 * @example
 * ```ts
 * const publisher = new SnsPagePublisher({ client, pageTopicArn, pagerDuty: null, log });
 * await publisher.publish(page);
 * ```
 */
export class SnsPagePublisher {
  readonly #o: SnsPagePublisherOptions;

  constructor(options: SnsPagePublisherOptions) {
    this.#o = options;
  }

  /**
   * Publishes `page` to every destination.
   *
   * @throws PageNotDeliveredError naming what was not delivered
   */
  async publish(page: Page): Promise<void> {
    const failures = (
      await Promise.all([this.#publishPage(page), this.#publishPagerDuty(page)])
    ).filter((f) => f !== null);
    if (failures.length > 0)
      throw new PageNotDeliveredError(`page not delivered: ${failures.join('; ')}`);
  }

  async #send(topicArn: string, m: SnsMessage): Promise<void> {
    await this.#o.client.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: m.message,
        ...(m.subject === undefined ? {} : { Subject: m.subject }),
        ...(m.messageStructure === undefined ? {} : { MessageStructure: m.messageStructure }),
        MessageAttributes: attributes(m),
      })
    );
  }

  /** `null` when delivered, else what failed. */
  async #publishPage(page: Page): Promise<string | null> {
    try {
      await this.#send(this.#o.pageTopicArn, pageMessage(page));
      return null;
    } catch (e) {
      this.#o.log.warn('oidcwatch.notifier.page_refused', {
        alarm: page.alarm.name,
        error: describeError(e),
      });
    }
    try {
      await this.#send(this.#o.pageTopicArn, plainPageMessage(page));
      return null;
    } catch (e) {
      return `pages topic: ${describeError(e)}`;
    }
  }

  async #publishPagerDuty(page: Page): Promise<string | null> {
    const pd = this.#o.pagerDuty;
    if (pd === null) return null;
    try {
      await this.#send(pd.topicArn, pagerDutyMessage(page, pd.routingKey));
      return null;
    } catch (e) {
      return `PagerDuty topic: ${describeError(e)}`;
    }
  }
}
