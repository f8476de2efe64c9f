/**
 * Exports that carry the CloudTrail record as a JSON string (issue 12, read by issue 15's readers):
 * `aws cloudtrail lookup-events` output, CloudTrail Lake query results and Athena JSON rows. Each
 * record is classified as if it had been given bare, by `classify` and `report` alike.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as classify } from '../../../src/cli/commands/classify.js';
import { run as report } from '../../../src/cli/commands/report.js';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';

const SNAPSHOT = 'examples/iam-snapshot.json';
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-string-records-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const records = [
  failedWebIdentityRecord({
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
  }),
  failedWebIdentityRecord({ sub: 'repo:acme-corp/web:environment:production', role: 'web-deploy' }),
  failedWebIdentityRecord({
    sub: 'repo:acme-corp/cli:ref:refs/tags/v1.0.0',
    role: 'cli-release',
    errorCode: 'InvalidIdentityToken',
    errorMessage: 'Incorrect token audience',
  }),
];

/** `aws cloudtrail lookup-events` output, as the AWS CLI prints it. */
function lookupEventsOutput(): string {
  return JSON.stringify(
    {
      Events: records.map((r) => ({
        EventId: r.eventID,
        EventName: r.eventName,
        ReadOnly: 'true',
        EventTime: r.eventTime,
        EventSource: r.eventSource,
        Username: (r.userIdentity as { userName: string }).userName,
        Resources: [],
        CloudTrailEvent: JSON.stringify(r),
      })),
      NextToken: 'abc',
    },
    null,
    4
  );
}

async function classifyLines(path: string): Promise<Record<string, unknown>[]> {
  const io = fakeIo();
  await classify([path, '--iam-snapshot', SNAPSHOT, '--json'], io);
  return io
    .out()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('records carried as JSON strings', () => {
  it('classifies aws cloudtrail lookup-events output as the bare records, in classify and report', async () => {
    // Prepare
    const bare = join(dir, 'bare.json');
    await writeFile(bare, JSON.stringify({ Records: records }));
    const path = join(dir, 'lookup-events.json');
    await writeFile(path, lookupEventsOutput());
    const io = fakeIo();

    // Act
    const fromLookup = await classifyLines(path);
    const fromBare = await classifyLines(bare);
    await report([path, '--iam-snapshot', SNAPSHOT, '--json'], io);

    // Assess
    expect(fromLookup).toEqual(fromBare);
    expect(fromLookup.map((d) => d.cause)).not.toContain('MALFORMED_EVENT');
    expect(JSON.parse(io.out()).totals).toMatchObject({ records: 3, malformed: 0, failures: 3 });
  });

  it('reads CloudTrail Lake query results and Athena JSON rows', async () => {
    // Prepare
    const lake = join(dir, 'lake.json');
    await writeFile(
      lake,
      JSON.stringify({
        QueryStatus: 'FINISHED',
        QueryStatistics: { ResultsCount: 3 },
        QueryResultRows: records.map((r) => [
          { eventID: r.eventID },
          { eventJson: JSON.stringify(r) },
        ]),
      })
    );
    const athena = join(dir, 'athena.jsonl');
    await writeFile(
      athena,
      records.map((r) => JSON.stringify({ eventjson: JSON.stringify(r) })).join('\n')
    );

    // Act
    const fromLake = await classifyLines(lake);
    const fromAthena = await classifyLines(athena);

    // Assess
    expect(fromLake.map((d) => d.eventId)).toEqual(records.map((r) => r.eventID));
    expect(fromAthena).toEqual(fromLake);
  });

  it('reports a CloudTrailEvent that is not JSON as MALFORMED_EVENT naming the event and the field', async () => {
    // Prepare
    const path = join(dir, 'broken.json');
    await writeFile(
      path,
      JSON.stringify({ Events: [{ EventId: 'ev-1', CloudTrailEvent: '{"eventVersion":' }] })
    );

    // Act
    const [d] = await classifyLines(path);

    // Assess
    expect(d?.cause).toBe('MALFORMED_EVENT');
    expect(d?.detail).toMatch(/record 0 .*record ev-1: "CloudTrailEvent" is not JSON/);
  });
});
