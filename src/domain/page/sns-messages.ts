/**
 * The SNS messages of a page. The pages topic gets one message per page with
 * `MessageStructure: 'json'`, so each protocol receives its own form: e-mail and SMS plain text,
 * `https` (AWS Chatbot) the custom notification, SQS/Lambda/HTTP/email-json/Firehose the
 * structured page. PagerDuty is not an SNS subscriber: the notifier posts the Events API v2 event
 * itself (`render-pagerduty.ts`). Every message carries `oidcwatch_origin = notifier`, which the
 * notifier's own subscription filters out and its handler ignores: a page can never page again.
 */
import type { Page } from './page.js';
import { renderChatbot } from './render-chatbot.js';
import { renderSms, renderText } from './render-text.js';

/** The message attribute marking the notifier's own messages (loop guard). */
export const ORIGIN_ATTRIBUTE = 'oidcwatch_origin';

/** Its value. */
export const ORIGIN_NOTIFIER = 'notifier';

/** One SNS `Publish`, as data (string message attributes). */
export interface SnsMessage {
  readonly subject?: string;
  readonly message: string;
  readonly messageStructure?: 'json';
  readonly attributes: Readonly<Record<string, string>>;
}

/** Attributes subscribers can filter on (`oidcwatch_kind`, `alarm_name`, `top_cause`). */
function attributes(page: Page, format: string): Record<string, string> {
  const out: Record<string, string> = {
    [ORIGIN_ATTRIBUTE]: ORIGIN_NOTIFIER,
    oidcwatch_format: format,
    oidcwatch_kind: page.kind,
    alarm_name: page.alarm.name,
  };
  const cause = page.top[0]?.cause;
  if (cause !== undefined) out.top_cause = cause;
  return out;
}

/**
 * The page for the pages topic, one form per protocol.
 *
 * @example
 * ```ts
 * const m = pageMessage(page);
 * await sns.send(new PublishCommand({ TopicArn, Subject: m.subject, Message: m.message, MessageStructure: m.messageStructure }));
 * ```
 */
export function pageMessage(page: Page): SnsMessage {
  const text = renderText(page);
  const structured = JSON.stringify(page);
  const byProtocol = {
    default: text,
    email: text,
    'email-json': structured,
    sms: renderSms(page),
    https: JSON.stringify(renderChatbot(page)),
    http: structured,
    sqs: structured,
    lambda: structured,
    firehose: structured,
  };
  return {
    subject: page.subject,
    message: JSON.stringify(byProtocol),
    messageStructure: 'json',
    attributes: attributes(page, 'page'),
  };
}

/**
 * The last-resort form of the page: the plain text alone, no structure. Published when the full
 * message is refused, so that the page still goes out.
 */
export function plainPageMessage(page: Page): SnsMessage {
  return { subject: page.subject, message: renderText(page), attributes: attributes(page, 'text') };
}
