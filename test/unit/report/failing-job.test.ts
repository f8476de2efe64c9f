import { describe, expect, it } from 'vitest';
import {
  countFailingJobs,
  eventTimeMs,
  FailingJobCounter,
  failingJobKey,
} from '../../../src/domain/failing-job.js';
import {
  diagnosis,
  failingJob,
  retryOffsetsMs,
  shuffled,
} from '../../helpers/diagnosis-factory.js';

const job = (start: string, extra: Partial<Parameters<typeof failingJob>[0]> = {}) =>
  failingJob({
    repository: 'acme-corp/payments-api',
    role: 'payments-deploy',
    cause: 'SUB_MISMATCH',
    detail: 'ENVIRONMENT_FORM',
    start,
    ...extra,
  });

describe('retryOffsetsMs', () => {
  it('spaces 12 attempts like configure-aws-credentials: 8 within seconds, all within ~102 s', () => {
    // Prepare
    const attempts = 12;

    // Act
    const offsets = retryOffsetsMs(attempts);

    // Assess
    expect(offsets).toHaveLength(12);
    expect(offsets[7]).toBeLessThan(6_400);
    expect(offsets[11]).toBeCloseTo(102_350, 0);
    expect(retryOffsetsMs(attempts, 1)[11]).toBeCloseTo(204_700, 0);
  });
});

describe('eventTimeMs', () => {
  it('reads CloudTrail times and rejects absent or unparseable ones', () => {
    // Prepare
    const times = ['2025-03-04T10:15:00Z', null, '', 'yesterday'];

    // Act
    const parsed = times.map(eventTimeMs);

    // Assess
    expect(parsed).toEqual([Date.parse('2025-03-04T10:15:00Z'), null, null, null]);
  });
});

describe('failingJobKey', () => {
  it('gives every retry of one job inside a 5-minute bucket the same key', () => {
    // Prepare
    const retries = job('2025-03-04T10:00:10Z');

    // Act
    const keys = new Set(retries.map(failingJobKey));

    // Assess
    expect([...keys]).toEqual([
      '111122223333|arn:aws:iam::111122223333:role/payments-deploy|repo:acme-corp/payments-api:environment:production|2025-03-04T10:00:00.000Z',
    ]);
  });

  it('gives a burst that crosses a bucket boundary two keys', () => {
    // Prepare
    const retries = job('2025-03-04T10:04:30Z');

    // Act
    const keys = new Set(retries.map(failingJobKey));

    // Assess
    expect(keys.size).toBe(2);
  });

  it('returns null for a success, an ignored record and a failure without a readable time', () => {
    // Prepare
    const records = [
      diagnosis({ cause: 'SUCCESS' }),
      diagnosis({ cause: 'IGNORED' }),
      diagnosis({ cause: 'MALFORMED_EVENT' }),
      diagnosis({ eventTime: null }),
      diagnosis({ eventTime: 'not a time' }),
    ];

    // Act
    const keys = records.map(failingJobKey);

    // Assess
    expect(keys).toEqual([null, null, null, null, null]);
  });

  it('uses "unresolved" for a record that names no role', () => {
    // Prepare
    const d = diagnosis({ roleArn: null, cause: 'ROLE_UNRESOLVED', detail: null });

    // Act
    const key = failingJobKey(d);

    // Assess
    expect(key).toContain('|unresolved|');
  });
});

describe('countFailingJobs', () => {
  it('counts the 12 retries of one job once', () => {
    // Prepare
    const retries = job('2025-03-04T10:00:10Z');

    // Act
    const jobs = countFailingJobs(retries);

    // Assess
    expect(retries).toHaveLength(12);
    expect(jobs).toBe(1);
  });

  it('counts a burst that crosses a 5-minute bucket boundary once', () => {
    // Prepare
    const retries = job('2025-03-04T10:04:30Z', { jitter: 1 });

    // Act
    const jobs = countFailingJobs(retries);

    // Assess
    expect(jobs).toBe(1);
  });

  it('counts jobs of one role and sub more than 5 minutes apart separately, in any order', () => {
    // Prepare
    const records = shuffled([
      ...job('2025-03-04T10:00:00Z'),
      ...job('2025-03-04T10:20:00Z'),
      ...job('2025-03-04T11:00:00Z'),
    ]);

    // Act
    const jobs = countFailingJobs(records);

    // Assess
    expect(jobs).toBe(3);
  });

  it('joins two jobs when a late record falls within 5 minutes of both', () => {
    // Prepare
    const counter = new FailingJobCounter();
    const at = (t: string) => diagnosis({ eventTime: t });

    // Act
    counter.add(at('2025-03-04T10:00:00Z'));
    counter.add(at('2025-03-04T10:08:00Z'));
    const before = counter.count;
    counter.add(at('2025-03-04T10:04:00Z'));

    // Assess
    expect(before).toBe(2);
    expect(counter.count).toBe(1);
  });

  it('keeps jobs of different subs, roles and accounts apart', () => {
    // Prepare
    const start = '2025-03-04T10:00:00Z';
    const records = [
      ...job(start),
      ...job(start, { subTail: 'ref:refs/heads/main' }),
      ...job(start, { role: 'payments-readonly' }),
      ...job(start).map((d) => ({ ...d, account: '444455556666' })),
      ...job(start, { role: null, cause: 'ROLE_UNRESOLVED', detail: null }),
    ];

    // Act
    const jobs = countFailingJobs(records);

    // Assess
    expect(jobs).toBe(5);
  });

  it('ignores successes and counts untimed failures as one job only when nothing else places them', () => {
    // Prepare
    const untimedOnly = [diagnosis({ eventTime: null }), diagnosis({ eventTime: null })];
    const mixed = [...job('2025-03-04T10:00:00Z'), diagnosis({ eventTime: null })];
    const successes = [diagnosis({ cause: 'SUCCESS' }), diagnosis({ cause: 'IGNORED' })];

    // Act
    const counts = [untimedOnly, mixed, successes].map(countFailingJobs);

    // Assess
    expect(counts).toEqual([1, 1, 0]);
  });
});
