/**
 * Publishes a page to the pages topic: the per-protocol message, falling back to plain text when
 * SNS refuses it. If neither is taken the error is thrown, so that Lambda retries the invocation.
 * When SNS did not answer at all (timeout, refused connection), the plain form is not tried: it
 * would wait out the same dead endpoint again, and the invocation's retry is the better bet.
 */
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { isNoAnswer } from '../adapters/aws-client-config.js';
import type { Page } from '../domain/page/page.js';
import { pageMessage, plainPageMessage, type SnsMessage } from '../domain/page/sns-messages.js';
import { describeError, type NotifierLog } from './log.js';

/** Options of {@link SnsPagePublisher}. */
export interface SnsPagePublisherOptions {
  readonly client: SNSClient;
  readonly pageTopicArn: string;
  readonly log: NotifierLog;
}

/** Thrown when the pages topic took no form of a page. */
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
 * Publishes pages to the pages topic.
 *
 * @example
 * ```ts
 * const publisher = new SnsPagePublisher({ client, pageTopicArn, log });
 * await publisher.publish(page);
 * ```
 */
export class SnsPagePublisher {
  readonly #o: SnsPagePublisherOptions;

  constructor(options: SnsPagePublisherOptions) {
    this.#o = options;
  }

  /**
   * Publishes `page` to the pages topic.
   *
   * @throws PageNotDeliveredError naming why neither form was taken
   */
  async publish(page: Page): Promise<void> {
    const failure = await this.#publishPage(page);
    if (failure !== null) throw new PageNotDeliveredError(`page not delivered: ${failure}`);
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
      if (isNoAnswer(e)) return `pages topic did not answer: ${describeError(e)}`;
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
}
