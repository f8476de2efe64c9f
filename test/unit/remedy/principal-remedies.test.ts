/**
 * Remedies when the role does not trust the token's provider (issue 10): a policy copied from
 * another account, an organization that moved to another issuer (GHE.com, an enterprise issuer, a
 * new EKS cluster), a role meant to be reached by role chaining, a chained AssumeRole recorded in
 * the caller's account, and an `identityProvider` recorded as a bare host.
 */
import { describe, expect, it } from 'vitest';
import { SnapshotIamReader } from '../../../src/adapters/snapshot/iam-snapshot.js';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  chainedAssumeRoleRecord,
  failedWebIdentityRecord,
  providerArn,
  roleArn,
} from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  diagnose,
  githubProvider,
  githubTrustPolicy,
  iamSnapshot,
  iamView,
  role,
  SUB_KEY,
  snapshotReader,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';
import { deniedBy, patchedDecision } from './remedy-helpers.js';

const GH = 'token.actions.githubusercontent.com';

describe('a policy copied from another account', () => {
  it("replaces the other account's provider ARN in place and keeps every condition", () => {
    // Prepare
    const copied = trustPolicy(
      webIdentityStatement({
        provider: providerArn('999988887777'),
        condition: {
          StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' },
          StringLike: { [SUB_KEY]: 'repo:acme-corp/mobile:*' },
        },
      })
    );

    // Act
    const d = deniedBy(copied, {
      sub: 'repo:acme-corp/mobile:ref:refs/heads/main',
      role: 'mobile',
    });

    // Assess
    expect(d.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
    expect(d.remedy?.edits).toEqual([
      {
        statement: '"GitHubActions"',
        element: 'Principal.Federated',
        operator: null,
        key: null,
        added: [providerArn()],
        removed: [providerArn('999988887777')],
      },
    ]);
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/mobile:ref:refs/heads/dev' })).toBe(
      'allow'
    );
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/web:ref:refs/heads/main' })).toBe(
      'implicit-deny'
    );
  });
});

describe('an organization that moved to another issuer', () => {
  const policy = githubTrustPolicy('repo:acme-corp/payroll:*', { operator: 'StringLike' });

  it.each([
    ['GHE.com (data residency)', 'token.actions.acme.ghe.com'],
    ['an enterprise issuer', `${GH}/acme`],
  ])(
    'adds a statement for %s with every condition key renamed, and keeps the old one',
    (_, url) => {
      // Prepare
      const provider = githubProvider({ url });

      // Act
      const d = deniedBy(
        policy,
        { sub: 'repo:acme-corp/payroll:ref:refs/heads/main', role: 'payroll', issuerUrl: url },
        { providers: [githubProvider(), provider] }
      );

      // Assess
      expect(d.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
      expect(d.remedy?.kind).toBe('trust-policy');
      const patched = d.remedy?.policy as { Statement: Record<string, unknown>[] } | undefined;
      const statements = patched?.Statement ?? [];
      expect(statements).toHaveLength(2);
      expect(statements[0]).toEqual((policy as { Statement: unknown[] }).Statement[0]);
      expect(statements[1]?.Principal).toEqual({ Federated: provider.arn });
      const condition = statements[1]?.Condition as Record<string, Record<string, unknown>>;
      expect(Object.keys(condition.StringLike ?? {})).toEqual([`${url}:sub`]);
      expect(JSON.stringify(statements[1])).not.toContain(`"${GH}:`);
      expect(
        patchedDecision(d.remedy, {
          sub: 'repo:acme-corp/payroll:ref:refs/heads/main',
          issuerUrl: url,
        })
      ).toBe('allow');
      expect(d.remedy?.verified).toBe(true);
    }
  );

  it('does the same for a new EKS cluster', () => {
    // Prepare
    const oldEks = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const newEks = 'oidc.eks.us-east-1.amazonaws.com/id/NEWCLUSTER8B2E4F19A7C3D5E60EXAMPLE';
    const eks = trustPolicy(
      webIdentityStatement({
        sid: 'EksServiceAccount',
        provider: providerArn(undefined, oldEks),
        condition: {
          StringEquals: {
            [`${oldEks}:aud`]: 'sts.amazonaws.com',
            [`${oldEks}:sub`]: 'system:serviceaccount:cert-manager:cert-manager',
          },
        },
      })
    );

    // Act
    const d = deniedBy(
      eks,
      {
        sub: 'system:serviceaccount:cert-manager:cert-manager',
        role: 'cert-manager',
        issuerUrl: newEks,
      },
      { providers: [githubProvider({ url: oldEks }), githubProvider({ url: newEks })] }
    );

    // Assess
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.blastRadius?.scope).toBe('call');
    expect(
      patchedDecision(d.remedy, {
        sub: 'system:serviceaccount:cert-manager:other',
        role: 'cert-manager',
        issuerUrl: newEks,
      })
    ).toBe('implicit-deny');
  });
});

describe('a role meant to be reached by role chaining', () => {
  const chained = trustPolicy({
    Sid: 'ChainFromGitHub',
    Effect: 'Allow',
    Principal: { AWS: roleArn('gha-base') },
    Action: 'sts:AssumeRole',
  });

  it('never gets a Federated principal: the job should assume the role it chains from, verified', async () => {
    // Prepare
    const reader = snapshotReader([
      role('cross-deploy', chained),
      role('gha-base', githubTrustPolicy('repo:acme-corp/platform:*', { operator: 'StringLike' })),
    ]);
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/platform:ref:refs/heads/main',
      role: 'cross-deploy',
    });

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
    expect(d.remedy?.kind).toBe('role');
    expect(d.remedy?.useRoleArn).toBe(roleArn('gha-base'));
    expect(d.remedy?.policy).toBeNull();
    expect(d.remedy?.edits).toEqual([]);
    expect(d.remedy?.verified).toBe(true);
    expect(d.fix).toContain(
      'Adding a Federated principal would open it to every job of the issuer'
    );
  });

  it('says so when the role it chains from does not admit the job either', async () => {
    // Prepare
    const reader = snapshotReader([
      role('cross-deploy', chained),
      role('gha-base', githubTrustPolicy('repo:acme-corp/platform:*', { operator: 'StringLike' })),
    ]);
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/web:ref:refs/heads/main',
      role: 'cross-deploy',
    });

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.remedy?.kind).toBe('role');
    expect(d.remedy?.verified).toBe(false);
    expect(d.remedy?.verification?.problems[0]).toContain(
      `the trust policy of ${roleArn('gha-base')} still rejects the call`
    );
  });
});

describe('a chained AssumeRole into another account', () => {
  it('reads the role in the account its ARN names, not the one that recorded the event', async () => {
    // Prepare
    const data = '444455556666';
    const target = roleArn('analytics-admin', data);
    const reader = new SnapshotIamReader(
      iamSnapshot({
        '111122223333': { roles: [] },
        [data]: {
          roles: [
            role(
              'analytics-admin',
              trustPolicy({
                Sid: 'FromPlatformCi',
                Effect: 'Allow',
                Principal: { AWS: roleArn('gha-base') },
                Action: 'sts:AssumeRole',
              }),
              { account: data }
            ),
          ],
        },
      })
    );
    const record = chainedAssumeRoleRecord({
      targetRole: 'analytics-admin',
      errorMessage: `User: arn:aws:sts::111122223333:assumed-role/gha-base/GitHubActions is not authorized to perform: sts:AssumeRole on resource: ${target}`,
    }) as Record<string, unknown>;
    (record.requestParameters as Record<string, unknown>).roleArn = target;

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.cause).toBe('MISSING_TAG_SESSION');
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.edits).toEqual([
      {
        statement: '"FromPlatformCi"',
        element: 'Action',
        operator: null,
        key: null,
        added: ['sts:TagSession'],
        removed: [],
      },
    ]);
    expect(d.remedy?.command).toBe(
      'aws iam update-assume-role-policy --role-name analytics-admin --policy-document file://trust-policy.json'
    );
    // The blast radius is computed over AWS principals: only gha-base gains anything.
    expect(d.remedy?.blastRadius?.scope).toBe('call');
    expect(d.remedy?.blastRadius?.probes.map((p) => [p.sub, p.after])).toEqual([
      [`arn:aws:iam::111122223333:role/oidcwatch-probe`, 'deny'],
      ['arn:aws:iam::111122223333:root', 'deny'],
      ['arn:aws:iam::000000000000:role/gha-base', 'deny'],
    ]);
  });

  it('offers no sts:TagSession for a statement that trusts the whole account, only skipping the tags', async () => {
    // Prepare
    const reader = snapshotReader([
      role(
        'cross-deploy',
        trustPolicy({
          Sid: 'WholeAccount',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'sts:AssumeRole',
        })
      ),
    ]);
    const record = chainedAssumeRoleRecord({
      targetRole: 'cross-deploy',
      errorMessage: `User: arn:aws:sts::111122223333:assumed-role/gha-base/GitHubActions is not authorized to perform: sts:TagSession on resource: ${roleArn('cross-deploy')}`,
    });

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.cause).toBe('MISSING_TAG_SESSION');
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.remedy?.workflow).toEqual([{ key: 'with.role-skip-session-tagging', value: 'true' }]);
    expect(d.remedy?.policy).toBeNull();
    expect(d.remedy?.declined?.blastRadius?.scope).toBe('wider');
    expect(d.remedy?.declined?.blastRadius?.newlyAdmitted).toContain(
      'another role of account 111122223333'
    );
  });
});

describe('an identityProvider recorded as a bare host', () => {
  it("is compared with the policy's provider by issuer, not as an ARN string", () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/web:ref:refs/tags/v2.3.0',
      role: 'web-preview',
    }) as { userIdentity: Record<string, string> };
    record.userIdentity.identityProvider = GH;
    record.userIdentity.principalId = `${GH}:sts.amazonaws.com:repo:acme-corp/web:ref:refs/tags/v2.3.0`;
    const policy = githubTrustPolicy('repo:acme-corp/web:ref:refs/heads/*', {
      operator: 'StringLike',
    });

    // Act
    const d = diagnose(record, iamView({ role: role('web-preview', policy) }));

    // Assess
    expect(d.provider).toBe(GH);
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'TAG']);
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.edits[0]?.added).toEqual(['repo:acme-corp/web:ref:refs/tags/v*']);
  });
});
