/**
 * The page as plain text: the e-mail body and SNS's `default` message. The answer comes first
 * (headline), then each top group with why, fix and change, then the alarm and the links.
 */
import type { Page, PageItem } from './page.js';
import { clock, plural, utc } from './text.js';

const SOURCE_NAME = {
  'logs-insights': "CloudWatch Logs Insights over the processor's result lines",
  'contributor-insights': 'the Contributor Insights report (calls per repository and cause only)',
  'result-lines': "the processor's result lines",
} as const;

function itemLines(i: PageItem, n: number): string[] {
  const calls = plural(i.failedCalls, 'failed call');
  const jobs = i.failingJobs === null ? '' : `, ${plural(i.failingJobs, 'failing job')}`;
  const role =
    i.roleName === null ? '' : `role ${i.roleName}${i.account ? ` (${i.account})` : ''}, `;
  const lines = [
    `${n}. ${i.repository ?? '(no repository)'}: ${calls}${jobs}`,
    `   ${role}${i.code}`,
  ];
  if (i.explanation) lines.push(`   Why: ${i.explanation}`);
  if (i.fix) lines.push(`   Fix: ${i.fix}`);
  if (i.change) lines.push(`   Change: ${i.change}`);
  return lines;
}

function windowLabel(page: Page): string {
  if (page.window === null) return '';
  const start = clock(Date.parse(page.window.start));
  const end = clock(Date.parse(page.window.end));
  return `${start}-${end} UTC`;
}

/**
 * The plain-text page.
 *
 * @example
 * ```ts
 * await sns.send(new PublishCommand({ TopicArn, Subject: page.subject, Message: renderText(page) }));
 * ```
 */
export function renderText(page: Page): string {
  const a = page.alarm;
  const where = [a.account, a.region].filter((s) => s !== null).join(', ');
  const out = [`${a.state} ${a.name}${where ? ` (${where})` : ''}`, '', page.headline];
  if (page.top.length > 0) {
    out.push('', `What failed (${windowLabel(page)}):`);
    page.top.forEach((i, n) => {
      out.push(...itemLines(i, n + 1));
    });
    if (page.rest !== null) {
      const groups = page.rest.groups > 0 ? ` in ${plural(page.rest.groups, 'more group')}` : '';
      out.push(`...and ${plural(page.rest.failedCalls, 'more failed call')}${groups}.`);
    }
  }
  const shown = new Set(page.top.map((i) => i.change));
  const others = page.changes.filter((c) => !shown.has(c.summary));
  if (others.length > 0) {
    out.push('', 'Changes:');
    for (const c of others) out.push(`- ${c.summary} (${plural(c.failedCalls, 'failed call')})`);
  }
  out.push('');
  if (a.description) out.push(`Alarm: ${a.description}`);
  if (a.reason) out.push(`Reason: ${a.reason}`);
  const changed = utc(a.changedAt);
  if (changed !== null) out.push(`State changed: ${changed}`);
  if (page.notes.length > 0) {
    out.push('', 'Notes:');
    for (const n of page.notes) out.push(`- ${n}`);
  }
  out.push('');
  if (page.dashboardUrl) out.push(`Dashboard: ${page.dashboardUrl}`);
  if (a.url) out.push(`Alarm: ${a.url}`);
  if (page.source !== null) out.push(`Source: ${SOURCE_NAME[page.source]}`);
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n')}\n`;
}

/** The SMS form: the subject and the dashboard (SNS splits longer texts). */
export function renderSms(page: Page): string {
  return page.dashboardUrl ? `${page.subject} ${page.dashboardUrl}` : page.subject;
}
