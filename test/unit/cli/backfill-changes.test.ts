/**
 * `oidcwatch backfill` reads the IAM configuration changes from history too: one `LookupEvents`
 * by event name for each of the eight IAM calls, in us-east-1 (IAM is global), from a day before
 * `--since`; the failures it finds then name the change that explains them. Against the fake
 * `LookupEvents` and a virtual clock, as backfill's own tests run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfillCommand } from '../../../src/cli/commands/backfill.js';
import { CHANGE_EVENT_NAMES } from '../../../src/domain/changes/change-types.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { type FakeEvent, fakeLookupEvents } from '../../helpers/fake-lookup-events.js';
import {
  ALICE,
  createRoleRecord,
  type IamRecord,
  updateTrustPolicyRecord,
} from '../../helpers/iam-change-records.js';
import { githubProvider, githubTrustPolicy, role } from '../../helpers/iam-view.js';
import { VirtualClock } from '../../helpers/virtual-clock.js';

/** fakeIo's now. */
const NOW = Date.parse('2026-11-27T15:00:00Z');
const MAIN = 'repo:acme/api:ref:refs/heads/main';
const RELEASE = 'repo:acme/api:ref:refs/heads/release';
const OLD_POLICY = githubTrustPolicy([MAIN, RELEASE]);
const NEW_POLICY = githubTrustPolicy([RELEASE]);

let dir = '';
let snapshot = '';

function event(region: string, record: IamRecord): FakeEvent {
  return {
    region,
    eventId: String(record.eventID),
    eventName: String(record.eventName),
    eventTimeMs: Date.parse(String(record.eventTime)),
    cloudTrailEvent: JSON.stringify(record),
  };
}

const EVENTS: FakeEvent[] = [
  // Created before the backfill window (--since 1d), within the day of changes read before it.
  event('us-east-1', createRoleRecord('deploy', OLD_POLICY, { time: '2026-11-26T06:00:00Z' })),
  event(
    'us-east-1',
    updateTrustPolicyRecord('deploy', NEW_POLICY, { time: '2026-11-27T13:00:00Z', eventId: 'c-1' })
  ),
  event(
    'us-east-1',
    updateTrustPolicyRecord('deploy', OLD_POLICY, {
      time: '2026-11-27T13:30:00Z',
      errorCode: 'MalformedPolicyDocument',
    })
  ),
  ...[0, 1, 2].map((i) =>
    event(
      'eu-west-1',
      failedWebIdentityRecord({
        sub: MAIN,
        role: 'deploy',
        region: 'eu-west-1',
        eventId: `f-${i}`,
        time: `2026-11-27T13:0${5 + i}:00Z`,
      })
    )
  ),
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-backfill-changes-'));
  snapshot = join(dir, 'iam-snapshot.json');
  await writeFile(
    snapshot,
    JSON.stringify({
      accounts: {
        '111122223333': { roles: [role('deploy', NEW_POLICY)], oidcProviders: [githubProvider()] },
      },
    })
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function setup() {
  const clock = new VirtualClock(NOW);
  const fake = fakeLookupEvents(EVENTS, { clock });
  const backfill = createBackfillCommand({
    clock,
    random: () => 0.5,
    signal: new AbortController().signal,
    cloudTrailClientFor: (region) => fake.clientFor(region),
    cloudWatchClientFor: () => {
      throw new Error('CloudWatch must not be called');
    },
  });
  return { fake, backfill, io: fakeIo() };
}

function jsonLines(out: string): Diagnosis[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Diagnosis);
}

const ARGS = ['--since', '1d', '--region', 'eu-west-1', '--json', '--no-chained'];

describe('oidcwatch backfill: IAM configuration changes', () => {
  it('looks up each of the eight IAM calls in us-east-1 from a day before --since', async () => {
    // Prepare
    const { backfill, io, fake } = setup();

    // Act
    const code = await backfill([...ARGS, '--iam-snapshot', snapshot], io);

    // Assess
    expect(code, io.err()).toBe(0);
    const iam = fake.requests.filter((r) => r.region === 'us-east-1');
    expect(iam.map((r) => r.eventName)).toEqual([...CHANGE_EVENT_NAMES]);
    for (const r of iam) {
      expect(r.start?.toISOString()).toBe('2026-11-25T15:00:00.000Z');
      expect(r.end?.toISOString()).toBe('2026-11-27T15:00:00.000Z');
    }
    expect(io.err()).toContain('2 IAM configuration change(s) read (us-east-1)');
  });

  it('names the change behind each failure, its author and the value it removed', async () => {
    // Prepare
    const { backfill, io } = setup();

    // Act
    await backfill([...ARGS, '--iam-snapshot', snapshot, '--no-progress'], io);

    // Assess
    const results = jsonLines(io.out());
    expect(results.map((d) => d.eventId)).toEqual(['f-0', 'f-1', 'f-2']);
    for (const d of results) {
      expect(d.cause).toBe('SUB_MISMATCH');
      expect(d.change).toMatchObject({
        eventId: 'c-1',
        by: ALICE,
        verdict: 'explains',
        removed: [MAIN],
      });
    }
    expect(results.map((d) => d.change?.minutesBefore)).toEqual([5, 6, 7]);
  });

  it('reads no IAM change with --no-changes', async () => {
    // Prepare
    const { backfill, io, fake } = setup();

    // Act
    await backfill([...ARGS, '--iam-snapshot', snapshot, '--no-changes'], io);

    // Assess
    expect(fake.requests.filter((r) => r.region === 'us-east-1')).toEqual([]);
    expect(jsonLines(io.out()).every((d) => d.change === undefined)).toBe(true);
  });
});
