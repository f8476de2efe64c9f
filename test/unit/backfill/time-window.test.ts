/**
 * The window of `backfill`: durations and ISO times, the 90-day clamp, and usage errors that name
 * the option; and the progress arithmetic (share of the window read, durations).
 */
import { describe, expect, it } from 'vitest';
import { formatDuration, windowShareRead } from '../../../src/cli/backfill/progress.js';
import { parseTimeOption, resolveTimeWindow } from '../../../src/cli/backfill/time-window.js';
import { OidcwatchError } from '../../../src/domain/errors.js';

const NOW = new Date('2026-11-27T15:00:00Z');

describe('parseTimeOption', () => {
  it.each([
    ['30m', '2026-11-27T14:30:00.000Z'],
    ['90min', '2026-11-27T13:30:00.000Z'],
    ['12h', '2026-11-27T03:00:00.000Z'],
    ['7d', '2026-11-20T15:00:00.000Z'],
    ['2w', '2026-11-13T15:00:00.000Z'],
    ['2026-11-20', '2026-11-20T00:00:00.000Z'],
    ['2026-11-20T08:00', '2026-11-20T08:00:00.000Z'],
    ['2026-11-20T08:00Z', '2026-11-20T08:00:00.000Z'],
    ['2026-11-20 08:00:30', '2026-11-20T08:00:30.000Z'],
    ['2026-11-20T10:00:00+02:00', '2026-11-20T08:00:00.000Z'],
  ])('reads %s', (value, expected) => {
    // Prepare
    const option = 'since';

    // Act
    const at = parseTimeOption(option, value, NOW);

    // Assess
    expect(at.toISOString()).toBe(expected);
  });

  it.each(['banana', '7', '7 days', '-7d', '2026-13-45', ''])(
    'refuses %j with a usage error naming the option',
    (value) => {
      // Prepare
      const option = 'until';

      // Act
      const error = (() => {
        try {
          parseTimeOption(option, value, NOW);
          return null;
        } catch (e) {
          return e as OidcwatchError;
        }
      })();

      // Assess
      expect(error).toBeInstanceOf(OidcwatchError);
      expect(error?.code).toBe('ERR_USAGE');
      expect(error?.message).toBe(
        `backfill: --until ${JSON.stringify(value)} is neither a duration back from now (30m, 12h, 7d, 2w) nor an ISO 8601 time (2026-11-20 or 2026-11-20T08:00Z)`
      );
    }
  );
});

describe('resolveTimeWindow', () => {
  it('ends now by default', () => {
    // Prepare
    const since = '7d';

    // Act
    const window = resolveTimeWindow(since, undefined, NOW);

    // Assess
    expect(window).toEqual({
      start: new Date('2026-11-20T15:00:00Z'),
      end: NOW,
      clampedFrom: null,
    });
  });

  it('moves a start beyond 90 days to the limit and an end in the future to now', () => {
    // Prepare
    const since = '2026-01-01';

    // Act
    const window = resolveTimeWindow(since, '2027-01-01', NOW);

    // Assess
    expect(window).toEqual({
      start: new Date('2026-08-29T15:00:00Z'),
      end: NOW,
      clampedFrom: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('refuses a window that ends before it starts', () => {
    // Prepare
    const since = '1d';

    // Act
    const act = () => resolveTimeWindow(since, '2d', NOW);

    // Assess
    expect(act).toThrow(
      'backfill: --until (2026-11-25 15:00:00Z) must come after --since (2026-11-26 15:00:00Z)'
    );
  });
});

describe('progress arithmetic', () => {
  it('averages the share of the window each lookup has read', () => {
    // Prepare
    const start = new Date('2026-11-20T15:00:00Z');
    const end = new Date('2026-11-27T15:00:00Z');
    const quarter = end.getTime() - (end.getTime() - start.getTime()) / 4;

    // Act
    const share = windowShareRead({
      start,
      end,
      streams: [
        {
          region: 'us-east-1',
          eventName: 'AssumeRoleWithWebIdentity',
          state: 'done',
          oldestMs: null,
        },
        { region: 'us-east-1', eventName: 'AssumeRole', state: 'running', oldestMs: quarter },
        {
          region: 'eu-west-1',
          eventName: 'AssumeRoleWithWebIdentity',
          state: 'pending',
          oldestMs: null,
        },
        { region: 'eu-west-1', eventName: 'AssumeRole', state: 'pending', oldestMs: null },
      ],
    });

    // Assess
    expect(share).toBeCloseTo((1 + 0.25) / 4);
  });

  it.each([
    [0, '0s'],
    [59.4, '59s'],
    [95, '1m 35s'],
    [7300, '2h 01m'],
  ])('writes %d s as %s', (seconds, text) => {
    // Prepare
    const s = seconds;

    // Act
    const out = formatDuration(s);

    // Assess
    expect(out).toBe(text);
  });
});
