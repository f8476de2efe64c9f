/**
 * The processor Lambda against a real IAM API over HTTP (moto_server): the examples' providers and
 * roles are created account by account, the processor reads them cross-account through its read
 * role, and every example event gives exactly the result `oidcwatch classify --iam-snapshot` gives
 * for it (one core, one answer), with one log line and its metrics.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readInputs } from '../../src/adapters/input/read-inputs.js';
import { loadSnapshot, SnapshotIamReader } from '../../src/adapters/snapshot/iam-snapshot.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { readConfig } from '../../src/handler/config.js';
import { type BuiltDeps, buildDeps } from '../../src/handler/deps.js';
import { handleEvent, type ProcessSummary } from '../../src/handler/process-event.js';
import { diagnoseRecord } from '../../src/usecases/diagnose-record.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';
import { seedIam } from '../helpers/seed-iam.js';

const RUN = shouldRunMotoSuite('processor against moto_server');
const SNAPSHOT = 'examples/iam-snapshot.json';
/** moto's default account: the processor's own account here. */
const HOME = '123456789012';

function envelope(record: Record<string, unknown>): Record<string, unknown> {
  return {
    version: '0',
    id: `env-${String(record.eventID)}`,
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.sts',
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

/** A result without what only the processor adds: where IAM came from, the change correlation. */
function comparable(d: Diagnosis): Omit<Diagnosis, 'enrichment' | 'change'> {
  const { enrichment: _e, change: _c, ...rest } = d;
  return rest;
}

describe.runIf(RUN)('processor against moto_server', () => {
  let moto: Moto;
  let deps: BuiltDeps;
  const logLines: Record<string, unknown>[] = [];
  const emf: Record<string, unknown>[] = [];
  let records: Record<string, unknown>[] = [];
  let snapshotAccounts: Set<string>;

  beforeAll(async () => {
    moto = await startMoto();
    const snapshot = await loadSnapshot(SNAPSHOT);
    snapshotAccounts = new Set(Object.keys(snapshot.accounts));
    await seedIam(moto.endpoint, snapshot);
    for await (const item of readInputs(['examples/events']))
      if (item.kind === 'record') records.push(item.value as Record<string, unknown>);
    records = records.map((r) => ('detail' in r ? (r.detail as Record<string, unknown>) : r));
    const destination = new Writable({
      write(chunk, _enc, cb) {
        for (const line of String(chunk).split('\n'))
          if (line.trim() !== '') logLines.push(JSON.parse(line));
        cb();
      },
    });
    const config = readConfig({
      OIDCWATCH_READ_ROLE_NAME: 'oidcwatch-read',
      OIDCWATCH_HOME_ACCOUNT: HOME,
      LOG_LEVEL: 'info',
    });
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (text.includes('"_aws"'))
        for (const l of text.split('\n')) if (l.trim() !== '') emf.push(JSON.parse(l));
      return true;
    });
    deps = buildDeps(
      config,
      {},
      { clientConfig: motoClientConfig(moto.endpoint), logDestination: destination }
    );
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await moto?.stop();
  });

  it('gives every example event the result classify --iam-snapshot gives, reading IAM cross-account', async () => {
    // Prepare
    const reader = new SnapshotIamReader(await loadSnapshot(SNAPSHOT));
    const expected = await Promise.all(records.map((r) => diagnoseRecord(r, reader)));

    // Act
    const actual: Diagnosis[] = [];
    for (const r of records) {
      const summary = (await handleEvent(envelope(r), deps)) as ProcessSummary;
      actual.push(summary.results[0] as Diagnosis);
    }

    // Assess
    expect(actual).toHaveLength(records.length);
    let compared = 0;
    for (let i = 0; i < records.length; i++) {
      const want = expected[i] as Diagnosis;
      const got = actual[i] as Diagnosis;
      // An account outside the snapshot is unknown to classify (ENRICHMENT_FAILED); moto invents
      // any account on demand, so the two sides cannot agree there by construction.
      if (want.account !== null && !snapshotAccounts.has(want.account)) continue;
      expect({ i, ...comparable(got) }).toEqual({ i, ...comparable(want) });
      if (want.cause !== 'IGNORED' && want.cause !== 'MALFORMED_EVENT')
        expect(got.enrichment).toBe('iam');
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(records.length - 1);
    expect(new Set(actual.map((d) => d.cause)).size).toBeGreaterThanOrEqual(18);
    expect(deps.credentials?.assumeCalls).toBe(snapshotAccounts.size + 1);
  });

  it('writes one log line per result and counts every failure in EMF', () => {
    // Prepare
    const results = logLines.filter((l) => l.msg === 'oidcwatch.result');
    const failures = results.filter((l) => l.outcome === 'failure');

    // Act
    const failureDocs = emf.filter((d) => 'AssumeRoleFailures' in d);

    // Assess
    expect(results).toHaveLength(records.length);
    for (const line of results) {
      expect(line).toHaveProperty('cause');
      expect(line).toHaveProperty('fix');
      expect(line).toHaveProperty('repository');
    }
    expect(failureDocs).toHaveLength(failures.length);
    const dims = (failureDocs[0] as { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } })
      ._aws.CloudWatchMetrics[0]?.Dimensions;
    expect(dims).toEqual([[], ['Cause'], ['Account', 'Region']]);
  });

  it('makes one GetRole per role however many events name it, and does not count a redelivered event twice', async () => {
    // Prepare
    const burst = records.filter(
      (r) =>
        String((r.userIdentity as { userName?: string })?.userName).endsWith(
          'environment:production'
        ) && JSON.stringify(r).includes('payments-deploy')
    );
    const before = deps.iam.loads.roles;
    const linesBefore = logLines.length;

    // Act
    await Promise.all(burst.map((r) => handleEvent(envelope(r), deps)));

    // Assess
    expect(burst.length).toBe(24);
    expect(deps.iam.loads.roles).toBe(before);
    expect(logLines.length - linesBefore).toBe(0);
  });
});
