/**
 * The text output of `classify` (and `backfill`): a job's retries folded into one entry even when
 * jobs interleave, entries in event-time order when the input is read whole, the order stated
 * when it cannot be kept (stdin, a full buffer), and tied main causes named as ties.
 */
import { describe, expect, it } from 'vitest';
import { RetryCollapser } from '../../../src/cli/common/retry-collapser.js';
import { styleFor } from '../../../src/cli/common/style.js';
import { mainCause } from '../../../src/cli/common/summary-text.js';
import { renderReportText } from '../../../src/cli/report/render-text.js';
import { aggregateReport } from '../../../src/domain/report/aggregate.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { failingJob, minutesAfter, success } from '../../helpers/diagnosis-factory.js';

const PLAIN = styleFor({ isTTY: false } as never, {});

/** Runs diagnoses through the folder; each entry prints as `time repository cause`. */
function fold(
  diagnoses: readonly Diagnosis[],
  opts: { ordered: boolean; capacity?: number }
): { lines: string[]; note: string | null } {
  const out: string[] = [];
  const folder = new RetryCollapser({
    format: (d) => `${d.eventTime} ${d.repository} ${d.cause}\n`,
    write: (s) => out.push(s),
    style: PLAIN,
    ordered: opts.ordered,
    ...(opts.capacity === undefined ? {} : { capacity: opts.capacity }),
  });
  for (const d of diagnoses) folder.add(d);
  const summary = folder.flush();
  return { lines: out.join('').trimEnd().split('\n'), note: folder.orderNote(summary) };
}

/** A's and B's attempts interleaved: A1 B1 A2 B2 A3 … */
function interleaved(): Diagnosis[] {
  const a = failingJob({
    repository: 'acme/api',
    role: 'api',
    cause: 'SUB_MISMATCH',
    detail: 'BRANCH',
    start: '2025-03-04T10:00:00Z',
    attempts: 5,
  });
  const b = failingJob({
    repository: 'acme/web',
    role: 'web',
    cause: 'EXPIRED_TOKEN',
    start: '2025-03-04T10:00:01Z',
    attempts: 3,
  });
  const out: Diagnosis[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== undefined) out.push(a[i] as Diagnosis);
    if (b[i] !== undefined) out.push(b[i] as Diagnosis);
  }
  return out;
}

describe('text output: folding retries', () => {
  it('folds each job of interleaved jobs (A, B, A, A) into one entry', () => {
    // Act
    const { lines, note } = fold(interleaved(), { ordered: true });

    // Assess
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe('2025-03-04T10:00:00.000Z acme/api SUB_MISMATCH');
    expect(lines[1]).toMatch(
      /^ {4}… and 4 more with the same role, sub and cause until 2025-03-04 10:00:01\.\d*Z? ?\(retries\)$|^ {4}… and 4 more with the same role, sub and cause until .* \(retries\)$/
    );
    expect(lines[2]).toBe('2025-03-04T10:00:01.000Z acme/web EXPIRED_TOKEN');
    expect(lines[3]).toContain('… and 2 more with the same role, sub and cause');
    expect(note).toBeNull();
  });

  it('keeps a later run of the same job apart once the window has passed', () => {
    // Prepare
    const first = failingJob({
      repository: 'acme/api',
      role: 'api',
      cause: 'EXPIRED_TOKEN',
      start: '2025-03-04T10:00:00Z',
      attempts: 2,
    });
    const again = failingJob({
      repository: 'acme/api',
      role: 'api',
      cause: 'EXPIRED_TOKEN',
      start: minutesAfter('2025-03-04T10:00:00Z', 30),
      attempts: 2,
    });

    // Act
    const { lines } = fold([...first, ...again], { ordered: true });

    // Assess
    expect(lines.filter((l) => !l.startsWith(' '))).toHaveLength(2);
  });

  it('streams stdin as it arrives, reports the folded retries when the job ends, and says so', () => {
    // Prepare
    const later = success('acme/docs', 'docs', minutesAfter('2025-03-04T10:00:00Z', 20));

    // Act
    const { lines, note } = fold([...interleaved(), later], { ordered: false });

    // Assess
    expect(lines[0]).toBe('2025-03-04T10:00:00.000Z acme/api SUB_MISMATCH');
    expect(lines[1]).toBe('2025-03-04T10:00:01.000Z acme/web EXPIRED_TOKEN');
    expect(lines.slice(2, 4).join('\n')).toMatch(
      /… 4 more retries of acme\/api \(SUB_MISMATCH\/BRANCH, 2025-03-04 10:00:00Z\) folded/
    );
    expect(lines.at(-1)).toContain('acme/docs SUCCESS');
    expect(note).toBe(
      'Order: read from stdin, results are printed as they arrive (input order, not sorted by time).'
    );
  });
});

describe('text output: order', () => {
  it('prints entries by event time when the input is read whole, whatever the file order', () => {
    // Prepare: a late file holds the early burst (as examples/ does)
    const late = success('acme/docs', 'docs', '2025-03-04T11:00:00Z');
    const burst = failingJob({
      repository: 'acme/api',
      role: 'api',
      cause: 'SUB_MISMATCH',
      start: '2025-03-04T10:00:00Z',
    });

    // Act
    const { lines, note } = fold([late, ...burst], { ordered: true });

    // Assess
    expect(lines[0]).toContain('acme/api SUB_MISMATCH');
    expect(lines[1]).toContain('… and 11 more');
    expect(lines[2]).toContain('acme/docs SUCCESS');
    expect(note).toBeNull();
  });

  it('bounds what it holds, and says when order and folding could not be kept', () => {
    // Prepare: ten one-off failures, latest first, with room for four
    const ten = Array.from({ length: 10 }, (_, i) =>
      success(`acme/r${i}`, `r${i}`, minutesAfter('2025-03-04T10:00:00Z', 60 - i * 5))
    );

    // Act
    const { lines, note } = fold(ten, { ordered: true, capacity: 4 });

    // Assess
    expect(lines).toHaveLength(10);
    expect(note).toMatch(/^Order: more than 4 results were waiting, so \d+ were printed early/);
    expect(note).toMatch(/results are out of time order/);
  });
});

describe('summary: main cause', () => {
  it('names a single main cause, and a tie as a tie', () => {
    // Prepare
    const single = aggregateReport([
      ...failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'SUB_MISMATCH',
        detail: 'BRANCH',
        start: '2025-03-04T10:00:00Z',
        attempts: 3,
      }),
      ...failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'EXPIRED_TOKEN',
        start: '2025-03-04T11:00:00Z',
        attempts: 1,
      }),
    ]);
    const tied = aggregateReport([
      ...failingJob({
        repository: 'acme/web',
        role: 'web',
        cause: 'EXPIRED_TOKEN',
        start: '2025-03-04T10:00:00Z',
        attempts: 1,
      }),
      ...failingJob({
        repository: 'acme/web',
        role: 'web',
        cause: 'ROLE_NOT_FOUND',
        start: '2025-03-04T11:00:00Z',
        attempts: 1,
      }),
      ...failingJob({
        repository: 'acme/web',
        role: 'web',
        cause: 'IDP_ERROR',
        detail: 'COMMUNICATION',
        start: '2025-03-04T12:00:00Z',
        attempts: 1,
      }),
    ]);

    // Act
    const one = mainCause(single.repositories[0]?.causes ?? []);
    const tie = mainCause(tied.repositories[0]?.causes ?? []);

    // Assess
    expect(one).toBe('SUB_MISMATCH/BRANCH (+1)');
    expect(tie).toBe('tie: EXPIRED_TOKEN, IDP_ERROR/COMMUNICATION +1 tied');
  });
});

describe('report text: ties', () => {
  it('names tied top causes in the table and gives each its fix, picking none', () => {
    // Prepare
    const report = aggregateReport([
      ...failingJob({
        repository: 'acme-corp/payments-api',
        role: 'payments-deploy',
        cause: 'SUB_MISMATCH',
        detail: 'BRANCH',
        start: '2025-03-04T10:00:00Z',
        attempts: 2,
      }),
      ...failingJob({
        repository: 'acme-corp/payments-api',
        role: 'payments-deploy',
        cause: 'ROLE_NOT_FOUND',
        start: '2025-03-04T11:00:00Z',
        attempts: 2,
      }),
    ]);

    // Act
    const text = renderReportText(report, { color: false });

    // Assess
    expect(text).toContain('tie: ROLE_NOT_FOUND, SUB_MISMATCH/BRANCH');
    expect(text).toContain(
      'acme-corp/payments-api  a tie: 2 causes with 2 failures each, of 4 failures'
    );
    expect(text.match(/ {2}Fix: /g)).toHaveLength(2);
  });
});
