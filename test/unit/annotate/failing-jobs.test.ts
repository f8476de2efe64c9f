/**
 * Failing jobs for the annotator: a job's retries (up to ~205 s, across a 5-minute bucket
 * boundary) are one job, the same role and subject later is another, and a line's remedy survives
 * the trip through `classify --json`.
 */
import { describe, expect, it } from 'vitest';
import { groupFailingJobs } from '../../../src/domain/annotate/failing-jobs.js';
import { readResultLine } from '../../../src/domain/annotate/result-line.js';
import { failingJobKey } from '../../../src/domain/failing-job.js';
import { failure, TRUST_POLICY_REMEDY } from '../../helpers/annotate-fixtures.js';
import { retryOffsetsMs } from '../../helpers/diagnosis-factory.js';

describe('groupFailingJobs', () => {
  it('makes one job of 12 retries that straddle a 5-minute bucket, and another of a later run', () => {
    // Prepare
    const start = Date.parse('2026-11-27T14:03:30Z');
    const retries = retryOffsetsMs(12, 1).map((o) =>
      failure({ eventTime: new Date(start + o).toISOString().replace(/\.\d+Z$/, 'Z') })
    );
    const later = failure({ eventTime: '2026-11-27T15:00:00Z' });

    // Act
    const jobs = groupFailingJobs([later, ...retries.reverse()]);

    // Assess
    expect(new Set(retries.map((d) => failingJobKey(d))).size).toBe(2);
    expect(jobs.map((j) => [j.attempts, j.diagnosis.eventTime])).toEqual([
      [12, '2026-11-27T14:03:30Z'],
      [1, '2026-11-27T15:00:00Z'],
    ]);
    expect(jobs[0]?.key).toBe(failingJobKey(failure({ eventTime: '2026-11-27T14:03:30Z' })));
  });

  it('leaves out results that are not failures', () => {
    // Act
    const jobs = groupFailingJobs([failure({ cause: 'SUCCESS' }), failure({ cause: 'IGNORED' })]);

    // Assess
    expect(jobs).toEqual([]);
  });
});

describe('readResultLine', () => {
  it('keeps the remedy and the failingJobKey of a processor line', () => {
    // Prepare
    const d = failure();
    const line = JSON.parse(
      JSON.stringify({ ...d, outcome: 'failure', failingJobKey: 'k', msg: 'oidcwatch.result' })
    );

    // Act
    const r = readResultLine(line);

    // Assess
    expect(r).toEqual({
      ok: true,
      diagnosis: { ...d, remedy: TRUST_POLICY_REMEDY },
      failingJobKey: 'k',
    });
  });

  it('drops a remedy that does not have the contract shape', () => {
    // Act
    const r = readResultLine({ ...failure(), remedy: { kind: 'magic', summary: 'x' } });

    // Assess
    expect(r.ok && r.diagnosis.remedy).toBeUndefined();
  });
});
