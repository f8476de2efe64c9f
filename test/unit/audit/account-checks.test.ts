/**
 * The audit's provider checks (the failures CloudTrail may never show) and the runner: unreadable
 * trust policies, roles that are not audited, a check that throws, ordering and severities.
 */
import { describe, expect, it } from 'vitest';
import {
  auditAccounts,
  countBySeverity,
  findingsAtOrAbove,
} from '../../../src/domain/audit/audit.js';
import { isAtOrAbove, parseSeverity } from '../../../src/domain/audit/severity.js';
import { ACCOUNT, GITHUB_ISSUER, providerArn, roleArn } from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  githubProvider,
  githubTrustPolicy,
  role,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';
import { auditOne, labelsOf } from './audit-helpers.js';

const GHES = 'github.acme-internal.example/_services/token';
const CUSTOM_AUD = 'https://github.com/acme-corp';

describe('PROVIDER_MISSING_STS_AUDIENCE', () => {
  it('is high when a role trusting the provider accepts sts.amazonaws.com', () => {
    // Prepare
    const provider = githubProvider({ clientIds: [CUSTOM_AUD] });
    const roles = [
      role('analytics', githubTrustPolicy('repo:acme-corp/a:*', { operator: 'StringLike' })),
    ];

    // Act
    const report = auditOne(roles, { providers: [provider] });

    // Assess
    expect(labelsOf(report)).toEqual([`${GITHUB_ISSUER} PROVIDER_MISSING_STS_AUDIENCE high`]);
    expect(report.findings[0]).toMatchObject({
      roleArn: null,
      providerArn: provider.arn,
      statement: null,
    });
    expect(report.findings[0]?.message).toContain(
      `lists client IDs "${CUSTOM_AUD}" but not "sts.amazonaws.com"`
    );
    expect(report.findings[0]?.message).toContain('which role analytics accepts');
    expect(report.findings[0]?.fix).toBe(
      `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id sts.amazonaws.com`
    );
  });

  it('is high for a role without an aud condition, low when every role requires another audience', () => {
    // Prepare
    const provider = githubProvider({ clientIds: [] });
    const noAud = [
      role(
        'open-aud',
        trustPolicy(
          webIdentityStatement({ condition: { StringLike: { [SUB_KEY]: 'repo:acme-corp/a:*' } } })
        )
      ),
    ];
    const otherAud = [
      role(
        'custom',
        githubTrustPolicy('repo:acme-corp/a:*', { operator: 'StringLike', aud: CUSTOM_AUD })
      ),
    ];

    // Act
    const high = auditOne(noAud, { providers: [provider] });
    const low = auditOne(otherAud, { providers: [provider] });

    // Assess
    expect(labelsOf(high)).toEqual([`${GITHUB_ISSUER} PROVIDER_MISSING_STS_AUDIENCE high`]);
    expect(high.findings[0]?.message).toContain('lists client IDs none');
    expect(labelsOf(low)).toEqual([`${GITHUB_ISSUER} PROVIDER_MISSING_STS_AUDIENCE low`]);
    expect(low.findings[0]?.message).toContain('workflows must set "audience:"');
  });

  it('is silent for a provider listing sts.amazonaws.com and for non-GitHub providers', () => {
    // Prepare
    const providers = [
      githubProvider(),
      githubProvider({ url: 'gitlab.com', clientIds: ['https://gitlab.com'] }),
    ];

    // Act
    const report = auditOne([], { providers });

    // Assess
    expect(report.findings).toEqual([]);
  });
});

describe('THUMBPRINT_ONLY_PROVIDER', () => {
  it("informs about issuers outside IAM's trusted root CAs (GHES, self-hosted)", () => {
    // Prepare
    const providers = [
      githubProvider({ url: GHES, thumbprints: ['0000000000000000000000000000000000000000'] }),
      githubProvider({
        url: 'gitlab.acme.example',
        clientIds: ['https://gitlab.acme.example'],
        thumbprints: [],
      }),
    ];

    // Act
    const report = auditOne([], { providers });

    // Assess
    expect(labelsOf(report)).toEqual([
      `${GHES} THUMBPRINT_ONLY_PROVIDER info`,
      'gitlab.acme.example THUMBPRINT_ONLY_PROVIDER info',
    ]);
    expect(report.findings[0]?.message).toContain(
      'only by the thumbprints (0000000000000000000000000000000000000000)'
    );
    expect(report.findings[1]?.message).toContain('only by the thumbprints (none)');
  });

  it('is silent for GitHub.com, enterprise slugs, GHE.com, GitLab.com, Google, Auth0 and AWS-hosted issuers', () => {
    // Prepare
    const urls = [
      GITHUB_ISSUER,
      `${GITHUB_ISSUER}/acme`,
      'token.actions.acme.ghe.com',
      'gitlab.com',
      'accounts.google.com',
      'acme.eu.auth0.com',
      'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    ];

    // Act
    const report = auditOne([], { providers: urls.map((url) => githubProvider({ url })) });

    // Assess
    expect(labelsOf(report, 'THUMBPRINT_ONLY_PROVIDER')).toEqual([]);
  });
});

describe('the audit runner', () => {
  it('reports an unreadable trust policy that mentions OIDC, and skips one that does not', () => {
    // Prepare
    const roles = [
      role('broken', `{"Statement": [{"Principal": {"Federated": "${providerArn()}"}`),
      role('other', '{not json'),
      role('misspelt', {
        Version: '2012-10-17',
        Statment: [{ Principal: { Federated: providerArn() } }],
      }),
      role('empty', null),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual([
      'broken TRUST_POLICY_UNREADABLE medium',
      'misspelt TRUST_POLICY_UNREADABLE medium',
    ]);
    expect(report.findings[0]?.message).toMatch(
      /^The trust policy mentions OIDC federation but cannot be read: trust policy is not JSON/
    );
    expect(report.findings[1]?.message).toBe(
      'The trust policy mentions OIDC federation but cannot be read: trust policy has no "Statement" element.'
    );
    expect(report.accounts[0]).toMatchObject({ roles: 4, oidcRoles: 2 });
  });

  it('audits only roles that trust an OIDC provider', () => {
    // Prepare
    const roles = [
      role(
        'chained',
        trustPolicy({
          Effect: 'Allow',
          Principal: { AWS: roleArn('gha-base') },
          Action: 'sts:AssumeRole',
        })
      ),
      role(
        'lambda',
        trustPolicy({
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        })
      ),
      role(
        'anyone',
        trustPolicy({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity' })
      ),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(report.accounts[0]).toMatchObject({
      account: ACCOUNT,
      roles: 3,
      oidcRoles: 1,
      providers: 1,
    });
    expect(labelsOf(report)).toEqual(['anyone OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION high']);
  });

  it('turns a check that throws into AUDIT_CHECK_FAILED and runs the others', () => {
    // Prepare
    const accounts = {
      [ACCOUNT]: {
        roles: [role('r', githubTrustPolicy('repo:acme-corp/r:*'))],
        oidcProviders: [githubProvider()],
      },
    };
    const boom = () => {
      throw new Error('boom');
    };
    const odd = () => {
      throw 'not an Error';
    };
    const checks = {
      roles: [
        { name: 'exploding', run: boom },
        { name: 'odd', run: odd },
        { name: 'fine', run: () => [] },
      ],
      providers: [{ name: 'exploding-provider', run: boom }],
    };

    // Act
    const report = auditAccounts(accounts, {}, checks);

    // Assess
    expect(
      report.findings.map((f) => [
        f.code,
        f.detail,
        f.roleArn === null ? 'provider' : 'role',
        f.message,
      ])
    ).toEqual([
      [
        'AUDIT_CHECK_FAILED',
        'exploding-provider',
        'provider',
        'The check "exploding-provider" failed: boom',
      ],
      ['AUDIT_CHECK_FAILED', 'exploding', 'role', 'The check "exploding" failed: boom'],
      ['AUDIT_CHECK_FAILED', 'odd', 'role', 'The check "odd" failed: not an Error'],
    ]);
  });

  it('orders accounts by id, providers before roles, roles by name, most severe first', () => {
    // Prepare
    const other = '222233334444';
    const accounts = {
      [other]: {
        roles: [
          role('z', githubTrustPolicy('repo:acme-corp/z:*', { account: other }), {
            account: other,
          }),
        ],
        oidcProviders: [],
      },
      [ACCOUNT]: {
        roles: [
          role(
            'b',
            trustPolicy(
              webIdentityStatement({
                condition: { StringEquals: { [AUD_KEY]: 'x', [SUB_KEY]: 'acme/b:*' } },
              })
            )
          ),
          role('a', githubTrustPolicy('repo:*', { operator: 'StringLike' })),
        ],
        oidcProviders: [githubProvider({ url: GHES })],
      },
    };

    // Act
    const report = auditAccounts(accounts);

    // Assess
    expect(report.accounts.map((a) => a.account)).toEqual([ACCOUNT, other]);
    expect(
      report.findings.map(
        (f) => `${f.account} ${f.roleArn?.split('/').pop() ?? 'provider'} ${f.code} ${f.severity}`
      )
    ).toEqual([
      `${ACCOUNT} provider THUMBPRINT_ONLY_PROVIDER info`,
      `${ACCOUNT} a MISSING_OIDC_PROVIDER high`,
      `${ACCOUNT} a OVER_PERMISSIVE_TRUST_POLICY high`,
      `${ACCOUNT} b MISSING_OIDC_PROVIDER high`,
      `${ACCOUNT} b LITERAL_WILDCARD medium`,
      `${ACCOUNT} b SUB_NEVER_MATCHES medium`,
      `${other} z MISSING_OIDC_PROVIDER high`,
      `${other} z LITERAL_WILDCARD medium`,
    ]);
  });
});

describe('severities', () => {
  it('parses names, compares against a threshold and counts', () => {
    // Prepare
    const report = auditOne([role('a', githubTrustPolicy('repo:*', { operator: 'StringLike' }))], {
      providers: [githubProvider(), githubProvider({ url: GHES })],
    });

    // Act
    const atHigh = findingsAtOrAbove(report, 'high');
    const atInfo = findingsAtOrAbove(report, 'info');

    // Assess
    expect([parseSeverity(' HIGH '), parseSeverity('info'), parseSeverity('critical')]).toEqual([
      'high',
      'info',
      null,
    ]);
    expect([
      isAtOrAbove('high', 'medium'),
      isAtOrAbove('low', 'medium'),
      isAtOrAbove('medium', 'medium'),
    ]).toEqual([true, false, true]);
    expect(atHigh.map((f) => f.code)).toEqual(['OVER_PERMISSIVE_TRUST_POLICY']);
    expect(atInfo).toHaveLength(2);
    expect(countBySeverity(report.findings)).toEqual({ high: 1, medium: 0, low: 0, info: 1 });
  });
});
