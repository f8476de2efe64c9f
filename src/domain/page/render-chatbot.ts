/**
 * The page as an AWS Chatbot (Amazon Q Developer in chat applications) custom notification, which
 * Chatbot renders in Slack, Microsoft Teams or Chime. Pages of one alarm share a `threadId`, so the
 * recovery lands in the alarm's thread.
 * {@link https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html | Custom notifications}
 */
import type { Page, PageItem } from './page.js';
import { plural, truncate } from './text.js';
import { chatCode, chatText } from './untrusted-text.js';

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

/**
 * Record fields (repository, role, code, explanation, change) are attacker-chosen: each goes
 * through `chatText` or `chatCode`, so none can mention a channel, forge a link or a line, or
 * open formatting.
 */
function bullet(i: PageItem): string {
  const jobs = i.failingJobs === null ? '' : `, ${plural(i.failingJobs, 'job')}`;
  const role = i.roleName === null ? '' : ` on ${chatCode(i.roleName, 100)}`;
  const repository = i.repository === null ? '(no repository)' : chatText(i.repository, 140);
  const lines = [
    `• *${repository}*${role}: ${chatCode(i.code, 100)}, ${plural(i.failedCalls, 'call')}${jobs}`,
  ];
  if (i.explanation) lines.push(`    _Why:_ ${chatText(i.explanation, 600)}`);
  if (i.change) lines.push(`    _Change:_ ${chatText(i.change, 300)}`);
  return lines.join('\n');
}

function description(page: Page): string {
  const parts = [chatText(page.headline, 1000)];
  if (page.top.length > 0) parts.push(page.top.map(bullet).join('\n'));
  if (page.rest !== null) parts.push(`…and ${plural(page.rest.failedCalls, 'more failed call')}.`);
  if (page.notes.length > 0)
    parts.push(page.notes.map((n) => `:warning: ${chatText(n, 300)}`).join('\n'));
  if (page.kind === 'recovery' && page.alarm.reason)
    parts.push(`_${chatText(page.alarm.reason, 300)}_`);
  return truncate(parts.join('\n\n'), MAX_DESCRIPTION);
}

function nextSteps(page: Page): string[] {
  const steps: string[] = [];
  if (page.kind === 'alarm')
    for (const i of page.top)
      if (i.fix) steps.push(`${chatText(i.repository ?? i.code, 140)}: ${chatCode(i.fix, 300)}`);
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
  const keywords = [page.alarm.state, ...new Set(page.top.map((i) => chatText(i.cause, 60)))].slice(
    0,
    5
  );
  const context: Record<string, string> = { alarmName: chatText(page.alarm.name, 255) };
  if (page.dashboardUrl) context.dashboardUrl = page.dashboardUrl;
  if (page.totals !== null) context.failedCalls = String(page.totals.failedCalls);
  return {
    version: '1.0',
    source: 'custom',
    id: `${page.dedupKey}/${page.alarm.state}/${page.alarm.changedAt ?? ''}`,
    content: {
      textType: 'client-markdown',
      title: `${icon} ${chatText(page.subject, 200)}`,
      description: description(page),
      nextSteps: nextSteps(page),
      keywords,
    },
    metadata: {
      threadId: page.dedupKey,
      summary: chatText(page.subject, 200),
      eventType: page.kind === 'recovery' ? 'oidcwatch.recovery' : 'oidcwatch.alarm',
      relatedResources: page.alarm.arn === null ? [] : [page.alarm.arn],
      additionalContext: context,
    },
  };
}
