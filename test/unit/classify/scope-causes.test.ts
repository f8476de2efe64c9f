/**
 * SUCCESS, IGNORED and MALFORMED_EVENT: step (1) of the order of judgement, is the record in scope
 * and readable; and a success is a success whatever IAM says now.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  chainedAssumeRoleRecord,
  consoleLoginRecord,
  eventBridgeEnvelope,
  failedWebIdentityRecord,
  omit,
  successWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import { githubTrustPolicy, role, snapshotReader } from '../../helpers/iam-view.js';

const PAYMENTS = role(
  'payments-deploy',
  githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main')
);
const READER = snapshotReader([PAYMENTS]);

describe('SUCCESS', () => {
  it('classifies a successful AssumeRoleWithWebIdentity as SUCCESS with its claims', async () => {
    // Prepare
    const record = successWebIdentityRecord({
      sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
      role: 'payments-deploy',
      eventId: '0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b',
    });

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect(d).toMatchObject({
      cause: 'SUCCESS',
      detail: null,
      fix: null,
      eventId: '0f9e8d7c-6b5a-4493-8271-605f4e3d2c1b',
      account: '111122223333',
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::111122223333:role/payments-deploy',
      aud: 'sts.amazonaws.com',
      repository: 'acme-corp/payments-api',
      findings: [],
    });
    expect(d.explanation).toBe(
      'STS admitted sub "repo:acme-corp/payments-api:ref:refs/heads/main" for arn:aws:iam::111122223333:role/payments-deploy.'
    );
  });

  it('classifies a success inside an EventBridge envelope as SUCCESS', async () => {
    // Prepare
    const record = eventBridgeEnvelope(
      successWebIdentityRecord({
        sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
        role: 'payments-deploy',
      })
    );

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect(d.cause).toBe('SUCCESS');
  });

  it('is a success even when the current trust policy would reject it (the policy changed since)', async () => {
    // Prepare
    const record = successWebIdentityRecord({
      sub: 'repo:acme-corp/payments-api:ref:refs/heads/dev',
      role: 'payments-deploy',
    });

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect(d.cause).toBe('SUCCESS');
  });

  it('is not reported for a failed call', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
      role: 'payments-deploy',
    });

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect(d.cause).not.toBe('SUCCESS');
  });
});

describe('IGNORED', () => {
  it('ignores a record of another service and says which', async () => {
    // Prepare
    const record = consoleLoginRecord();

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect([d.cause, d.detail]).toEqual([
      'IGNORED',
      'eventSource "signin.amazonaws.com" (eventName "ConsoleLogin") is not sts.amazonaws.com',
    ]);
    expect(d.eventTime).toBe('2026-11-27T14:35:00Z');
  });

  it('ignores an AssumeRole made by an IAM user (not a web-identity session)', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord();
    record.userIdentity = {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLEEXAMPLE01',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      userName: 'alice',
    };

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect([d.cause, d.detail]).toEqual([
      'IGNORED',
      'AssumeRole by caller type "IAMUser", not a session that came from web identity',
    ]);
  });

  it('does not ignore a chained AssumeRole of a web-identity session', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord();

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect(d.cause).not.toBe('IGNORED');
  });
});

describe('MALFORMED_EVENT', () => {
  it('classifies an AssumeRoleWithWebIdentity record without userIdentity as MALFORMED_EVENT naming the record', async () => {
    // Prepare
    const record = omit(
      failedWebIdentityRecord({
        sub: 'repo:acme-corp/web:ref:refs/heads/main',
        eventId: 'c02dea77-34b0-4fd5-a81e-8e06ee4038ad',
      }),
      'userIdentity'
    );

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect([d.cause, d.detail]).toEqual([
      'MALFORMED_EVENT',
      'record c02dea77-34b0-4fd5-a81e-8e06ee4038ad has no "userIdentity"',
    ]);
    expect(d.eventId).toBe('c02dea77-34b0-4fd5-a81e-8e06ee4038ad');
  });

  it('classifies a value that is not an object as MALFORMED_EVENT', async () => {
    // Prepare
    const record = 'AssumeRoleWithWebIdentity';

    // Act
    const d = await diagnoseRecord(record, READER);

    // Assess
    expect([d.cause, d.detail]).toEqual([
      'MALFORMED_EVENT',
      'record is a string, not a JSON object',
    ]);
  });

  it('classifies an EventBridge envelope without detail as MALFORMED_EVENT', async () => {
    // Prepare
    const envelope = omit(
      eventBridgeEnvelope(
        failedWebIdentityRecord({ sub: 'repo:acme-corp/web:ref:refs/heads/main' })
      ),
      'detail'
    );
    envelope.id = '7e0c1d2f-0000-4000-8000-000000000001';

    // Act
    const d = await diagnoseRecord(envelope, READER);

    // Assess
    expect(d.cause).toBe('MALFORMED_EVENT');
    expect(d.detail).toBe(
      'EventBridge event "7e0c1d2f-0000-4000-8000-000000000001" has no "detail" object'
    );
  });
});
