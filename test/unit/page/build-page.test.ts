/**
 * The summary builder on realistic windows of result lines: one dominant repository (the issue's
 * example), many repositories, a change-caused spike, an empty window; and on what the notifier
 * knows when a source fails.
 */
import { describe, expect, it } from 'vitest';
import { parseAlarmNotification } from '../../../src/domain/page/alarm-notification.js';
import { buildPage } from '../../../src/domain/page/build-page.js';
import type { WindowFacts } from '../../../src/domain/page/facts.js';
import { renderText } from '../../../src/domain/page/render-text.js';
import { factsFromResultLines } from '../../../src/domain/page/result-lines.js';
import {
  alarmNotification,
  DASHBOARD_URL,
  DOMINANT_REPOSITORY,
  type GroupSpec,
  MANY_REPOSITORIES,
  PROVIDER_DELETION,
  recoveryNotification,
  resultLines,
  WINDOW,
} from '../../fixtures/page/result-sets.js';

function alarm(message: Record<string, unknown> = alarmNotification()) {
  const parsed = parseAlarmNotification(message);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.alarm;
}

function pageOf(groups: readonly GroupSpec[], message = alarmNotification()) {
  const facts = factsFromResultLines(resultLines(groups), WINDOW);
  return buildPage({ alarm: alarm(message), facts, dashboardUrl: DASHBOARD_URL });
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

describe('buildPage: one dominant repository (the issue example)', () => {
  it('says 312 failures in 5 min, 26 failing jobs, 290 from acme-corp/payments-api with cause, fix and change', () => {
    // Prepare
    const groups = DOMINANT_REPOSITORY;

    // Act
    const page = pageOf(groups);

    // Assess
    expect(page.totals).toEqual({ failedCalls: 312, failingJobs: 26, repositories: 3 });
    expect(page.headline).toMatch(
      /^312 failed role assumptions in 5 min \(26 failing jobs, 3 repositories\); 290 from acme-corp\/payments-api on role payments-deploy: SUB_MISMATCH\/ENVIRONMENT_FORM\. Fix: Add "repo:acme-corp\/payments-api:environment:production" to StringEquals/
    );
    expect(page.headline).toContain(
      'Trust policy of payments-deploy changed 6 min before the first failure by arn:aws:iam::111122223333:user/alice'
    );
    expect(page.subject).toBe(
      'ALARM 312 OIDC failures in 5 min (26 jobs): acme-corp/payments-api SUB_MISMATCH after a change'
    );
  });

  it('lists the top groups with role, code, explanation and fix, largest first', () => {
    // Prepare
    const groups = DOMINANT_REPOSITORY;

    // Act
    const page = pageOf(groups);

    // Assess
    expect(
      page.top.map((i) => [i.repository, i.roleName, i.code, i.failedCalls, i.failingJobs])
    ).toEqual([
      ['acme-corp/payments-api', 'payments-deploy', 'SUB_MISMATCH/ENVIRONMENT_FORM', 290, 24],
      ['acme-corp/web', 'web-deploy', 'SUB_MISMATCH/WRONG_ENVIRONMENT', 12, 1],
      ['acme-corp/docs', 'docs-publish', 'AUDIENCE_MISMATCH/TRUST_POLICY', 10, 1],
    ]);
    expect(page.top[0]?.explanation).toContain('the job declares `environment: production`');
    expect(page.top[0]?.change).toContain(
      'removed `repo:acme-corp/payments-api:environment:production`'
    );
    expect(page.rest).toBeNull();
    expect(page.changes).toHaveLength(1);
    expect(page.notes).toEqual([]);
  });

  it('renders a plain text that leads with the answer and ends with the links', () => {
    // Prepare
    const page = pageOf(DOMINANT_REPOSITORY);

    // Act
    const text = renderText(page);

    // Assess
    const lines = text.split('\n');
    expect(lines[0]).toBe('ALARM oidcwatch-failure-spike (111122223333, eu-west-1)');
    expect(lines[2]).toBe(page.headline);
    expect(text).toContain('What failed (14:00-14:05 UTC):');
    expect(text).toContain('1. acme-corp/payments-api: 290 failed calls, 24 failing jobs');
    expect(text).toContain(
      '   Why: The trust policy of arn:aws:iam::111122223333:role/payments-deploy'
    );
    expect(text).toContain(`Dashboard: ${DASHBOARD_URL}`);
    expect(text).toContain('State changed: 2026-11-27 14:05:07 UTC');
    expect(text.endsWith("Source: the processor's result lines\n")).toBe(true);
  });
});

describe('buildPage: many repositories', () => {
  it('names the spread and the most common cause, without a single fix in the headline', () => {
    // Prepare
    const groups = MANY_REPOSITORIES;

    // Act
    const page = pageOf(groups);

    // Assess
    expect(page.totals).toEqual({ failedCalls: 216, failingJobs: 21, repositories: 12 });
    expect(page.headline).toBe(
      '216 failed role assumptions in 5 min (21 failing jobs, 12 repositories); 152 are SUB_MISMATCH/BRANCH across 8 repositories, most from acme-corp/checkout (36 on role checkout-deploy).'
    );
    expect(page.subject).toBe('ALARM 216 OIDC failures in 5 min (21 jobs): 8 repos SUB_MISMATCH');
  });

  it('shows three groups and counts the rest', () => {
    // Prepare
    const groups = MANY_REPOSITORIES;

    // Act
    const page = pageOf(groups);

    // Assess
    expect(page.top.map((i) => i.repository)).toEqual([
      'acme-corp/checkout',
      'acme-corp/cli',
      'acme-corp/search',
    ]);
    // Ten groups were read (the query's limit); the two smallest are only in the totals.
    expect(page.rest).toEqual({ groups: 7, failedCalls: 216 - 36 - 24 - 24 });
    expect(renderText(page)).toContain('...and 132 more failed calls in 7 more groups.');
  });
});

describe('buildPage: a change-caused spike', () => {
  it('leads with the shared cause and fix across repositories and names the change and its author', () => {
    // Prepare
    const groups = PROVIDER_DELETION;

    // Act
    const page = pageOf(groups);

    // Assess
    expect(page.headline).toBe(
      '264 failed role assumptions in 5 min (22 failing jobs, 5 repositories); 264 are MISSING_OIDC_PROVIDER across 5 repositories, most from acme-corp/payments-api (96 on role payments-api-deploy). Fix: aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com — OIDC provider token.actions.githubusercontent.com deleted 3 min before the first failure by arn:aws:sts::111122223333:assumed-role/platform-admin/bob.'
    );
    expect(page.changes).toEqual([
      { summary: expect.stringContaining('deleted 3 min before'), failedCalls: 264 },
    ]);
    expect(page.subject).toBe(
      'ALARM 264 OIDC failures in 5 min (22 jobs): 5 repos MISSING_OIDC_PROVIDER after a change'
    );
  });

  it('lists every distinct change, and those not shown with a group under Changes', () => {
    // Prepare
    const second = {
      ...(PROVIDER_DELETION[4] as GroupSpec),
      repository: 'acme-corp/late',
      role: 'late-deploy',
      calls: 5,
      jobs: 1,
      change: {
        summary: 'trust policy of late-deploy changed 1 min before the first failure by carol',
        by: 'carol',
        at: '2026-11-27T14:01:00Z',
      },
    };

    // Act
    const page = pageOf([...PROVIDER_DELETION, second]);

    // Assess
    expect(page.changes.map((c) => c.failedCalls)).toEqual([264, 5]);
    expect(page.headline).toContain('(1 more change)');
    expect(renderText(page)).toContain(
      'Changes:\n- trust policy of late-deploy changed 1 min before the first failure by carol (5 failed calls)'
    );
  });
});

describe('buildPage: an empty window', () => {
  it('still pages, says nothing failed in the window and what that can mean', () => {
    // Prepare
    const groups: GroupSpec[] = [];

    // Act
    const page = pageOf(groups);

    // Assess
    expect(page.kind).toBe('alarm');
    expect(page.totals).toEqual({ failedCalls: 0, failingJobs: 0, repositories: 0 });
    expect(page.top).toEqual([]);
    expect(page.headline).toBe(
      'oidcwatch-failure-spike is in ALARM; no failed role assumption was logged in the 5 min before it fired.'
    );
    expect(page.subject).toBe('ALARM oidcwatch-failure-spike: no OIDC failures logged in 5 min');
    expect(page.notes[0]).toMatch(/result lines lag .* processor is failing/);
    expect(page.dashboardUrl).toBe(DASHBOARD_URL);
  });
});

describe('buildPage: what is known when sources fail', () => {
  it('pages with the alarm, its reason and the dashboard when nothing could be read', () => {
    // Prepare
    const facts: WindowFacts = {
      window: WINDOW,
      source: null,
      totals: null,
      groups: [],
      problems: [
        'Logs Insights query timed out after 20 s',
        'Contributor Insights report failed: x',
      ],
    };

    // Act
    const page = buildPage({ alarm: alarm(), facts, dashboardUrl: DASHBOARD_URL });
    const text = renderText(page);

    // Assess
    expect(page.headline).toBe(
      'oidcwatch-failure-spike is in ALARM; the failures of the last 5 min could not be read (Logs Insights query timed out after 20 s). Open the dashboard.'
    );
    expect(page.subject).toBe('ALARM oidcwatch-failure-spike: no summary, see dashboard');
    expect(text).toContain('Reason: Threshold Crossed: 3 out of the last 5 datapoints');
    expect(text).toContain(
      'Notes:\n- Logs Insights query timed out after 20 s\n- Contributor Insights report failed: x'
    );
    expect(text).toContain(`Dashboard: ${DASHBOARD_URL}`);
  });

  it('summarises Contributor Insights counts without jobs, roles or fixes', () => {
    // Prepare
    const facts: WindowFacts = {
      window: WINDOW,
      source: 'contributor-insights',
      totals: { failedCalls: 312, failingJobs: null, repositories: null },
      groups: [
        {
          repository: 'acme-corp/payments-api',
          roleArn: null,
          account: null,
          cause: 'SUB_MISMATCH',
          detail: null,
          failedCalls: 290,
          failingJobs: null,
          explanation: null,
          fix: null,
          change: null,
        },
        {
          repository: 'acme-corp/web',
          roleArn: null,
          account: null,
          cause: 'SUB_MISMATCH',
          detail: null,
          failedCalls: 12,
          failingJobs: null,
          explanation: null,
          fix: null,
          change: null,
        },
      ],
      problems: ['Logs Insights query failed: AccessDeniedException: denied'],
    };

    // Act
    const page = buildPage({ alarm: alarm(), facts, dashboardUrl: null });

    // Assess
    expect(page.headline).toBe(
      '312 failed role assumptions in 5 min; 290 from acme-corp/payments-api: SUB_MISMATCH.'
    );
    expect(page.subject).toBe(
      'ALARM 312 OIDC failures in 5 min: acme-corp/payments-api SUB_MISMATCH'
    );
    expect(page.rest).toEqual({ groups: 0, failedCalls: 10 });
    expect(renderText(page)).toContain('Source: the Contributor Insights report');
  });
});

describe('buildPage: recovery', () => {
  it('sends the recovery with the same dedup key as the alarm and no window', () => {
    // Prepare
    const fired = pageOf(DOMINANT_REPOSITORY);

    // Act
    const page = buildPage({
      alarm: alarm(recoveryNotification()),
      facts: null,
      dashboardUrl: DASHBOARD_URL,
    });

    // Assess
    expect(page.kind).toBe('recovery');
    expect(page.dedupKey).toBe(fired.dedupKey);
    expect(page.subject).toBe('OK oidcwatch-failure-spike recovered');
    expect(page.headline).toBe('oidcwatch-failure-spike is back to OK from ALARM.');
    expect(page.window).toBeNull();
    expect(page.top).toEqual([]);
    expect(page.notes).toEqual([]);
  });
});

describe('buildPage: the subject', () => {
  it('stays printable ASCII below 100 characters whatever the names hold', () => {
    // Prepare
    const longName = `oidcwatch-${'très-long-nom—'.repeat(20)}`;
    const long: GroupSpec = {
      ...(DOMINANT_REPOSITORY[0] as GroupSpec),
      repository: `acme-corp/${'x'.repeat(100)}`,
    };

    // Act
    const subjects = [
      pageOf([long]).subject,
      pageOf([], alarmNotification({ AlarmName: longName })).subject,
      buildPage({
        alarm: alarm(alarmNotification({ AlarmName: longName, NewStateValue: 'OK' })),
        facts: null,
        dashboardUrl: null,
      }).subject,
      pageOf(MANY_REPOSITORIES).subject,
    ];

    // Assess
    for (const s of subjects) {
      expect(s.length).toBeLessThan(100);
      expect(s).toMatch(PRINTABLE_ASCII);
    }
    expect(subjects[0]).toBe(
      'ALARM 290 OIDC failures in 5 min (24 jobs): SUB_MISMATCH after a change'
    );
    expect(subjects[1]).toMatch(
      /^ALARM oidcwatch-tres-long-nom-.*\.\.\.: no OIDC failures logged in 5 min$/
    );
  });
});
