/**
 * The role causes: ROLE_NOT_FOUND (IAM says the named role does not exist) and ROLE_UNRESOLVED
 * (CloudTrail recorded no role; every role trusting the provider is judged and ranked, roles whose
 * trust policy names the job's repository first, each with its own cause).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  failedWebIdentityRecord,
  GITHUB_PROVIDER,
  roleArn,
} from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  githubTrustPolicy,
  role,
  snapshotReader,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const PAYMENTS = role(
  'payments-deploy',
  githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main')
);

describe('ROLE_NOT_FOUND', () => {
  it('classifies a role missing from IAM as ROLE_NOT_FOUND and suggests the role with a similar name', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
      role: 'payments-deploy-prod',
    });

    // Act
    const d = await diagnoseRecord(record, snapshotReader([PAYMENTS]));

    // Assess
    expect([d.cause, d.detail]).toEqual(['ROLE_NOT_FOUND', null]);
    expect(d.explanation).toContain(
      'Role arn:aws:iam::111122223333:role/payments-deploy-prod does not exist in account 111122223333'
    );
    expect(d.explanation).toContain(
      'A role with a similar name trusts this provider: arn:aws:iam::111122223333:role/payments-deploy.'
    );
    expect(d.fix).toBe(
      'Set `role-to-assume` of aws-actions/configure-aws-credentials to arn:aws:iam::111122223333:role/payments-deploy if that is the intended role (its trust policy admits this job); otherwise create payments-deploy-prod.'
    );
    // A role remedy: the other role, named, checked to admit the call.
    expect(d.remedy?.kind).toBe('role');
    expect(d.remedy?.useRoleArn).toBe('arn:aws:iam::111122223333:role/payments-deploy');
    expect(d.remedy?.verification?.admitsCall).toBe(true);
    expect(d.remedy?.verified).toBe(true);
  });

  it('suggests creating the role when no similar name trusts the provider', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/warehouse:ref:refs/heads/main',
      role: 'warehouse-loader',
    });

    // Act
    const d = await diagnoseRecord(record, snapshotReader([PAYMENTS]));

    // Assess
    expect(d.cause).toBe('ROLE_NOT_FOUND');
    expect(d.fix).toBe(
      'Correct `role-to-assume` of aws-actions/configure-aws-credentials, or create role warehouse-loader with a trust policy for this provider.'
    );
  });

  it('does not report a role that exists', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/payments-api:ref:refs/heads/dev',
      role: 'payments-deploy',
    });

    // Act
    const d = await diagnoseRecord(record, snapshotReader([PAYMENTS]));

    // Assess
    expect(d.cause).toBe('SUB_MISMATCH');
  });
});

describe('ROLE_UNRESOLVED', () => {
  const webDeploy = role(
    'web-deploy',
    githubTrustPolicy('repo:acme-corp/web:environment:*', { operator: 'StringLike' })
  );
  const legacyCi = role(
    'legacy-ci',
    trustPolicy(
      webIdentityStatement({ condition: { StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' } } })
    )
  );
  const webFrontend = role(
    'web-frontend-deploy',
    githubTrustPolicy('repo:acme-corp/web-frontend:*', { operator: 'StringLike' })
  );
  const webById = role(
    'web-by-id',
    githubTrustPolicy('repo:acme-corp@41235811/web@55501:ref:refs/tags/*', {
      operator: 'StringLike',
    })
  );
  const otherProvider = role(
    'gitlab-deploy',
    trustPolicy(
      webIdentityStatement({ provider: 'arn:aws:iam::111122223333:oidc-provider/gitlab.com' })
    )
  );
  const record = failedWebIdentityRecord({
    sub: 'repo:acme-corp/web:ref:refs/heads/main',
    role: null,
  });

  it('ranks the candidates: roles naming the repository first, then by how near the call came', async () => {
    // Prepare
    const reader = snapshotReader([legacyCi, webFrontend, webDeploy, otherProvider, webById]);

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect([d.cause, d.detail]).toEqual(['ROLE_UNRESOLVED', null]);
    expect(d.roleArn).toBeNull();
    expect(d.candidates.map((c) => [c.roleArn, c.cause, c.detail, c.sameRepository])).toEqual([
      [roleArn('web-by-id'), 'SUB_MISMATCH', 'BRANCH', true],
      [roleArn('web-deploy'), 'SUB_MISMATCH', 'BRANCH', true],
      [roleArn('legacy-ci'), 'DENIED_OUTSIDE_TRUST_POLICY', null, false],
      [roleArn('web-frontend-deploy'), 'SUB_MISMATCH', 'REPOSITORY', false],
    ]);
    expect(d.explanation).toContain(
      `CloudTrail recorded no role for this call; 4 roles in account 111122223333 trust ${GITHUB_PROVIDER}.`
    );
    expect(d.explanation).toContain(
      'Most likely arn:aws:iam::111122223333:role/web-by-id (its trust policy names acme-corp/web): SUB_MISMATCH/BRANCH.'
    );
    expect(d.fix).toBe(
      `If arn:aws:iam::111122223333:role/web-by-id is the role the job meant: ${d.candidates[0]?.fix}`
    );
    expect(d.remedy?.roleArn).toBe('arn:aws:iam::111122223333:role/web-by-id');
  });

  it('gives each candidate its own explanation and fix', async () => {
    // Prepare
    const reader = snapshotReader([webDeploy, webFrontend]);

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    const [first, second] = d.candidates;
    expect(first?.explanation).toContain(
      'role/web-deploy allows token.actions.githubusercontent.com:sub StringLike "repo:acme-corp/web:environment:*"'
    );
    expect(first?.fix).toBe(
      'Add "repo:acme-corp/web:ref:refs/heads/main" to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions" (it admits refs/heads/main of acme-corp/web only).'
    );
    expect(second?.explanation).toContain(
      'the job runs in acme-corp/web, which the policy does not name'
    );
  });

  it('says when no role trusts the provider and how to create one', async () => {
    // Prepare
    const reader = snapshotReader([otherProvider]);

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.cause).toBe('ROLE_UNRESOLVED');
    expect(d.candidates).toEqual([]);
    expect(d.explanation).toBe(
      `CloudTrail recorded no role for this call, and no role in account 111122223333 trusts ${GITHUB_PROVIDER}.`
    );
    expect(d.fix).toContain('and sub "repo:acme-corp/web:ref:refs/heads/main"');
  });

  it('does not apply when the record names its role', async () => {
    // Prepare
    const named = failedWebIdentityRecord({
      sub: 'repo:acme-corp/web:ref:refs/heads/main',
      role: 'web-deploy',
    });

    // Act
    const d = await diagnoseRecord(named, snapshotReader([webDeploy, legacyCi]));

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.candidates).toEqual([]);
  });
});
