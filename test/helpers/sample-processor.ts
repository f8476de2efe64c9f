/**
 * The processor run on the bundled sample data, as the dashboard sees it: the IAM changes of
 * examples/changes, then the failures of examples/events, with IAM from
 * examples/iam-snapshot.json. Returns its log lines (flattened as Logs Insights names fields) and
 * EMF documents.
 */
import { readInputs } from '../../src/adapters/input/read-inputs.js';
import { loadSnapshot, SnapshotIamReader } from '../../src/adapters/snapshot/iam-snapshot.js';
import { readConfig } from '../../src/handler/config.js';
import { buildDeps } from '../../src/handler/deps.js';
import { handleEvent } from '../../src/handler/process-event.js';
import { captureEmf, lineCollector } from './capture.js';

/** A log line flattened as Logs Insights names its fields (`change.by`, `removed.0`). */
export function flattenLine(
  value: unknown,
  prefix = '',
  out = new Map<string, unknown>()
): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    if (prefix !== '') out.set(prefix, value);
    for (const [k, v] of Object.entries(value))
      flattenLine(v, prefix === '' ? k : `${prefix}.${k}`, out);
  } else if (prefix !== '') out.set(prefix, value);
  return out;
}

function envelope(record: Record<string, unknown>): Record<string, unknown> {
  const iam = record.eventSource === 'iam.amazonaws.com';
  return {
    version: '0',
    id: `env-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: iam ? 'aws.iam' : 'aws.sts',
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

async function records(path: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const item of readInputs([path]))
    if (item.kind === 'record') {
      const r = item.value as Record<string, unknown>;
      out.push('detail' in r ? (r.detail as Record<string, unknown>) : r);
    }
  return out;
}

/** What the processor wrote for the sample data. */
export interface SampleRun {
  readonly resultLines: Map<string, unknown>[];
  readonly changeLines: Map<string, unknown>[];
  readonly emf: Record<string, unknown>[];
}

/** Runs the processor on the sample data. */
export async function runProcessorOnSamples(): Promise<SampleRun> {
  const logs = lineCollector();
  const capture = captureEmf();
  try {
    const config = readConfig({
      OIDCWATCH_HOME_ACCOUNT: '111122223333',
      OIDCWATCH_CHANGE_TTL_DAYS: '30',
      OIDCWATCH_CHANGE_WINDOW_MINUTES: '14400',
    });
    const built = buildDeps(
      config,
      {},
      {
        clientConfig: { region: 'us-east-1', maxAttempts: 1 },
        logDestination: logs.stream,
        now: () => Date.parse('2026-11-27T15:00:00Z'),
      }
    );
    const deps = {
      ...built,
      reader: new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json')),
    };
    for (const r of await records('examples/changes')) await handleEvent(envelope(r), deps);
    for (const r of await records('examples/events')) await handleEvent(envelope(r), deps);
  } finally {
    capture.restore();
  }
  return {
    resultLines: logs.lines.filter((l) => l.msg === 'oidcwatch.result').map((l) => flattenLine(l)),
    changeLines: logs.lines.filter((l) => l.msg === 'oidcwatch.change').map((l) => flattenLine(l)),
    emf: capture.docs,
  };
}
