/**
 * Issue 15, item 9: the processor's edges. A metric that fails and is retried never logs a result
 * twice; an SQS message without a body fails alone; a `{"Records":[…]}` body gives one result per
 * record.
 */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/adapters/log/result-logger.js';
import type { ResultMetrics } from '../../../src/adapters/metrics/emf-result-metrics.js';
import { loadSnapshot, SnapshotIamReader } from '../../../src/adapters/snapshot/iam-snapshot.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import {
  type BatchResponse,
  handleEvent,
  type ProcessorDeps,
  type ProcessSummary,
} from '../../../src/handler/process-event.js';
import { SeenEvents } from '../../../src/handler/seen-events.js';
import { lineCollector } from '../../helpers/capture.js';
import { deniedRecord, eventBridge } from '../../helpers/records.js';

/** Metrics that fail `failures` times, then count. */
function flakyMetrics(failures: number): ResultMetrics & { recorded: Diagnosis[] } {
  let left = failures;
  const recorded: Diagnosis[] = [];
  return {
    recorded,
    record(d: Diagnosis) {
      if (left > 0) {
        left -= 1;
        throw new Error('EMF sink unavailable');
      }
      recorded.push(d);
    },
    recordChange() {},
    flush() {},
  } as unknown as ResultMetrics & { recorded: Diagnosis[] };
}

async function depsWith(metrics: ResultMetrics) {
  const logs = lineCollector();
  const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
  const deps: ProcessorDeps = {
    reader,
    logger: createLogger('info', logs.stream),
    metrics,
    seen: new SeenEvents(100),
    owners: [],
  };
  return { deps, logs };
}

function sqs(...messages: Record<string, unknown>[]) {
  return { Records: messages.map((m) => ({ eventSource: 'aws:sqs', ...m })) };
}

const results = (lines: Record<string, unknown>[]) =>
  lines.filter((l) => l.msg === 'oidcwatch.result');

describe('processor edges', () => {
  it('logs a result once when its metric fails and the message is retried', async () => {
    // Prepare
    const metrics = flakyMetrics(1);
    const { deps, logs } = await depsWith(metrics);
    const batch = sqs({ messageId: 'm-1', body: JSON.stringify(eventBridge(deniedRecord())) });

    // Act
    const first = (await handleEvent(batch, deps)) as BatchResponse;
    const retry = (await handleEvent(batch, deps)) as BatchResponse;

    // Assess
    expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expect(retry.batchItemFailures).toEqual([]);
    expect(results(logs.lines)).toHaveLength(1);
    expect(metrics.recorded).toHaveLength(1);
  });

  it('fails only the SQS message that has no body, and processes the others', async () => {
    // Prepare
    const { deps, logs } = await depsWith(flakyMetrics(0));
    const batch = sqs(
      { messageId: 'good', body: JSON.stringify(eventBridge(deniedRecord())) },
      { messageId: 'no-body' }
    );

    // Act
    const out = (await handleEvent(batch, deps)) as BatchResponse;

    // Assess
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'no-body' }]);
    expect(results(logs.lines)).toHaveLength(1);
    expect(results(logs.lines)[0]?.cause).not.toBe('MALFORMED_EVENT');
  });

  it('gives one result per record of a {"Records":[…]} body and of such an event', async () => {
    // Prepare
    const { deps, logs } = await depsWith(flakyMetrics(0));
    const records = [1, 2, 3].map((n) =>
      deniedRecord({ eventId: `00000000-0000-4000-8000-00000000000${n}` })
    );
    const batch = sqs({ messageId: 'log-file', body: JSON.stringify({ Records: records }) });
    const direct = {
      Records: [4, 5].map((n) =>
        deniedRecord({ eventId: `00000000-0000-4000-8000-00000000000${n}` })
      ),
    };

    // Act
    const out = (await handleEvent(batch, deps)) as BatchResponse;
    const summary = (await handleEvent(direct, deps)) as ProcessSummary;

    // Assess
    expect(out.batchItemFailures).toEqual([]);
    expect(summary.results).toHaveLength(2);
    expect(results(logs.lines)).toHaveLength(5);
    expect(results(logs.lines).map((l) => l.eventId)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `00000000-0000-4000-8000-00000000000${n}`)
    );
    expect(results(logs.lines).some((l) => l.cause === 'MALFORMED_EVENT')).toBe(false);
  });
});
