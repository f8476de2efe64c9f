import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRecord } from '../../../src/domain/input/read-record.js';

/** Records shaped like CloudTrail's, with arbitrary values in the fields the reader reads. */
const recordLike = fc.record(
  {
    eventID: fc.oneof(fc.uuid(), fc.jsonValue()),
    eventName: fc.oneof(fc.constantFrom('AssumeRoleWithWebIdentity', 'AssumeRole'), fc.jsonValue()),
    eventSource: fc.oneof(fc.constant('sts.amazonaws.com'), fc.jsonValue()),
    userIdentity: fc.oneof(
      fc.record(
        {
          type: fc.oneof(fc.constantFrom('WebIdentityUser', 'AssumedRole'), fc.jsonValue()),
          principalId: fc.oneof(fc.string(), fc.jsonValue()),
          userName: fc.oneof(fc.string(), fc.jsonValue()),
          identityProvider: fc.oneof(fc.string(), fc.jsonValue()),
          sessionContext: fc.jsonValue(),
        },
        { requiredKeys: [] }
      ),
      fc.jsonValue()
    ),
    requestParameters: fc.jsonValue(),
    responseElements: fc.jsonValue(),
    resources: fc.jsonValue(),
    errorMessage: fc.oneof(fc.string(), fc.jsonValue()),
  },
  { requiredKeys: [] }
);

const envelopeLike = fc.record(
  {
    'detail-type': fc.oneof(fc.constant('AWS API Call via CloudTrail'), fc.jsonValue()),
    detail: fc.oneof(recordLike, fc.jsonValue()),
    time: fc.jsonValue(),
  },
  { requiredKeys: [] }
);

describe('readRecord: properties', () => {
  it('never throws and returns exactly one outcome for any JSON value', () => {
    // Prepare
    const property = fc.property(fc.oneof(fc.jsonValue(), recordLike, envelopeLike), (value) => {
      // Act
      const outcome = readRecord(value);

      // Assess
      expect(Array.isArray(outcome)).toBe(false);
      expect(['call', 'ignored', 'malformed']).toContain(outcome.kind);
      if (outcome.kind !== 'call') expect(outcome.reason).not.toBe('');
    });

    // Act
    const run = () => fc.assert(property, { numRuns: 2000 });

    // Assess
    expect(run).not.toThrow();
  });

  it('never copies a token into a call', () => {
    // Prepare
    const token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOngveSJ9.c2ln';
    const property = fc.property(
      fc.string(),
      fc.string(),
      fc.constantFrom('userName', 'principalId', 'identityProvider'),
      (before, after, key) => {
        const record = {
          eventID: `${before}${token}`,
          eventName: 'AssumeRoleWithWebIdentity',
          eventSource: 'sts.amazonaws.com',
          userIdentity: { type: 'WebIdentityUser', [key]: `${before}${token}${after}` },
          requestParameters: { webIdentityToken: token, roleArn: token, roleSessionName: token },
          errorMessage: `${before}${token}${after}`,
          userAgent: token,
          awsRegion: token,
        };

        // Act
        const outcome = readRecord(record);

        // Assess
        expect(JSON.stringify(outcome)).not.toContain(token);
      }
    );

    // Act
    const run = () => fc.assert(property, { numRuns: 300 });

    // Assess
    expect(run).not.toThrow();
  });
});
