/**
 * The page as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification, which
 * Chatbot renders in Slack, Microsoft Teams or Chime. Pages of one alarm share a `threadId`, so the
 * recovery lands in the alarm's thread.
 * {@link https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html | Custom notifications}
 */
import type { Page, PageItem } from './page.js';
import { plural, truncate } from './text.js';

/** A Chatbot custom notification. */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** Chat messages stay well under Slack's and Chatbot's limits. */
const MAX_DESCRIPTION = 3500;

function bullet(i: PageItem): string {
  const jobs = i.failingJobs === null ? '' : `, ${plural(i.failingJobs, 'job')}`;
  const role = i.roleName === null ? '' : ` on \`${i.roleName}\``;
  const lines = [
    `• *${i.repository ?? '(no repository)'}*${role}: \`${i.code}\`, ${plural(i.failedCalls, 'call')}${jobs}`,
  ];
  if (i.explanation) lines.push(`    _Why:_ ${i.explanation}`);
  if (i.change) lines.push(`    _Change:_ ${i.change}`);
  return lines.join('\n');
}

function description(page: Page): string {
  const parts = [page.headline];
  if (page.top.length > 0) parts.push(page.top.map(bullet).join('\n'));
  if (page.rest !== null) parts.push(`…and ${plural(page.rest.failedCalls, 'more failed call')}.`);
  if (page.notes.length > 0) parts.push(page.notes.map((n) => `:warning: ${n}`).join('\n'));
  if (page.kind === 'recovery' && page.alarm.reason) parts.push(`_${page.alarm.reason}_`);
  return truncate(parts.join('\n\n'), MAX_DESCRIPTION);
}

function nextSteps(page: Page): string[] {
  const steps: string[] = [];
  if (page.kind === 'alarm')
    for (const i of page.top)
      if (i.fix) steps.push(`${i.repository ?? i.code}: ${truncate(i.fix, 300)}`);
  if (page.dashboardUrl) steps.push(`Dashboard: ${page.dashboardUrl}`);
  if (page.alarm.url) steps.push(`Alarm: ${page.alarm.url}`);
  return steps;
}

/**
 * The Chatbot custom notification of a page (the SNS `https` message).
 *
 * @example
 * ```ts
 * JSON.stringify(renderChatbot(page)); // {"version":"1.0","source":"custom","content":{…}}
 * ```
 */
export function renderChatbot(page: Page): ChatbotNotification {
  const icon = page.kind === 'recovery' ? ':white_check_mark:' : ':rotating_light:';
  const keywords = [page.alarm.state, ...new Set(page.top.map((i) => i.cause))].slice(0, 5);
  const context: Record<string, string> = { alarmName: page.alarm.name };
  if (page.dashboardUrl) context.dashboardUrl = page.dashboardUrl;
  if (page.totals !== null) context.failedCalls = String(page.totals.failedCalls);
  return {
    version: '1.0',
    source: 'custom',
    id: `${page.dedupKey}/${page.alarm.state}/${page.alarm.changedAt ?? ''}`,
    content: {
      textType: 'client-markdown',
      title: `${icon} ${truncate(page.subject, 200)}`,
      description: description(page),
      nextSteps: nextSteps(page),
      keywords,
    },
    metadata: {
      threadId: page.dedupKey,
      summary: page.subject,
      eventType: page.kind === 'recovery' ? 'oidcwatch.recovery' : 'oidcwatch.alarm',
      relatedResources: page.alarm.arn === null ? [] : [page.alarm.arn],
      additionalContext: context,
    },
  };
}
