/**
 * What each subscriber receives: the SNS message per protocol (e-mail text, AWS Chatbot custom
 * notification, structured page), the PagerDuty Events API v2 event, and the loop-guard attribute.
 */
import { describe, expect, it } from 'vitest';
import { parseAlarmNotification } from '../../../src/domain/page/alarm-notification.js';
import { buildPage } from '../../../src/domain/page/build-page.js';
import { PAGE_SCHEMA } from '../../../src/domain/page/page.js';
import { renderChatbot } from '../../../src/domain/page/render-chatbot.js';
import { renderPagerDuty } from '../../../src/domain/page/render-pagerduty.js';
import { renderText } from '../../../src/domain/page/render-text.js';
import { factsFromResultLines } from '../../../src/domain/page/result-lines.js';
import {
  ORIGIN_ATTRIBUTE,
  ORIGIN_NOTIFIER,
  pageMessage,
  plainPageMessage,
} from '../../../src/domain/page/sns-messages.js';
import {
  alarmNotification,
  DASHBOARD_URL,
  DOMINANT_REPOSITORY,
  recoveryNotification,
  resultLines,
  WINDOW,
} from '../../fixtures/page/result-sets.js';

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';

function alarmPage() {
  const parsed = parseAlarmNotification(alarmNotification());
  if (!parsed.ok) throw new Error(parsed.reason);
  const facts = factsFromResultLines(resultLines(DOMINANT_REPOSITORY), WINDOW);
  return buildPage({ alarm: parsed.alarm, facts, dashboardUrl: DASHBOARD_URL });
}

function recoveryPage() {
  const parsed = parseAlarmNotification(recoveryNotification());
  if (!parsed.ok) throw new Error(parsed.reason);
  return buildPage({ alarm: parsed.alarm, facts: null, dashboardUrl: DASHBOARD_URL });
}

describe('pageMessage (the pages topic)', () => {
  it('gives each protocol its form: text for e-mail, Chatbot JSON for https, the page for queues', () => {
    // Prepare
    const page = alarmPage();

    // Act
    const m = pageMessage(page);
    const byProtocol = JSON.parse(m.message) as Record<string, string>;

    // Assess
    expect(m.messageStructure).toBe('json');
    expect(m.subject).toBe(page.subject);
    expect(Object.keys(byProtocol).sort()).toEqual(
      ['default', 'email', 'email-json', 'firehose', 'http', 'https', 'lambda', 'sms', 'sqs'].sort()
    );
    for (const v of Object.values(byProtocol)) expect(typeof v).toBe('string');
    expect(byProtocol.default).toBe(renderText(page));
    expect(byProtocol.email).toBe(renderText(page));
    expect(JSON.parse(byProtocol.https as string)).toEqual(renderChatbot(page));
    expect(JSON.parse(byProtocol.sqs as string)).toEqual(page);
    expect(JSON.parse(byProtocol.lambda as string).schema).toBe(PAGE_SCHEMA);
    expect(byProtocol.sms).toBe(`${page.subject} ${DASHBOARD_URL}`);
  });

  it('marks the message as the notifier’s own and lets subscribers filter by kind, alarm and cause', () => {
    // Prepare
    const page = alarmPage();

    // Act
    const attributes = pageMessage(page).attributes;

    // Assess
    expect(attributes).toEqual({
      [ORIGIN_ATTRIBUTE]: ORIGIN_NOTIFIER,
      oidcwatch_format: 'page',
      oidcwatch_kind: 'alarm',
      alarm_name: 'oidcwatch-failure-spike',
      top_cause: 'SUB_MISMATCH',
    });
  });

  it('keeps the message far below the SNS limit of 256 KB', () => {
    // Prepare
    const page = alarmPage();

    // Act
    const bytes = Buffer.byteLength(pageMessage(page).message);

    // Assess
    expect(bytes).toBeLessThan(64 * 1024);
  });

  it('has a plain-text last resort without structure', () => {
    // Prepare
    const page = alarmPage();

    // Act
    const m = plainPageMessage(page);

    // Assess
    expect(m.messageStructure).toBeUndefined();
    expect(m.message).toBe(renderText(page));
    expect(m.attributes[ORIGIN_ATTRIBUTE]).toBe(ORIGIN_NOTIFIER);
  });
});

describe('renderChatbot', () => {
  it('follows the custom notification schema, threads by alarm and lists the fixes as next steps', () => {
    // Prepare
    const page = alarmPage();

    // Act
    const n = renderChatbot(page);

    // Assess
    expect(n).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: {
        textType: 'client-markdown',
        keywords: ['ALARM', 'SUB_MISMATCH', 'AUDIENCE_MISMATCH'],
      },
      metadata: {
        threadId: page.dedupKey,
        summary: page.subject,
        eventType: 'oidcwatch.alarm',
        relatedResources: [
          'arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-failure-spike',
        ],
      },
    });
    expect(n.content.title).toBe(`:rotating_light: ${page.subject}`);
    // Record text cannot open code spans in chat: its backticks become look-alikes.
    expect(n.content.description.startsWith(page.headline.replace(/`/g, 'ˋ'))).toBe(true);
    expect(n.content.description).toContain(
      '• *acme-corp/payments-api* on `payments-deploy`: `SUB_MISMATCH/ENVIRONMENT_FORM`, 290 calls, 24 jobs'
    );
    expect(n.content.nextSteps[0]).toMatch(
      /^acme-corp\/payments-api: `Add "repo:acme-corp\/payments-api:environment:production"/
    );
    expect(n.content.nextSteps.at(-2)).toBe(`Dashboard: ${DASHBOARD_URL}`);
    expect(n.content.description.length).toBeLessThanOrEqual(3500);
  });

  it('posts the recovery in the alarm’s thread', () => {
    // Prepare
    const fired = renderChatbot(alarmPage());

    // Act
    const n = renderChatbot(recoveryPage());

    // Assess
    expect(n.metadata.threadId).toBe(fired.metadata.threadId);
    expect(n.metadata.eventType).toBe('oidcwatch.recovery');
    expect(n.content.title).toBe(':white_check_mark: OK oidcwatch-failure-spike recovered');
    expect(n.id).not.toBe(fired.id);
  });
});

describe('renderPagerDuty', () => {
  it('triggers a critical event with the summary, the dedup key per alarm and the dashboard link', () => {
    // Prepare
    const page = alarmPage();

    // Act
    const event = renderPagerDuty(page, ROUTING_KEY);

    // Assess
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key:
        'oidcwatch/arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-failure-spike',
      payload: {
        summary: page.headline,
        severity: 'critical',
        source: 'oidcwatch 111122223333 eu-west-1',
        timestamp: '2026-11-27T14:05:07.412Z',
        component: 'acme-corp/payments-api',
        group: 'payments-deploy',
        class: 'SUB_MISMATCH/ENVIRONMENT_FORM',
        custom_details: { alarm: 'oidcwatch-failure-spike', totals: page.totals, top: page.top },
      },
      client: 'oidcwatch',
      client_url: DASHBOARD_URL,
      links: [
        { href: DASHBOARD_URL, text: 'oidcwatch dashboard' },
        {
          href: expect.stringContaining('#alarmsV2:alarm/oidcwatch-failure-spike'),
          text: 'Alarm oidcwatch-failure-spike',
        },
      ],
    });
    expect(event.event_action === 'trigger' && event.payload.summary.length).toBeLessThanOrEqual(
      1024
    );
  });

  it('resolves the same dedup key on OK', () => {
    // Prepare
    const page = recoveryPage();

    // Act
    const event = renderPagerDuty(page, ROUTING_KEY);

    // Assess
    expect(event).toEqual({
      routing_key: ROUTING_KEY,
      event_action: 'resolve',
      dedup_key:
        'oidcwatch/arn:aws:cloudwatch:eu-west-1:111122223333:alarm:oidcwatch-failure-spike',
    });
  });
});
