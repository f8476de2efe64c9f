/**
 * Findings beside the cause, for every policy seen and whatever the cause (successes included):
 * OVER_PERMISSIVE_TRUST_POLICY (NO_SUB_CONDITION, WILDCARD_OWNER, FOR_ALL_VALUES_IN_ALLOW,
 * FOREIGN_OWNER — owners configured, or inferred from at least two roles) and LITERAL_WILDCARD.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/types.js';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  failedWebIdentityRecord,
  roleArn,
  successWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  githubTrustPolicy,
  role,
  SUB_KEY,
  snapshotReader,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const AUD = { [AUD_KEY]: 'sts.amazonaws.com' };

/** `CODE/DETAIL` of each finding. */
function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => (f.detail === null ? f.code : `${f.code}/${f.detail}`));
}

async function succeeded(
  sub: string,
  name: string,
  policy: unknown,
  others: ReturnType<typeof role>[] = []
) {
  return diagnoseRecord(
    successWebIdentityRecord({ sub, role: name }),
    snapshotReader([role(name, policy), ...others])
  );
}

describe('OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION', () => {
  it('flags a successful role that trusts the provider with only an aud condition', async () => {
    // Prepare
    const sub = 'repo:acme-corp/legacy-app:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'legacy-ci',
      trustPolicy(webIdentityStatement({ condition: { StringEquals: AUD } }))
    );

    // Assess
    expect(d.cause).toBe('SUCCESS');
    expect(d.findings).toEqual([
      {
        code: 'OVER_PERMISSIVE_TRUST_POLICY',
        detail: 'NO_SUB_CONDITION',
        roleArn: roleArn('legacy-ci'),
        statement: '"GitHubActions"',
        message:
          'The statement trusts the provider without a binding sub condition: any repository the issuer serves can assume the role.',
      },
    ]);
  });

  it('counts a negated sub condition (StringNotLike) as no binding condition', async () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: { StringEquals: AUD, StringNotLike: { [SUB_KEY]: 'repo:evil-org/*' } },
      })
    );

    // Act
    const d = await succeeded('repo:acme-corp/api:ref:refs/heads/main', 'api-deploy', policy);

    // Assess
    expect(codes(d.findings)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION']);
  });

  it('counts StringLikeIfExists on sub as binding: every token carries sub, so another repository is denied', async () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: { StringEquals: AUD, StringLikeIfExists: { [SUB_KEY]: 'repo:acme-corp/*' } },
      })
    );

    // Act
    const own = await succeeded('repo:acme-corp/api:ref:refs/heads/main', 'api-deploy', policy);
    const outsider = await diagnoseRecord(
      failedWebIdentityRecord({ sub: 'repo:evil-org/api:ref:refs/heads/main', role: 'api-deploy' }),
      snapshotReader([role('api-deploy', policy)])
    );

    // Assess
    expect(own.findings).toEqual([]);
    expect([outsider.cause, outsider.detail]).toEqual(['SUB_MISMATCH', 'REPOSITORY']);
  });

  it('does not flag a statement with a binding sub condition', async () => {
    // Prepare
    const sub = 'repo:acme-corp/api:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'api-deploy',
      githubTrustPolicy('repo:acme-corp/api:ref:refs/heads/main')
    );

    // Assess
    expect(d.findings).toEqual([]);
  });
});

describe('OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER', () => {
  it('flags StringLike "repo:*" on a success', async () => {
    // Prepare
    const sub = 'repo:someone-else/fork:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'sandbox',
      githubTrustPolicy('repo:*', { operator: 'StringLike' })
    );

    // Assess
    expect(codes(d.findings)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER']);
    expect(d.findings[0]?.message).toBe(
      'token.actions.githubusercontent.com:sub StringLike "repo:*" admits any owner.'
    );
  });

  it('flags a partly wildcarded owner ("repo:acme-*/…") on a failure too', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/web:pull_request',
      role: 'web-preview',
    });

    // Act
    const d = await diagnoseRecord(
      record,
      snapshotReader([
        role(
          'web-preview',
          githubTrustPolicy('repo:acme-*/web:ref:refs/heads/*', { operator: 'StringLike' })
        ),
      ])
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'PULL_REQUEST']);
    expect(codes(d.findings)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER']);
  });

  it('says which owners a one-character wildcard admits ("repo:my-or?/api:*"), not "any owner"', async () => {
    // Prepare
    const sub = 'repo:my-org/api:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'api-deploy',
      githubTrustPolicy('repo:my-or?/api:*', { operator: 'StringLike' })
    );

    // Assess
    expect(codes(d.findings)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER']);
    expect(d.findings[0]?.message).toBe(
      'token.actions.githubusercontent.com:sub StringLike "repo:my-or?/api:*" admits every owner matching "my-or?" (such as "my-orx"), which anyone can register on GitHub.'
    );
  });

  it('does not flag a wildcard after a fixed owner ("repo:acme-corp/*")', async () => {
    // Prepare
    const sub = 'repo:acme-corp/web:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'web-deploy',
      githubTrustPolicy('repo:acme-corp/*', { operator: 'StringLike' })
    );

    // Assess
    expect(d.findings).toEqual([]);
  });
});

describe('OVER_PERMISSIVE_TRUST_POLICY/FOR_ALL_VALUES_IN_ALLOW', () => {
  it('flags ForAllValues:StringLike on sub in an Allow, without claiming the sub is unchecked', async () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          'ForAllValues:StringLike': { [SUB_KEY]: 'repo:acme-corp/metrics:*' },
        },
      })
    );

    // Act
    const d = await succeeded(
      'repo:acme-corp/metrics:ref:refs/heads/main',
      'metrics-deploy',
      policy
    );

    // Assess
    expect(codes(d.findings)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY/FOR_ALL_VALUES_IN_ALLOW']);
    expect(d.findings[0]?.message).toContain(
      'ForAllValues:StringLike on token.actions.githubusercontent.com:sub in an Allow: every token carries sub, so it restricts as the operator without ForAllValues does'
    );
  });

  it('does not flag ForAnyValue', async () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          'ForAnyValue:StringLike': { [SUB_KEY]: 'repo:acme-corp/metrics:*' },
        },
      })
    );

    // Act
    const d = await succeeded(
      'repo:acme-corp/metrics:ref:refs/heads/main',
      'metrics-deploy',
      policy
    );

    // Assess
    expect(d.findings).toEqual([]);
  });
});

describe('OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER', () => {
  const acmeRoles = [
    role('payments-deploy', githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main')),
    role('web-deploy', githubTrustPolicy('repo:acme-corp/web:*', { operator: 'StringLike' })),
  ];
  const vendor = githubTrustPolicy('repo:octo-org/octo-repo:*', { operator: 'StringLike' });

  it("never guesses the owners from the account's other roles: without configured owners, no FOREIGN_OWNER", async () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/heads/main';

    // Act
    const d = await succeeded(sub, 'vendor-sync', vendor, acmeRoles);

    // Assess
    expect(d.findings).toEqual([]);
  });

  it('flags it against the configured owners', async () => {
    // Prepare
    const record = successWebIdentityRecord({
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      role: 'vendor-sync',
    });

    // Act
    const d = await diagnoseRecord(record, snapshotReader([role('vendor-sync', vendor)]), {
      owners: ['Acme-Corp'],
    });

    // Assess
    expect(codes(d.findings)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER']);
  });

  it('does not infer owners from a single role', async () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/heads/main';

    // Act
    const d = await succeeded(sub, 'vendor-sync', vendor, [
      acmeRoles[0] as ReturnType<typeof role>,
    ]);

    // Assess
    expect(d.findings).toEqual([]);
  });

  it("does not flag the account's own owner (ids stripped, case ignored)", async () => {
    // Prepare
    const sub = 'repo:acme-corp@41235811/billing@998877665:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'billing-deploy',
      githubTrustPolicy('repo:Acme-Corp@41235811/billing@998877665:*', { operator: 'StringLike' }),
      acmeRoles
    );

    // Assess
    expect(d.findings.filter((f) => f.detail === 'FOREIGN_OWNER')).toEqual([]);
  });
});

describe('LITERAL_WILDCARD', () => {
  it('flags a * under StringEquals on a success, where it is matched literally', async () => {
    // Prepare
    const policy = githubTrustPolicy([
      'repo:acme-corp/tools:ref:refs/heads/main',
      'repo:acme-corp/tools:ref:refs/tags/*',
    ]);

    // Act
    const d = await succeeded('repo:acme-corp/tools:ref:refs/heads/main', 'tools-deploy', policy);

    // Assess
    expect(d.findings).toEqual([
      {
        code: 'LITERAL_WILDCARD',
        detail: null,
        roleArn: roleArn('tools-deploy'),
        statement: '"GitHubActions"',
        message:
          'StringEquals compares "repo:acme-corp/tools:ref:refs/tags/*" literally: its * or ? is not a wildcard (use StringLike).',
      },
    ]);
  });

  it('does not flag the escaped ${*} of a 2012-10-17 policy', async () => {
    // Prepare
    const sub = 'repo:acme-corp/tools:ref:refs/heads/main';

    // Act
    const d = await succeeded(
      sub,
      'tools-deploy',
      githubTrustPolicy([
        'repo:acme-corp/tools:ref:refs/heads/main',
        'repo:acme-corp/tools:environment:${*}',
      ])
    );

    // Assess
    expect(d.findings).toEqual([]);
  });
});

describe('findings of ROLE_UNRESOLVED candidates', () => {
  it("reports the candidates' findings under their own role ARNs", async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/web:ref:refs/heads/main',
      role: null,
    });
    const reader = snapshotReader([
      role('sandbox', githubTrustPolicy('repo:*', { operator: 'StringLike' })),
      role('web-deploy', githubTrustPolicy('repo:acme-corp/web:environment:prod')),
    ]);

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.cause).toBe('ROLE_UNRESOLVED');
    expect(d.findings.map((f) => [f.roleArn, f.detail])).toEqual([
      [roleArn('sandbox'), 'WILDCARD_OWNER'],
    ]);
  });
});
