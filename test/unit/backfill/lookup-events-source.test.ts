/**
 * `LookupEventsSource` against a mocked `CloudTrailClient` (aws-sdk-client-mock) and a virtual
 * clock: the request it sends, paging by `NextToken`, the token bucket per Region, exponential
 * backoff with jitter on throttling, giving up, error mapping and aborting.
 */
import {
  AccessDeniedException,
  CloudTrailClient,
  LookupEventsCommand,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  LookupEventsSource,
} from '../../../src/adapters/cloudtrail/lookup-events-source.js';
import { TokenBucket } from '../../../src/adapters/cloudtrail/token-bucket.js';
import { OidcwatchError } from '../../../src/domain/errors.js';
import type {
  HistoryPage,
  HistoryQuery,
} from '../../../src/usecases/backfill/cloudtrail-history.js';
import { VirtualClock } from '../../helpers/virtual-clock.js';

const T0 = Date.parse('2026-11-27T15:00:00Z');
const QUERY: HistoryQuery = {
  region: 'us-east-1',
  eventName: 'AssumeRoleWithWebIdentity',
  start: new Date('2026-11-20T15:00:00Z'),
  end: new Date('2026-11-27T15:00:00Z'),
};

const cloudTrail = mockClient(CloudTrailClient);
afterEach(() => cloudTrail.reset());

function event(n: number) {
  return {
    EventId: `e${n}`,
    EventName: 'AssumeRoleWithWebIdentity',
    EventTime: new Date(T0 - n * 60_000),
    CloudTrailEvent: JSON.stringify({ eventID: `e${n}` }),
  };
}

function throttle() {
  return new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
}

async function collect(pages: AsyncIterable<HistoryPage>): Promise<HistoryPage[]> {
  const out: HistoryPage[] = [];
  for await (const p of pages) out.push(p);
  return out;
}

function source(
  clock: VirtualClock,
  times: { region: string; at: number }[] = [],
  random = () => 0.5
) {
  return new LookupEventsSource({
    clientFor: () => new CloudTrailClient({ region: 'us-east-1' }),
    clock,
    random,
    observer: { request: (region) => times.push({ region, at: clock.now() }) },
  });
}

describe('LookupEventsSource: requests and paging', () => {
  it('looks up one event name in the window, 50 per page, following NextToken to the end', async () => {
    // Prepare
    cloudTrail
      .on(LookupEventsCommand)
      .resolvesOnce({ Events: [event(1), event(2)], NextToken: 'p2' })
      .resolvesOnce({ Events: [event(3)], NextToken: '' });
    const clock = new VirtualClock(T0);

    // Act
    const pages = await collect(source(clock).pages(QUERY));

    // Assess
    const calls = cloudTrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([
      {
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' },
        ],
        StartTime: QUERY.start,
        EndTime: QUERY.end,
        MaxResults: 50,
      },
      {
        LookupAttributes: [
          { AttributeKey: 'EventName', AttributeValue: 'AssumeRoleWithWebIdentity' },
        ],
        StartTime: QUERY.start,
        EndTime: QUERY.end,
        MaxResults: 50,
        NextToken: 'p2',
      },
    ]);
    expect(pages.map((p) => p.events.map((e) => e.eventId))).toEqual([['e1', 'e2'], ['e3']]);
    expect(pages[0]?.events[0]).toEqual({
      eventId: 'e1',
      eventTimeMs: T0 - 60_000,
      cloudTrailEvent: '{"eventID":"e1"}',
    });
  });

  it('keeps an event without EventTime or CloudTrailEvent, with nulls', async () => {
    // Prepare
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [{ EventId: 'bare' }] });

    // Act
    const pages = await collect(source(new VirtualClock(T0)).pages(QUERY));

    // Assess
    expect(pages[0]?.events).toEqual([
      { eventId: 'bare', eventTimeMs: null, cloudTrailEvent: undefined },
    ]);
  });

  it('spaces the requests of one Region 500 ms apart, and Regions independently', async () => {
    // Prepare
    cloudTrail.on(LookupEventsCommand).callsFake((input: { NextToken?: string }) => {
      const page = input.NextToken === undefined ? 1 : Number(input.NextToken.slice(1)) + 1;
      return { Events: [event(page)], ...(page === 5 ? {} : { NextToken: `t${page}` }) };
    });
    const clock = new VirtualClock(T0);
    const times: { region: string; at: number }[] = [];
    const s = source(clock, times);

    // Act
    await Promise.all([
      collect(s.pages(QUERY)),
      collect(s.pages({ ...QUERY, region: 'eu-west-1' })),
    ]);

    // Assess
    for (const region of ['us-east-1', 'eu-west-1']) {
      const at = times.filter((t) => t.region === region).map((t) => t.at - T0);
      expect(at).toEqual([0, 500, 1000, 1500, 2000]);
    }
  });
});

describe('LookupEventsSource: throttling', () => {
  it('backs off exponentially with jitter on ThrottlingException, then goes on through the bucket', async () => {
    // Prepare
    cloudTrail
      .on(LookupEventsCommand)
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .rejectsOnce(throttle())
      .resolves({ Events: [event(1)] });
    const clock = new VirtualClock(T0);
    const times: { region: string; at: number }[] = [];
    const waits: number[] = [];
    const s = new LookupEventsSource({
      clientFor: () => new CloudTrailClient({ region: 'us-east-1' }),
      clock,
      random: () => 1,
      observer: {
        request: (region) => times.push({ region, at: clock.now() }),
        retry: (_r, waitMs) => waits.push(waitMs),
      },
    });

    // Act
    const pages = await collect(s.pages(QUERY));

    // Assess
    expect(pages).toHaveLength(1);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(times.map((t) => t.at - T0)).toEqual([0, 1000, 3000, 7000]);
  });

  it('draws the delay between half and all of the doubled ceiling, capped', () => {
    // Prepare
    const policy = DEFAULT_BACKOFF;

    // Act
    const low = [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 0));
    const high = [0, 1, 2, 3, 4, 5, 6].map((a) => backoffDelay(a, policy, () => 1));

    // Assess
    expect(low).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(high).toEqual([1000, 2000, 4000, 8000, 16_000, 20_000, 20_000]);
  });

  it('gives up after the last attempt with ERR_AWS_UNREACHABLE naming the Region', async () => {
    // Prepare
    cloudTrail.on(LookupEventsCommand).rejects(throttle());
    const clock = new VirtualClock(T0);

    // Act
    const error = await collect(source(clock).pages(QUERY)).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(OidcwatchError);
    expect((error as OidcwatchError).code).toBe('ERR_AWS_UNREACHABLE');
    expect((error as OidcwatchError).message).toBe(
      'CloudTrail LookupEvents in us-east-1 (gave up after 8 attempts) failed: ThrottlingException: Rate exceeded'
    );
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(8);
  });

  it('retries a server error (HTTP 5xx) like throttling', async () => {
    // Prepare
    cloudTrail
      .on(LookupEventsCommand)
      .rejectsOnce(
        Object.assign(new Error('We encountered an internal error'), {
          name: 'InternalFailure',
          $metadata: { httpStatusCode: 500 },
        })
      )
      .resolves({ Events: [event(1)] });

    // Act
    const pages = await collect(source(new VirtualClock(T0)).pages(QUERY));

    // Assess
    expect(pages).toHaveLength(1);
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(2);
  });
});

describe('LookupEventsSource: failures and aborting', () => {
  it('maps AccessDenied to ERR_AWS_DENIED at once, without retrying', async () => {
    // Prepare
    cloudTrail.on(LookupEventsCommand).rejects(
      new AccessDeniedException({
        message: 'not authorized to perform: cloudtrail:LookupEvents',
        $metadata: {},
      })
    );

    // Act
    const error = (await collect(source(new VirtualClock(T0)).pages(QUERY)).catch(
      (e: unknown) => e
    )) as OidcwatchError;

    // Assess
    expect(error.code).toBe('ERR_AWS_DENIED');
    expect(error.message).toBe(
      'CloudTrail LookupEvents in us-east-1 is not permitted: AccessDeniedException: not authorized to perform: cloudtrail:LookupEvents'
    );
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(1);
  });

  it('stops while waiting for a token when the signal aborts, with its reason', async () => {
    // Prepare
    cloudTrail.on(LookupEventsCommand).resolves({ Events: [event(1)], NextToken: 'more' });
    const controller = new AbortController();
    const s = source(new VirtualClock(T0));
    const seen: HistoryPage[] = [];

    // Act
    const error = await (async () => {
      for await (const page of s.pages(QUERY, controller.signal)) {
        seen.push(page);
        if (seen.length === 3) controller.abort(new Error('SIGINT'));
      }
    })().catch((e: unknown) => e);

    // Assess
    expect((error as Error).message).toBe('SIGINT');
    expect(seen).toHaveLength(3);
    expect(cloudTrail.commandCalls(LookupEventsCommand)).toHaveLength(3);
  });
});

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through at once, then one per interval', async () => {
    // Prepare
    const clock = new VirtualClock(T0);
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 3, clock });
    const at: number[] = [];

    // Act
    for (let i = 0; i < 6; i++) {
      await bucket.take();
      at.push(clock.now() - T0);
    }

    // Assess
    expect(at).toEqual([0, 0, 0, 500, 1000, 1500]);
  });

  it('gives concurrent takers successive slots', async () => {
    // Prepare
    const clock = new VirtualClock(T0);
    const bucket = new TokenBucket({ clock });
    const at: number[] = [];

    // Act
    await Promise.all([0, 1, 2, 3].map(() => bucket.take().then(() => at.push(clock.now() - T0))));

    // Assess
    expect(at).toEqual([0, 500, 1000, 1500]);
  });

  it('refills while idle, up to its capacity only', async () => {
    // Prepare
    const clock = new VirtualClock(T0);
    const bucket = new TokenBucket({ ratePerSecond: 2, capacity: 2, clock });
    await bucket.take();
    await bucket.take();
    clock.advance(10_000);
    const at: number[] = [];

    // Act
    for (let i = 0; i < 3; i++) {
      await bucket.take();
      at.push(clock.now() - T0);
    }

    // Assess
    expect(at).toEqual([10_000, 10_000, 10_500]);
  });

  it('refuses a rate or capacity it cannot honour', () => {
    // Prepare
    const clock = new VirtualClock(T0);

    // Act
    const make = (ratePerSecond: number, capacity: number) => () =>
      new TokenBucket({ ratePerSecond, capacity, clock });

    // Assess
    expect(make(0, 1)).toThrow(RangeError);
    expect(make(2, 0)).toThrow(RangeError);
  });
});
