/**
 * The SNS filter policy evaluator against AWS's documented examples (the SNS developer guide's
 * pages on key matching, string and numeric matching, AND/OR logic and filter policy scope), and
 * against the messages that really reach oidcwatch's topics.
 */
import { describe, expect, it } from 'vitest';
import { alarmNotificationSample, pageSamples } from '../../infra/nag/sample-messages.js';
import {
  FilterPolicyError,
  matchesFilterPolicy,
  type SnsMessageSample,
} from '../../infra/nag/sns-filter-policy.js';

/** The attributes of the SNS guide's examples. */
const WITH_STORE: SnsMessageSample = {
  body: '',
  attributes: {
    store: { Type: 'String', Value: 'fans' },
    customer_interests: { Type: 'String.Array', Value: '["baseball", "basketball"]' },
    price_usd: { Type: 'Number', Value: '20.99' },
  },
};
const WITHOUT_STORE: SnsMessageSample = {
  body: '',
  attributes: {
    customer_interests: { Type: 'String.Array', Value: '["baseball", "basketball"]' },
  },
};
const NO_ATTRIBUTES: SnsMessageSample = { body: '{"store":"fans"}', attributes: {} };

function attributes(policy: unknown, message: SnsMessageSample): boolean {
  return matchesFilterPolicy(policy, 'MessageAttributes', message).matches;
}

function body(policy: unknown, json: unknown): boolean {
  return matchesFilterPolicy(policy, 'MessageBody', { body: JSON.stringify(json), attributes: {} })
    .matches;
}

describe('SNS filter policy: key matching (exists)', () => {
  it('matches "exists": true only when the attribute is present', () => {
    // Prepare
    const policy = { store: [{ exists: true }] };

    // Act
    const results = [attributes(policy, WITH_STORE), attributes(policy, WITHOUT_STORE)];

    // Assess
    expect(results).toEqual([true, false]);
  });

  it('matches "exists": false only when other attributes are present, never on an empty set', () => {
    // Prepare
    const policy = { store: [{ exists: false }] };

    // Act
    const results = [
      attributes(policy, WITH_STORE),
      attributes(policy, WITHOUT_STORE),
      attributes(policy, NO_ATTRIBUTES),
    ];

    // Assess
    expect(results).toEqual([false, true, false]);
  });

  it('applies "exists" to body properties in the MessageBody scope', () => {
    // Prepare
    const policy = { store: [{ exists: false }] };

    // Act
    const results = [
      body(policy, { customer_interests: ['baseball'] }),
      body(policy, { store: 'fans' }),
    ];

    // Assess
    expect(results).toEqual([true, false]);
  });
});

describe('SNS filter policy: string and numeric matching', () => {
  it('matches exact values, prefixes and suffixes, any element of a String.Array', () => {
    // Prepare
    const message = WITH_STORE;

    // Act
    const results = [
      attributes({ customer_interests: ['rugby', 'basketball'] }, message),
      attributes({ customer_interests: [{ prefix: 'bas' }] }, message),
      attributes({ store: [{ suffix: 'ns' }] }, message),
      attributes({ store: [{ 'equals-ignore-case': 'FANS' }] }, message),
      attributes({ customer_interests: ['rugby'] }, message),
    ];

    // Assess
    expect(results).toEqual([true, true, true, true, false]);
  });

  it('matches anything-but on values and on a prefix, and never an absent key', () => {
    // Prepare
    const message = WITH_STORE;

    // Act
    const results = [
      attributes({ store: [{ 'anything-but': ['fans', 'players'] }] }, message),
      attributes({ store: [{ 'anything-but': 'players' }] }, message),
      attributes({ store: [{ 'anything-but': { prefix: 'fa' } }] }, message),
      attributes({ missing: [{ 'anything-but': 'x' }] }, message),
    ];

    // Assess
    expect(results).toEqual([false, true, false, false]);
  });

  it('matches numbers exactly and by range', () => {
    // Prepare
    const message = WITH_STORE;

    // Act
    const results = [
      attributes({ price_usd: [{ numeric: ['>=', 0, '<', 100] }] }, message),
      attributes({ price_usd: [{ numeric: ['>', 100] }] }, message),
      attributes({ price_usd: [20.99] }, message),
    ];

    // Assess
    expect(results).toEqual([true, false, true]);
  });
});

describe('SNS filter policy: AND, OR, nesting and scope', () => {
  it('needs every key (AND), any value of a key (OR), and one "$or" branch', () => {
    // Prepare
    const json = { source: 'aws.cloudwatch', metricName: 'CPUUtilization', namespace: 'AWS/EC2' };

    // Act
    const results = [
      body({ source: ['aws.cloudwatch'], metricName: ['CPUUtilization', 'ReadLatency'] }, json),
      body({ source: ['aws.cloudwatch'], metricName: ['ReadLatency'] }, json),
      body(
        { source: ['aws.cloudwatch'], $or: [{ metricName: ['x'] }, { namespace: ['AWS/EC2'] }] },
        json
      ),
      body(
        { source: ['aws.cloudwatch'], $or: [{ metricName: ['x'] }, { namespace: ['y'] }] },
        json
      ),
    ];

    // Assess
    expect(results).toEqual([true, false, true, false]);
  });

  it('matches nested body properties, and no body that is not a JSON object', () => {
    // Prepare
    const policy = { patient: { id: ['123'] } };

    // Act
    const results = [
      body(policy, { patient: { id: '123', name: 'x' } }),
      body(policy, { patient: { id: '456' } }),
      matchesFilterPolicy(policy, 'MessageBody', { body: 'plain text', attributes: {} }).matches,
    ];

    // Assess
    expect(results).toEqual([true, false, false]);
  });

  it('refuses a nested attribute policy and an unknown operator, naming them', () => {
    // Prepare
    const nested = () => attributes({ a: { b: ['c'] } }, WITH_STORE);

    // Act
    const unknown = () => attributes({ store: [{ wildcard: 'f*' }] }, WITH_STORE);

    // Assess
    expect(nested).toThrow(FilterPolicyError);
    expect(nested).toThrow('nested key "a" needs the MessageBody scope');
    expect(unknown).toThrow('operator "wildcard" is not one this evaluator knows');
  });
});

describe('SNS filter policy: the messages of oidcwatch’s topics', () => {
  it('drops every CloudWatch alarm notification with an attribute-scoped exists:false guard', () => {
    // Prepare
    const policy = { oidcwatch_origin: [{ exists: false }] };

    // Act
    const verdict = matchesFilterPolicy(
      policy,
      'MessageAttributes',
      alarmNotificationSample('oidcwatch-failure-spike', 'ALARM')
    );

    // Assess
    expect(verdict).toEqual({
      matches: false,
      reason: '"oidcwatch_origin" is absent, which [{"exists":false}] rejects',
    });
  });

  it('lets ALARM and OK notifications through the notifier’s body filter, and none of its own pages', () => {
    // Prepare
    const policy = { NewStateValue: ['ALARM', 'OK'] };
    const notification = (state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA') =>
      matchesFilterPolicy(policy, 'MessageBody', alarmNotificationSample('x', state)).matches;

    // Act
    const pages = pageSamples('oidcwatch-failure-spike', 'lambda').map(
      (s) => matchesFilterPolicy(policy, 'MessageBody', s).matches
    );

    // Assess
    expect([notification('ALARM'), notification('OK'), notification('INSUFFICIENT_DATA')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(pages).toEqual([false, false]);
  });
});
