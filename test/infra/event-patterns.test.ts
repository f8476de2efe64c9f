import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toEventPattern } from '../../infra/lib/event-patterns.js';
import {
  CHAINED_ASSUME_ROLE_FAILURE_PATTERN,
  WEB_IDENTITY_FAILURE_PATTERN,
} from '../../src/domain/event-pattern.js';
import { matchesEventPattern } from './helpers/event-pattern-matcher.js';

type Json = Record<string, unknown>;

function fixture(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../fixtures/cloudtrail/${name}`, import.meta.url), 'utf8')
  ) as Json;
}

/** The envelope EventBridge delivers a CloudTrail record in (reference §3.1). */
function envelope(record: Json): Json {
  return {
    version: '0',
    id: '6f2c1d2e-0000-4000-8000-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).split('.')[0]}`,
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

describe('WEB_IDENTITY_FAILURE_PATTERN', () => {
  it('matches a denied AssumeRoleWithWebIdentity from GitHub', () => {
    // Prepare
    const event = envelope(fixture('rr-github-denied-branch.json'));

    // Act
    const matched = matchesEventPattern(WEB_IDENTITY_FAILURE_PATTERN, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('matches a delivered envelope whose record names no role', () => {
    // Prepare
    const event = fixture('rr-github-denied-no-role.eventbridge.json');

    // Act
    const matched = matchesEventPattern(WEB_IDENTITY_FAILURE_PATTERN, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('matches failures of other identity providers too (classified in code)', () => {
    // Prepare
    const events = ['rr-eks-irsa-denied.json', 'rr-google-bare-issuer.json'].map((f) =>
      envelope(fixture(f))
    );

    // Act
    const matched = events.map((e) => matchesEventPattern(WEB_IDENTITY_FAILURE_PATTERN, e));

    // Assess
    expect(matched).toEqual([true, true]);
  });

  it('does not match a successful call', () => {
    // Prepare
    const event = envelope(fixture('rr-github-success.json'));

    // Act
    const matched = matchesEventPattern(WEB_IDENTITY_FAILURE_PATTERN, event);

    // Assess
    expect(matched).toBe(false);
  });

  it('does not match other services or other STS calls', () => {
    // Prepare
    const events = [
      fixture('rr-s3-put-object.eventbridge.json'),
      envelope(fixture('rr-chained-tagsession-denied.json')),
    ];

    // Act
    const matched = events.map((e) => matchesEventPattern(WEB_IDENTITY_FAILURE_PATTERN, e));

    // Assess
    expect(matched).toEqual([false, false]);
  });
});

describe('CHAINED_ASSUME_ROLE_FAILURE_PATTERN', () => {
  it('matches a denied AssumeRole by a web-identity session (sts:TagSession)', () => {
    // Prepare
    const event = envelope(fixture('rr-chained-tagsession-denied.json'));

    // Act
    const matched = matchesEventPattern(CHAINED_ASSUME_ROLE_FAILURE_PATTERN, event);

    // Assess
    expect(matched).toBe(true);
  });

  it('does not match a denied AssumeRole by a user (no web-identity federation)', () => {
    // Prepare
    const record = { ...fixture('rr-assume-role-by-user.json'), errorCode: 'AccessDenied' };
    const event = envelope(record);

    // Act
    const matched = matchesEventPattern(CHAINED_ASSUME_ROLE_FAILURE_PATTERN, event);

    // Assess
    expect(matched).toBe(false);
  });

  it('does not match a successful chained AssumeRole', () => {
    // Prepare
    const record = structuredClone(fixture('rr-chained-tagsession-denied.json'));
    delete record.errorCode;
    delete record.errorMessage;

    // Act
    const matched = matchesEventPattern(CHAINED_ASSUME_ROLE_FAILURE_PATTERN, envelope(record));

    // Assess
    expect(matched).toBe(false);
  });

  it('does not match AssumeRoleWithWebIdentity failures', () => {
    // Prepare
    const event = envelope(fixture('rr-github-denied-branch.json'));

    // Act
    const matched = matchesEventPattern(CHAINED_ASSUME_ROLE_FAILURE_PATTERN, event);

    // Assess
    expect(matched).toBe(false);
  });
});

describe('toEventPattern', () => {
  it('renames detail-type and copies the pattern without touching the original', () => {
    // Prepare
    const before = JSON.stringify(CHAINED_ASSUME_ROLE_FAILURE_PATTERN);

    // Act
    const pattern = toEventPattern(CHAINED_ASSUME_ROLE_FAILURE_PATTERN);

    // Assess
    expect(pattern).toEqual({
      source: ['aws.sts'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: CHAINED_ASSUME_ROLE_FAILURE_PATTERN.detail,
    });
    expect(pattern.detail).not.toBe(CHAINED_ASSUME_ROLE_FAILURE_PATTERN.detail);
    expect(JSON.stringify(CHAINED_ASSUME_ROLE_FAILURE_PATTERN)).toBe(before);
  });
});
