/**
 * `oidcwatch backfill` through its command module, against a fake `LookupEvents` (pages of 50,
 * injected throttling, the real quota enforced) and a virtual clock: 10,000 events read within
 * 2 requests per second per Region, with progress, giving what `classify` gives on the same
 * records; Ctrl-C (an aborted signal) keeps what was found; unreadable `CloudTrailEvent` strings
 * are counted; bad arguments exit 1; AWS failures exit 2.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessDeniedException } from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackfillCommand } from '../../../src/cli/commands/backfill.js';
import { run as classify } from '../../../src/cli/commands/classify.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import {
  type EventKind,
  type GeneratedEvent,
  generateHistory,
  type HistoryTemplates,
  loadTemplates,
} from '../../helpers/backfill-history.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { fakeLookupEvents, maxRequestsPerSecond } from '../../helpers/fake-lookup-events.js';
import { VirtualClock } from '../../helpers/virtual-clock.js';

const SNAPSHOT = 'examples/iam-snapshot.json';
/** fakeIo's now. */
const NOW = Date.parse('2026-11-27T15:00:00Z');
const DAY = 86_400_000;

let templates: HistoryTemplates;
let dir = '';

beforeAll(async () => {
  templates = await loadTemplates();
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-backfill-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function history(
  regions: string[],
  counts: Partial<Record<EventKind, number>>,
  days = 7,
  phase?: { phase: number; phases: number }
) {
  return generateHistory(templates, {
    regions,
    counts,
    startMs: NOW - days * DAY + 3_600_000,
    endMs: NOW - 60_000,
    ...phase,
  });
}

function setup(
  events: readonly GeneratedEvent[],
  opts: { throttleEvery?: number; tty?: boolean } = {}
) {
  const clock = new VirtualClock(NOW);
  const fake = fakeLookupEvents(events, { clock, throttleEvery: opts.throttleEvery ?? 0 });
  const controller = new AbortController();
  const backfill = createBackfillCommand({
    clock,
    random: () => 0.5,
    signal: controller.signal,
    cloudTrailClientFor: (region) => fake.clientFor(region),
    cloudWatchClientFor: () => {
      throw new Error('CloudWatch must not be called');
    },
  });
  const io = fakeIo({ isTTY: opts.tty === true });
  return { clock, fake, controller, backfill, io };
}

function jsonLines(out: string): Diagnosis[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Diagnosis);
}

/** `classify --json` on the records of `events`, oldest first. */
async function classifyRecords(events: readonly GeneratedEvent[]): Promise<Diagnosis[]> {
  const file = join(dir, `classify-${events.length}-${Math.random().toString(36).slice(2)}.jsonl`);
  const sorted = [...events].sort((a, b) => a.eventTimeMs - b.eventTimeMs);
  await writeFile(file, sorted.map((e) => `${JSON.stringify(e.record)}\n`).join(''));
  const io = fakeIo();
  const code = await classify([file, '--iam-snapshot', SNAPSHOT, '--json'], io);
  expect(code).toBe(0);
  return jsonLines(io.out());
}

const essentials = (d: Diagnosis) => [
  d.eventId,
  d.eventTime,
  d.account,
  d.region,
  d.roleArn,
  d.repository,
  d.cause,
  d.detail,
];

describe('oidcwatch backfill: 10,000 events', () => {
  it('reads 10,000 events within 2 requests per second per Region, shows progress, and gives what classify gives', async () => {
    // Prepare
    const east = history(
      ['us-east-1'],
      { failure: 6_300, success: 650, malformed: 50, chained: 40, foreign: 160 },
      7,
      { phase: 0, phases: 2 }
    );
    const west = history(['eu-west-1'], { failure: 2_680, success: 300, malformed: 20 }, 7, {
      phase: 1,
      phases: 2,
    });
    const events = [...east, ...west];
    expect(events.filter((e) => e.eventName === 'AssumeRoleWithWebIdentity')).toHaveLength(10_000);
    const { backfill, io, fake, clock } = setup(events, { throttleEvery: 25 });

    // Act
    const code = await backfill(
      [
        '--since',
        '7d',
        '--region',
        'us-east-1,eu-west-1',
        '--iam-snapshot',
        SNAPSHOT,
        '--json',
        '--no-changes',
      ],
      io
    );

    // Assess
    expect(code, io.err()).toBe(0);
    for (const region of ['us-east-1', 'eu-west-1']) {
      const times = fake.requests.filter((r) => r.region === region).map((r) => r.at);
      expect(maxRequestsPerSecond(times)).toBeLessThanOrEqual(2);
      const seconds = ((times.at(-1) as number) - (times[0] as number)) / 1000;
      expect((times.length - 1) / seconds).toBeLessThanOrEqual(2);
    }
    expect(fake.violations()).toBe(0);
    expect(fake.requests.filter((r) => r.throttled).length).toBeGreaterThan(0);
    const eastPages = Math.ceil(7_000 / 50) + Math.ceil(200 / 50);
    const eastRequests = fake.requests.filter((r) => r.region === 'us-east-1');
    expect(eastRequests.filter((r) => !r.throttled)).toHaveLength(eastPages);
    expect(clock.now() - NOW).toBeGreaterThanOrEqual((eastRequests.length - 1) * 500);

    const results = jsonLines(io.out());
    const wanted = events.filter((e) => e.kind === 'failure' || e.kind === 'chained');
    const expected = await classifyRecords(wanted);
    const readable = results.filter((d) => d.cause !== 'MALFORMED_EVENT');
    expect(readable.map(essentials)).toEqual(expected.map(essentials));
    expect(new Set(readable.map((d) => d.cause)).size).toBeGreaterThan(15);
    const malformed = results.filter((d) => d.cause === 'MALFORMED_EVENT');
    expect(malformed.map((d) => d.eventId).sort()).toEqual(
      events
        .filter((e) => e.kind === 'malformed')
        .map((e) => e.eventId)
        .sort()
    );

    const progress = io
      .err()
      .split('\n')
      .filter((l) =>
        / of the window · .* pages · .* events scanned · .* failures · .* events\/s · .*ETA /.test(
          l
        )
      );
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.length).toBeLessThanOrEqual((clock.now() - NOW) / 10_000 + 1);
    expect(io.err()).toMatch(
      /read 2\d\d pages, 10,200 events in 1m \d\ds \(2 Regions, \d\.\d requests\/s in all, \d+ throttled and retried\)/
    );
    expect(io.err()).toContain(
      '9,090 results: 9,020 failures, 70 malformed; 1,030 successful calls left out (--all keeps them); ' +
        '80 AssumeRole calls not made by a web-identity session'
    );
  });
});

describe('oidcwatch backfill: output', () => {
  it('prints text entries and the per-repository summary as classify does', async () => {
    // Prepare
    const events = history(['us-east-1'], { failure: 120, malformed: 3 }, 1);
    const { backfill, io } = setup(events);
    const file = join(dir, 'text.jsonl');
    await writeFile(
      file,
      [...events]
        .sort((a, b) => a.eventTimeMs - b.eventTimeMs)
        .map((e) => (e.record === null ? e.cloudTrailEvent : JSON.stringify(e.record)))
        .join('\n')
    );
    const classifyIo = fakeIo();

    // Act
    const code = await backfill(
      ['--since', '1d', '--region', 'us-east-1', '--iam-snapshot', SNAPSHOT, '--no-progress'],
      io
    );
    await classify([file, '--iam-snapshot', SNAPSHOT], classifyIo);

    // Assess
    expect(code).toBe(0);
    const summary = (out: string) => out.slice(out.indexOf('\nSummary\n'));
    expect(summary(io.out())).toContain('123 records: 120 failures');
    expect(summary(io.out())).toContain('3 malformed');
    expect(summary(io.out())).toEqual(summary(classifyIo.out()));
    expect(io.out()).toContain('MALFORMED_EVENT');
    expect(io.out()).toContain('CloudTrailEvent is not JSON');
    expect(io.err()).toBe('');
  });

  it('draws a progress bar with the ETA on a terminal and clears it at the end', async () => {
    // Prepare
    const events = history(['us-east-1'], { failure: 1_000 });
    const { backfill, io } = setup(events, { tty: true });

    // Act
    const code = await backfill(
      [
        '--since',
        '7d',
        '--region',
        'us-east-1',
        '--iam-snapshot',
        SNAPSHOT,
        '--json',
        '--no-chained',
        '--no-changes',
      ],
      io
    );

    // Assess
    expect(code).toBe(0);
    const frames = io
      .err()
      .split('\r\u001b[2K')
      .filter((f) => f.startsWith('backfill ['));
    expect(frames.length).toBeGreaterThanOrEqual(10);
    expect(frames[0]).toMatch(
      /^backfill \[█░{19}\] 5% of the window · 1 page · 50 events scanned · 50 failures · .* ETA …$/
    );
    expect(frames[1]).toMatch(
      /^backfill \[█{2}░{18}\] 10% of the window · 2 pages · 100 events scanned · 100 failures · 100\.0 events\/s · ETA 9s$/
    );
    expect(frames.at(-1)).toMatch(
      /^backfill \[█{20}\] 99% of the window · 20 pages · 1,000 events scanned .* ETA 0s$/
    );
    expect(io.err()).toContain(
      '\r\u001b[2Koidcwatch backfill: read 20 pages, 1,000 events in 10s (2.0 requests/s)'
    );
  });

  it('keeps successful calls with --all and leaves out AssumeRole calls of other principals', async () => {
    // Prepare
    const events = history(['us-east-1'], { failure: 30, success: 20, chained: 5, foreign: 15 }, 1);
    const { backfill, io } = setup(events);

    // Act
    const code = await backfill(
      ['--since', '1d', '--region', 'us-east-1', '--iam-snapshot', SNAPSHOT, '--json', '--all'],
      io
    );

    // Assess
    expect(code).toBe(0);
    const results = jsonLines(io.out());
    expect(results.filter((d) => d.cause === 'SUCCESS')).toHaveLength(20);
    expect(results.filter((d) => d.eventName === 'AssumeRole').map((d) => d.cause)).toEqual(
      Array(5).fill('MISSING_TAG_SESSION')
    );
    expect(results).toHaveLength(55);
    expect(io.err()).toContain('15 AssumeRole calls not made by a web-identity session');
  });

  it('makes no AssumeRole lookup with --no-chained', async () => {
    // Prepare
    const events = history(['us-east-1'], { failure: 10, chained: 5 }, 1);
    const { backfill, io, fake } = setup(events);

    // Act
    await backfill(
      [
        '--since',
        '1d',
        '--region',
        'us-east-1',
        '--iam-snapshot',
        SNAPSHOT,
        '--json',
        '--no-chained',
        '--no-changes',
      ],
      io
    );

    // Assess
    expect(new Set(fake.requests.map((r) => r.eventName))).toEqual(
      new Set(['AssumeRoleWithWebIdentity'])
    );
    expect(jsonLines(io.out())).toHaveLength(10);
  });

  it('reads at most the last 90 days and says so', async () => {
    // Prepare
    const { backfill, io, fake } = setup([]);

    // Act
    const code = await backfill(
      [
        '--since',
        '120d',
        '--until',
        '2026-11-27T12:00Z',
        '--region',
        'us-east-1',
        '--iam-snapshot',
        SNAPSHOT,
      ],
      io
    );

    // Assess
    expect(code).toBe(0);
    expect(io.err()).toContain(
      "lies beyond the 90 days of CloudTrail's event history; reading from 2026-08-29 15:00:00Z"
    );
    expect(fake.requests[0]?.start?.toISOString()).toBe('2026-08-29T15:00:00.000Z');
    expect(fake.requests[0]?.end?.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    expect(io.out()).toContain('No failed role assumptions.');
  });
});

describe('oidcwatch backfill: Ctrl-C', () => {
  it('stops fetching, prints what was found and exits 130 without publishing metrics', async () => {
    // Prepare
    const events = history(['us-east-1'], { failure: 2_000 });
    const { io, fake, controller, clock } = setup(events);
    const abortAt = 10;
    const original = fake.clientFor;
    const clientFor = (region: string) => {
      const client = original(region);
      return {
        send: async (...args: Parameters<typeof client.send>) => {
          const answer = await client.send(...args);
          if (fake.requests.length === abortAt) controller.abort(new Error('SIGINT'));
          return answer;
        },
      };
    };
    const interrupted = createBackfillCommand({
      clock,
      signal: controller.signal,
      cloudTrailClientFor: clientFor,
      cloudWatchClientFor: () => {
        throw new Error('CloudWatch must not be called');
      },
    });

    // Act
    const code = await interrupted(
      [
        '--since',
        '7d',
        '--region',
        'us-east-1',
        '--iam-snapshot',
        SNAPSHOT,
        '--json',
        '--put-metrics',
        '--no-changes',
      ],
      io
    );

    // Assess
    expect(code, io.err()).toBe(130);
    expect(fake.requests).toHaveLength(abortAt);
    const results = jsonLines(io.out());
    expect(results).toHaveLength(abortAt * 50);
    expect(results.every((d) => d.cause !== 'MALFORMED_EVENT')).toBe(true);
    expect(io.err()).toMatch(/interrupted after reading 10 pages, 500 events/);
    expect(io.err()).toMatch(
      /interrupted: the results cover \d+% of the window; metrics were not published/
    );
  });
});

describe('oidcwatch backfill: bad arguments', () => {
  it.each([
    [['--since', 'banana', '--region', 'us-east-1'], '--since "banana" is neither a duration'],
    [['--region', 'us-east-1'], '--since is required'],
    [
      ['--since', '7d', '--region', 'mars-north-1x'],
      '--region "mars-north-1x" is not an AWS Region',
    ],
    [
      ['--since', '7d', '--until', '8d', '--region', 'us-east-1'],
      '--until (2026-11-19 15:00:00Z) must come after --since',
    ],
    [['--since', '7d', '--until', 'soon', '--region', 'us-east-1'], '--until "soon"'],
    [
      ['--since', '7d', '--region', 'us-east-1', '--namespace', 'X'],
      '--namespace applies only with --put-metrics',
    ],
    [
      ['--since', '7d', '--region', 'us-east-1', '--put-metrics', '--namespace', 'AWS/Lambda'],
      '--namespace "AWS/Lambda" is not a namespace of your own',
    ],
    [['--since', '7d', '--region', 'us-east-1', '--speed', 'fast'], 'unknown option --speed'],
    [
      ['--since', '7d', '--region', 'us-east-1', 'events.json'],
      'unexpected argument "events.json"',
    ],
    [['--since', '7d'], 'no Region: give --region'],
  ])('exits 1 for %j, naming the option', async (argv, message) => {
    // Prepare
    const { backfill, io, fake } = setup([]);

    // Act
    const code = await backfill(argv, io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain(message);
    expect(fake.requests).toHaveLength(0);
  });

  it('prints its help with exit 0', async () => {
    // Prepare
    const { backfill, io } = setup([]);

    // Act
    const code = await backfill(['--help'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain('usage: oidcwatch backfill --since WHEN');
    expect(io.out()).toContain('130 interrupted');
  });
});

describe('oidcwatch backfill: AWS failures', () => {
  it('exits 2 naming CloudTrail and the Region when the endpoint is unreachable', async () => {
    // Prepare
    const backfill = createBackfillCommand({ signal: new AbortController().signal });
    const io = fakeIo({
      env: {
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
    });

    // Act
    const code = await backfill(
      ['--since', '1d', '--region', 'eu-west-1', '--iam-snapshot', SNAPSHOT, '--no-changes'],
      io
    );

    // Assess
    expect(code).toBe(2);
    expect(io.err()).toMatch(
      /oidcwatch backfill: CloudTrail LookupEvents in eu-west-1 failed: .*ECONNREFUSED/
    );
    expect(io.out()).toBe('');
  });

  it('exits 2 saying CloudTrail is not permitted when access is denied', async () => {
    // Prepare
    const backfill = createBackfillCommand({
      clock: new VirtualClock(NOW),
      signal: new AbortController().signal,
      cloudTrailClientFor: () => ({
        send: async () => {
          throw new AccessDeniedException({
            message:
              'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: cloudtrail:LookupEvents',
            $metadata: { httpStatusCode: 400 },
          });
        },
      }),
    });
    const io = fakeIo();

    // Act
    const code = await backfill(
      ['--since', '1d', '--region', 'us-east-1', '--iam-snapshot', SNAPSHOT],
      io
    );

    // Assess
    expect(code).toBe(2);
    expect(io.err()).toContain(
      'oidcwatch backfill: CloudTrail LookupEvents in us-east-1 is not permitted: AccessDeniedException'
    );
  });

  it('exits 2 after backing off when CloudTrail keeps throttling, keeping what the other Region found', async () => {
    // Prepare
    const clock = new VirtualClock(NOW);
    const events = history(['us-east-1'], { failure: 200 }, 1);
    const fake = fakeLookupEvents(events, { clock });
    const backfill = createBackfillCommand({
      clock,
      random: () => 0,
      signal: new AbortController().signal,
      cloudTrailClientFor: (region) =>
        region === 'us-east-1'
          ? fake.clientFor(region)
          : {
              send: async () => {
                clock.advance(0);
                throw Object.assign(new Error('Rate exceeded'), {
                  name: 'ThrottlingException',
                  $metadata: { httpStatusCode: 400 },
                });
              },
            },
    });
    const io = fakeIo();

    // Act
    const code = await backfill(
      [
        '--since',
        '1d',
        '--region',
        'us-east-1,ap-south-1',
        '--iam-snapshot',
        SNAPSHOT,
        '--json',
        '--no-chained',
      ],
      io
    );

    // Assess
    expect(code).toBe(2);
    expect(io.err()).toContain(
      'oidcwatch backfill: CloudTrail LookupEvents in ap-south-1 (gave up after 8 attempts) failed: ThrottlingException'
    );
    expect(jsonLines(io.out()).length).toBeGreaterThan(0);
  });
});
