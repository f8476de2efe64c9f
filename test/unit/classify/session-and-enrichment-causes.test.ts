/**
 * MISSING_TAG_SESSION (a chained AssumeRole of a web-identity session sends session tags the
 * target's trust policy does not allow) and ENRICHMENT_FAILED (IAM could not be read, or the
 * role's trust policy is unreadable: classified from errorCode alone, and it says so).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  chainedAssumeRoleRecord,
  failedWebIdentityRecord,
  roleArn,
} from '../../helpers/cloudtrail-records.js';
import {
  diagnose,
  failedView,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  snapshotReader,
  trustPolicy,
} from '../../helpers/iam-view.js';

const GHA_BASE = role(
  'gha-base',
  githubTrustPolicy('repo:acme-corp/platform:*', { operator: 'StringLike' })
);

function chainTarget(actions: string[]) {
  return role(
    'cross-deploy',
    trustPolicy({
      Sid: 'ChainFromGitHub',
      Effect: 'Allow',
      Principal: { AWS: roleArn('gha-base') },
      Action: actions,
    })
  );
}

describe('MISSING_TAG_SESSION', () => {
  it('classifies a chained AssumeRole with session tags the target does not allow as MISSING_TAG_SESSION', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord();

    // Act
    const d = await diagnoseRecord(
      record,
      snapshotReader([GHA_BASE, chainTarget(['sts:AssumeRole'])])
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['MISSING_TAG_SESSION', null]);
    expect(d.eventName).toBe('AssumeRole');
    expect(d.roleArn).toBe(roleArn('cross-deploy'));
    expect(d.explanation).toBe(
      'arn:aws:iam::111122223333:role/gha-base may assume arn:aws:iam::111122223333:role/cross-deploy, but the call sends session tags (GitHub, Repository, Workflow, Action, Actor, Commit, Branch) and the trust policy of arn:aws:iam::111122223333:role/cross-deploy does not allow sts:TagSession for it.'
    );
    expect(d.fix).toContain(
      'Add "sts:TagSession" to the Action of statement "ChainFromGitHub" of arn:aws:iam::111122223333:role/cross-deploy\'s trust policy (it already lets arn:aws:iam::111122223333:role/gha-base assume the role; configure-aws-credentials sends session tags), or set `role-skip-session-tagging: true` on the step that chains.'
    );
    expect(d.fix).toContain('`role-skip-session-tagging: true`');
  });

  it('judges the trust policy even when the message does not name sts:TagSession', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord({
      errorMessage:
        'User: arn:aws:sts::111122223333:assumed-role/gha-base/GitHubActions is not authorized to perform: sts:AssumeRole',
    });

    // Act
    const d = await diagnoseRecord(
      record,
      snapshotReader([GHA_BASE, chainTarget(['sts:AssumeRole'])])
    );

    // Assess
    expect(d.cause).toBe('MISSING_TAG_SESSION');
  });

  it('reports the AssumeRole itself, not TagSession, when the target does not trust the session at all', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord({
      errorMessage:
        'User: arn:aws:sts::111122223333:assumed-role/gha-base/GitHubActions is not authorized to perform: sts:AssumeRole',
    });
    const target = role(
      'cross-deploy',
      trustPolicy({
        Effect: 'Allow',
        Principal: { AWS: roleArn('someone-else') },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      })
    );

    // Act
    const d = await diagnoseRecord(record, snapshotReader([GHA_BASE, target]));

    // Assess
    expect(d.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
    expect(d.explanation).toBe(
      'The trust policy of arn:aws:iam::111122223333:role/cross-deploy does not allow sts:AssumeRole for arn:aws:iam::111122223333:role/gha-base.'
    );
  });

  it('does not blame TagSession when the target allows it', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord({
      errorMessage:
        'User: arn:aws:sts::111122223333:assumed-role/gha-base/GitHubActions is not authorized to perform: sts:AssumeRole',
    });

    // Act
    const d = await diagnoseRecord(
      record,
      snapshotReader([GHA_BASE, chainTarget(['sts:AssumeRole', 'sts:TagSession'])])
    );

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });

  it('trusts the recorded sts:TagSession message when IAM cannot be read', () => {
    // Prepare
    const record = chainedAssumeRoleRecord();

    // Act
    const d = diagnose(
      record,
      failedView(
        'reading role arn:aws:iam::111122223333:role/cross-deploy: AccessDeniedException',
        'iam'
      )
    );

    // Assess
    expect(d.cause).toBe('MISSING_TAG_SESSION');
  });

  it('is ENRICHMENT_FAILED, not DENIED_OUTSIDE_TRUST_POLICY, when neither IAM nor the message tell', () => {
    // Prepare
    const record = chainedAssumeRoleRecord({
      errorMessage:
        'User: arn:aws:sts::111122223333:assumed-role/gha-base/GitHubActions is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111122223333:role/cross-deploy',
    });

    // Act
    const d = diagnose(
      record,
      failedView(
        'reading role arn:aws:iam::111122223333:role/cross-deploy: AccessDeniedException',
        'iam'
      )
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'AccessDeniedException']);
    expect(d.explanation).toContain('IAM could not be read');
  });

  it('classifies a successful chained AssumeRole as SUCCESS', async () => {
    // Prepare
    const record = chainedAssumeRoleRecord({ errorCode: null });

    // Act
    const d = await diagnoseRecord(
      record,
      snapshotReader([GHA_BASE, chainTarget(['sts:AssumeRole', 'sts:TagSession'])])
    );

    // Assess
    expect(d.cause).toBe('SUCCESS');
  });
});

describe('ENRICHMENT_FAILED', () => {
  const record = failedWebIdentityRecord({
    sub: 'repo:acme-corp/warehouse:ref:refs/heads/main',
    account: '777788889999',
    role: 'warehouse-deploy',
  });

  it('classifies an AccessDenied in an account missing from the snapshot as ENRICHMENT_FAILED and says so', async () => {
    // Prepare
    const reader = snapshotReader([GHA_BASE]);

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'ACCOUNT_NOT_IN_SNAPSHOT']);
    expect(d.explanation).toContain(
      'IAM could not be read (reading role arn:aws:iam::777788889999:role/warehouse-deploy: account 777788889999 is not in the IAM snapshot), so this is classified from errorCode AccessDenied alone'
    );
    expect(d.fix).toBe(
      `Add account 777788889999 to the IAM snapshot (oidcwatch snapshot), or run without --iam-snapshot with credentials that can read it: oidcwatch cannot name a fix without the role's trust policy.`
    );
    expect(d.enrichment).toBe('none');
  });

  it('names the AWS error when live IAM refused', () => {
    // Prepare
    const view = failedView(
      'reading role arn:aws:iam::777788889999:role/warehouse-deploy: AccessDeniedException: User is not authorized to perform: iam:GetRole',
      'iam'
    );

    // Act
    const d = diagnose(record, view);

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'AccessDeniedException']);
    expect(d.fix).toContain('iam:GetRole');
  });

  it('classifies an AccessDenied without any IAM source as ENRICHMENT_FAILED/NO_IAM_SOURCE', async () => {
    // Prepare
    const noIamSource = null;

    // Act
    const d = await diagnoseRecord(record, noIamSource);

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'NO_IAM_SOURCE']);
    expect(d.enrichment).toBe('none');
  });

  it('classifies a role whose trust policy cannot be read as ENRICHMENT_FAILED/TRUST_POLICY_UNREADABLE', () => {
    // Prepare
    const view = iamView({
      role: role('warehouse-deploy', '{not json', { account: '777788889999' }),
      providers: [githubProvider({ account: '777788889999' })],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'TRUST_POLICY_UNREADABLE']);
    expect(d.explanation).toContain(
      'The trust policy of arn:aws:iam::777788889999:role/warehouse-deploy could not be read (trust policy is not JSON:'
    );
    expect(d.explanation).toContain('so this AccessDenied is classified from its code alone');
    expect(d.fix).toBe(
      `Correct the trust policy of arn:aws:iam::777788889999:role/warehouse-deploy (trust policy is not JSON: Expected property name or '}' in JSON at position 1); inspect it with: aws iam get-role --role-name warehouse-deploy --query Role.AssumeRolePolicyDocument`
    );
  });

  it('reads a trust policy whose Statement is not a list of objects as unreadable too', () => {
    // Prepare
    const view = iamView({
      role: role(
        'warehouse-deploy',
        { Version: '2012-10-17', Statement: ['Allow'] },
        { account: '777788889999' }
      ),
      providers: [githubProvider({ account: '777788889999' })],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'TRUST_POLICY_UNREADABLE']);
    expect(d.explanation).toContain('(trust policy Statement[0] must be an object)');
  });

  it('does not apply to codes that need no IAM (ExpiredTokenException)', async () => {
    // Prepare
    const expired = failedWebIdentityRecord({
      sub: 'repo:acme-corp/warehouse:ref:refs/heads/main',
      account: '777788889999',
      role: 'warehouse-deploy',
      errorCode: 'ExpiredTokenException',
      errorMessage: 'Token too old: 441398',
    });

    // Act
    const d = await diagnoseRecord(expired, snapshotReader([GHA_BASE]));

    // Assess
    expect(d.cause).toBe('EXPIRED_TOKEN');
  });
});
