/**
 * The Logs Insights queries read what the processor writes, and their rows are read back right.
 */
import { describe, expect, it } from 'vitest';
import { RESULT_LOG_MESSAGE } from '../../../infra/constructs/repository-breakdown.js';
import { RESULT_MESSAGE } from '../../../src/adapters/log/result-logger.js';
import { factsFromResultLines } from '../../../src/domain/page/result-lines.js';
import {
  GROUPS_QUERY,
  RESULT_LINE_MESSAGE,
  readGroups,
  readTotals,
  TOTALS_QUERY,
} from '../../../src/domain/page/window-queries.js';
import { DOMINANT_REPOSITORY, resultLines, WINDOW } from '../../fixtures/page/result-sets.js';

describe('window queries', () => {
  it('filter on the message the processor writes and the Contributor Insights rules count', () => {
    // Prepare
    const messages = [RESULT_MESSAGE, RESULT_LOG_MESSAGE];

    // Act
    const filter = `filter msg = '${RESULT_LINE_MESSAGE}' and outcome = 'failure'`;

    // Assess
    expect(messages).toEqual([RESULT_LINE_MESSAGE, RESULT_LINE_MESSAGE]);
    expect(TOTALS_QUERY.startsWith(filter)).toBe(true);
    expect(GROUPS_QUERY.startsWith(filter)).toBe(true);
  });

  it('read only fields of the result line (and the change annotation)', () => {
    // Prepare
    const line = resultLines(DOMINANT_REPOSITORY)[0] as Record<string, unknown>;
    const written = new Set([...Object.keys(line), 'change.summary']);

    // Act
    const read = [TOTALS_QUERY, GROUPS_QUERY]
      .join('\n')
      .match(
        /\b(?:repository|roleArn|detail|account|cause|failingJobKey|explanation|fix|change\.summary|outcome|msg)\b/g
      );

    // Assess
    for (const field of new Set(read)) expect(written.has(field), field).toBe(true);
    expect(GROUPS_QUERY).toContain('latest(change.summary) as change');
    expect(GROUPS_QUERY).toMatch(/limit 10$/);
  });
});

describe('readTotals and readGroups', () => {
  it('read the rows of GetQueryResults, absent values as null, largest group first', () => {
    // Prepare
    const totals = [
      [
        { field: 'failedCalls', value: '312' },
        { field: 'failingJobs', value: '26' },
        { field: 'repositories', value: '3' },
      ],
    ];
    const groups = [
      [
        { field: 'repo', value: '-' },
        { field: 'role', value: '-' },
        { field: 'cause', value: 'ROLE_UNRESOLVED' },
        { field: 'det', value: '-' },
        { field: 'acct', value: '111122223333' },
        { field: 'failedCalls', value: '4' },
        { field: 'failingJobs', value: '1' },
        { field: 'explanation', value: 'CloudTrail recorded no role for this call' },
      ],
      [
        { field: 'repo', value: 'acme-corp/payments-api' },
        { field: 'role', value: 'arn:aws:iam::111122223333:role/payments-deploy' },
        { field: 'cause', value: 'SUB_MISMATCH' },
        { field: 'det', value: 'ENVIRONMENT_FORM' },
        { field: 'failedCalls', value: '290' },
        { field: 'failingJobs', value: '24' },
        { field: 'change', value: 'trust policy changed' },
      ],
      [{ field: 'failedCalls', value: '3' }],
    ];

    // Act
    const t = readTotals(totals);
    const g = readGroups(groups);

    // Assess
    expect(t).toEqual({ failedCalls: 312, failingJobs: 26, repositories: 3 });
    expect(g).toEqual([
      {
        repository: 'acme-corp/payments-api',
        roleArn: 'arn:aws:iam::111122223333:role/payments-deploy',
        account: null,
        cause: 'SUB_MISMATCH',
        detail: 'ENVIRONMENT_FORM',
        failedCalls: 290,
        failingJobs: 24,
        explanation: null,
        fix: null,
        change: 'trust policy changed',
      },
      {
        repository: null,
        roleArn: null,
        account: '111122223333',
        cause: 'ROLE_UNRESOLVED',
        detail: null,
        failedCalls: 4,
        failingJobs: 1,
        explanation: 'CloudTrail recorded no role for this call',
        fix: null,
        change: null,
      },
    ]);
  });

  it('read no row (nothing matched) as zero totals and no groups', () => {
    // Prepare
    const rows: never[] = [];

    // Act
    const t = readTotals(rows);
    const g = readGroups(rows);

    // Assess
    expect(t).toEqual({ failedCalls: 0, failingJobs: 0, repositories: 0 });
    expect(g).toEqual([]);
  });
});

describe('factsFromResultLines', () => {
  it('counts only failure result lines inside the window', () => {
    // Prepare
    const lines = [...resultLines(DOMINANT_REPOSITORY), null, 'text', 42];

    // Act
    const facts = factsFromResultLines(lines, WINDOW);

    // Assess
    expect(facts.totals).toEqual({ failedCalls: 312, failingJobs: 26, repositories: 3 });
    expect(facts.groups.map((g) => g.repository)).toEqual([
      'acme-corp/payments-api',
      'acme-corp/web',
      'acme-corp/docs',
    ]);
    expect(facts.source).toBe('result-lines');
  });

  it('keeps the latest line’s explanation, fix and change for a group, as latest() does', () => {
    // Prepare
    const base = {
      msg: 'oidcwatch.result',
      outcome: 'failure',
      cause: 'SUB_MISMATCH',
      repository: 'a/b',
    };
    const lines = [
      { ...base, time: '2026-11-27T14:04:00Z', fix: 'newer', change: { summary: 'changed' } },
      { ...base, time: '2026-11-27T14:01:00Z', fix: 'older' },
    ];

    // Act
    const facts = factsFromResultLines(lines, WINDOW);

    // Assess
    expect(facts.groups).toHaveLength(1);
    expect(facts.groups[0]).toMatchObject({
      fix: 'newer',
      change: 'changed',
      failedCalls: 2,
      failingJobs: 0,
    });
  });
});
