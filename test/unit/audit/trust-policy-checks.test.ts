/**
 * The audit's role checks (`src/domain/audit/checks/*`), each with the trust policies it flags and
 * the ones it leaves alone.
 */
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  GITHUB_ISSUER,
  providerArn,
  STS_AUDIENCE,
} from '../../helpers/cloudtrail-records.js';
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

const OTHER = '999988887777';
const SLUG = `${GITHUB_ISSUER}/acme`;
const GITLAB = 'gitlab.com';

describe('over-permissive trust (docs/causes.md findings)', () => {
  it('gives NO_SUB_CONDITION and WILDCARD_OWNER severity high, ForAllValues on sub (always sent) low', () => {
    // Prepare
    const roles = [
      role(
        'open',
        trustPolicy(
          webIdentityStatement({ condition: { StringEquals: { [AUD_KEY]: STS_AUDIENCE } } })
        )
      ),
      role('any-owner', githubTrustPolicy('repo:*/deploy:*', { operator: 'StringLike' })),
      role(
        'for-all',
        githubTrustPolicy('repo:acme-corp/x:*', { operator: 'ForAllValues:StringLike' })
      ),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual([
      'any-owner OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER high',
      'for-all OVER_PERMISSIVE_TRUST_POLICY/FOR_ALL_VALUES_IN_ALLOW low',
      'open OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION high',
    ]);
    expect(report.findings[0]?.reason).toMatch(
      /^Someone outside your repositories can assume the role\./
    );
  });

  it('gives FOREIGN_OWNER and LITERAL_WILDCARD severity medium', () => {
    // Prepare
    const roles = [
      role('a', githubTrustPolicy('repo:acme-corp/a:ref:refs/heads/main')),
      role('b', githubTrustPolicy('repo:acme-corp/b:ref:refs/heads/main')),
      role('vendor', githubTrustPolicy('repo:octo-org/sync:*', { operator: 'StringLike' })),
      role('literal', githubTrustPolicy('repo:acme-corp/tools:*')),
    ];

    // Act
    const report = auditOne(roles, { owners: ['acme-corp'] });

    // Assess
    expect(labelsOf(report)).toEqual([
      'literal LITERAL_WILDCARD medium',
      'vendor OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER medium',
    ]);
  });

  it('takes the owners from --owners and never infers them from other roles', () => {
    // Prepare
    const roles = [
      role('a', githubTrustPolicy('repo:acme-corp/a:ref:refs/heads/main')),
      role('b', githubTrustPolicy('repo:acme-corp/b:ref:refs/heads/main')),
      role('vendor', githubTrustPolicy('repo:octo-org/sync:*', { operator: 'StringLike' })),
    ];

    // Act
    const inferred = auditOne(roles);
    const given = auditOne(roles, { owners: ['acme-corp'] });

    // Assess
    expect(labelsOf(inferred)).toEqual([]);
    expect(labelsOf(given)).toEqual(['vendor OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER medium']);
  });

  it('finds nothing in a policy pinned to one repository and branch', () => {
    // Prepare
    const roles = [
      role('deploy', githubTrustPolicy('repo:acme-corp/api:ref:refs/heads/main')),
      role(
        'preview',
        githubTrustPolicy('repo:acme-corp/web:ref:refs/heads/*', { operator: 'StringLike' })
      ),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(report.findings).toEqual([]);
  });
});

describe('SUB_NEVER_MATCHES/NO_REPO_PREFIX', () => {
  it('flags GitHub sub values without "repo:" under StringEquals and StringLike', () => {
    // Prepare
    const roles = [
      role('equals', githubTrustPolicy('acme-corp/pages:ref:refs/heads/main')),
      role('like', githubTrustPolicy('acme-corp/pages:*', { operator: 'StringLike' })),
      role('bare', githubTrustPolicy('main')),
      role('typo', githubTrustPolicy('repos:acme-corp/pages:*', { operator: 'StringLike' })),
      role('escaped', githubTrustPolicy('${*}:acme-corp/pages:*', { operator: 'StringLike' })),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report, 'SUB_NEVER_MATCHES')).toEqual([
      'bare SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
      'equals SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
      'escaped SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
      'like SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
      'typo SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
    ]);
    expect(report.findings.find((f) => f.roleArn?.endsWith('/equals'))?.fix).toBe(
      'Write "repo:acme-corp/pages:ref:refs/heads/main".'
    );
    expect(report.findings.find((f) => f.roleArn?.endsWith('/bare'))?.fix).toBe(
      'Start the value with "repo:OWNER/REPO:".'
    );
  });

  it('accepts customised templates, context-first subjects and patterns that could still start right', () => {
    // Prepare
    const values = [
      'repository_owner:acme-corp:repository_visibility:private',
      'repository_id:123456',
      'repo_property_team:payments',
      'environment:prod',
      'pull_request',
      'REPO:acme-corp/x:*',
    ];
    const roles = [
      ...values.map((v, i) =>
        role(`custom-${i}`, githubTrustPolicy(v, { operator: 'StringLike' }))
      ),
      role('prefix', githubTrustPolicy('rep*', { operator: 'StringLike' })),
      role(
        'ignore-case',
        githubTrustPolicy('REPO:acme-corp/x:ref:refs/heads/main', {
          operator: 'StringEqualsIgnoreCase',
        })
      ),
      role('negated', githubTrustPolicy('acme-corp/x:*', { operator: 'StringNotLike' })),
      role(
        'gitlab',
        trustPolicy(
          webIdentityStatement({
            provider: providerArn(ACCOUNT, GITLAB),
            condition: { StringLike: { [`${GITLAB}:sub`]: 'project_path:acme-corp/x:*' } },
          })
        )
      ),
    ];

    // Act
    const report = auditOne(roles, {
      providers: [githubProvider(), githubProvider({ url: GITLAB })],
    });

    // Assess
    expect(labelsOf(report, 'SUB_NEVER_MATCHES')).toEqual([
      'custom-5 SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
    ]);
  });
});

describe('SUB_NEVER_MATCHES/OWNER_CASE', () => {
  it('flags an owner spelled in another case than most of the account spells it', () => {
    // Prepare
    const roles = [
      role('a', githubTrustPolicy('repo:acme-corp/a:ref:refs/heads/main')),
      role('b', githubTrustPolicy('repo:acme-corp/b:*', { operator: 'StringLike' })),
      role('infra', githubTrustPolicy('repo:Acme-Corp@41235811/infra:ref:refs/heads/main')),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual(['infra SUB_NEVER_MATCHES/OWNER_CASE medium']);
    expect(report.findings[0]?.message).toContain(
      'names owner "Acme-Corp", but this account\'s other roles spell it "acme-corp" (2 roles)'
    );
    expect(report.findings[0]?.fix).toBe(
      'Write "repo:acme-corp@41235811/infra:ref:refs/heads/main" (the owner as GitHub spells it).'
    );
  });

  it('takes the spelling from --owners when given', () => {
    // Prepare
    const roles = [
      role('a', githubTrustPolicy('repo:acme-corp/a:ref:refs/heads/main')),
      role('b', githubTrustPolicy('repo:Acme-Corp/b:ref:refs/heads/main')),
    ];

    // Act
    const report = auditOne(roles, { owners: ['Acme-Corp'] });

    // Assess
    expect(labelsOf(report)).toEqual(['a SUB_NEVER_MATCHES/OWNER_CASE medium']);
    expect(report.findings[0]?.message).toContain('--owners spells it "Acme-Corp"');
  });

  it('stays silent on a tie, one consistent spelling, wildcard owners and case-insensitive operators', () => {
    // Prepare
    const tie = [
      role('a', githubTrustPolicy('repo:acme-corp/a:ref:refs/heads/main')),
      role('b', githubTrustPolicy('repo:Acme-Corp/b:ref:refs/heads/main')),
    ];
    const others = [
      role('c', githubTrustPolicy('repo:acme-corp/c:ref:refs/heads/main')),
      role('d', githubTrustPolicy('repo:acme-corp/d:ref:refs/heads/main')),
      role(
        'e',
        githubTrustPolicy('repo:Acme-Corp/e:ref:refs/heads/main', {
          operator: 'StringEqualsIgnoreCase',
        })
      ),
      role('f', githubTrustPolicy('repo:Acme-*/f:*', { operator: 'StringLike' })),
    ];

    // Act
    const tied = auditOne(tie);
    const rest = auditOne(others);

    // Assess
    expect(labelsOf(tied, 'SUB_NEVER_MATCHES')).toEqual([]);
    expect(labelsOf(rest, 'SUB_NEVER_MATCHES')).toEqual([]);
  });
});

describe('CONDITION_KEY_PROVIDER_MISMATCH', () => {
  const slugProvider = githubProvider({ url: SLUG });

  it('flags default-issuer keys under an enterprise-slug provider (ENTERPRISE_SLUG), medium', () => {
    // Prepare
    const roles = [
      role(
        'enterprise',
        trustPolicy(
          webIdentityStatement({
            provider: slugProvider.arn,
            condition: {
              StringEquals: { [AUD_KEY]: STS_AUDIENCE },
              StringLike: { [SUB_KEY]: 'repo:acme-corp/x:*' },
            },
          })
        )
      ),
    ];

    // Act
    const report = auditOne(roles, { providers: [slugProvider] });

    // Assess
    expect(labelsOf(report)).toEqual([
      'enterprise CONDITION_KEY_PROVIDER_MISMATCH/ENTERPRISE_SLUG medium',
    ]);
    expect(report.findings[0]?.message).toContain(
      `conditions on "${AUD_KEY}", "${SUB_KEY}", keys of "${GITHUB_ISSUER}"`
    );
    expect(report.findings[0]?.fix).toContain(`"${SLUG}:…"`);
  });

  it("flags another issuer's keys (OTHER_PROVIDER), medium when the statement can never admit", () => {
    // Prepare
    const roles = [
      role(
        'mirror',
        trustPolicy(
          webIdentityStatement({
            condition: {
              StringEquals: { [AUD_KEY]: STS_AUDIENCE },
              StringLike: { [`${GITLAB}:sub`]: 'project_path:x/*' },
            },
          })
        )
      ),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual([
      'mirror CONDITION_KEY_PROVIDER_MISMATCH/OTHER_PROVIDER medium',
    ]);
  });

  it('is high when the foreign key disables a restriction: a negated Allow condition or a positive Deny one', () => {
    // Prepare
    const roles = [
      role(
        'allow-negated',
        trustPolicy(
          webIdentityStatement({
            condition: {
              StringLike: { [SUB_KEY]: 'repo:acme-corp/*' },
              StringNotLike: { [`${SLUG}:sub`]: 'repo:acme-corp/sandbox:*' },
            },
          })
        )
      ),
      role(
        'deny-positive',
        trustPolicy(
          webIdentityStatement({ condition: { StringLike: { [SUB_KEY]: 'repo:acme-corp/*' } } }),
          webIdentityStatement({
            sid: 'OnlyMain',
            effect: 'Deny',
            condition: { StringLike: { [`${SLUG}:sub`]: 'repo:acme-corp/*:pull_request' } },
          })
        )
      ),
      role(
        'deny-negated',
        trustPolicy(
          webIdentityStatement({ condition: { StringLike: { [SUB_KEY]: 'repo:acme-corp/*' } } }),
          webIdentityStatement({
            sid: 'OnlyMain',
            effect: 'Deny',
            condition: {
              StringNotLike: { [`${SLUG}:sub`]: 'repo:acme-corp/*:ref:refs/heads/main' },
            },
          })
        )
      ),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual([
      'allow-negated CONDITION_KEY_PROVIDER_MISMATCH/ENTERPRISE_SLUG high',
      'deny-negated CONDITION_KEY_PROVIDER_MISMATCH/ENTERPRISE_SLUG medium',
      'deny-positive CONDITION_KEY_PROVIDER_MISMATCH/ENTERPRISE_SLUG high',
    ]);
    expect(report.findings.map((f) => f.message.slice(f.message.lastIndexOf(': ') + 2))).toEqual([
      'a negated or IfExists condition on them always holds and restricts nothing.',
      'the conditions on them always hold, so the Deny applies to every token.',
      'a condition on them never holds, so the Deny never applies.',
    ]);
  });

  it("leaves the provider's own keys, global keys and keys of any provider the statement names alone", () => {
    // Prepare
    const roles = [
      role(
        'own',
        trustPolicy(
          webIdentityStatement({
            provider: [providerArn(ACCOUNT), providerArn(ACCOUNT, SLUG)] as unknown as string,
            condition: {
              StringEquals: {
                [AUD_KEY]: STS_AUDIENCE,
                [`${SLUG}:aud`]: STS_AUDIENCE,
                'aws:SourceIp': '10.0.0.1',
                Team: 'x',
              },
              StringLike: { [SUB_KEY]: 'repo:acme-corp/*', 'sts:RoleSessionName': 'gha-*' },
            },
          })
        )
      ),
    ];

    // Act
    const report = auditOne(roles, { providers: [githubProvider(), slugProvider] });

    // Assess
    expect(labelsOf(report)).toEqual([]);
  });
});

describe('WRONG_ACTION', () => {
  it('flags a provider trusted only for sts:AssumeRole', () => {
    // Prepare
    const roles = [
      role(
        'search',
        trustPolicy(
          webIdentityStatement({
            action: 'sts:AssumeRole',
            condition: { StringLike: { [SUB_KEY]: 'repo:acme-corp/s:*' } },
          })
        )
      ),
      role('no-action', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: providerArn() },
            Condition: { StringLike: { [SUB_KEY]: 'repo:acme-corp/s:*' } },
          },
        ],
      }),
      role('not-action', {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: providerArn() },
            NotAction: 'sts:AssumeRoleWith*',
            Condition: { StringLike: { [SUB_KEY]: 'repo:acme-corp/s:*' } },
          },
        ],
      }),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual([
      'no-action WRONG_ACTION medium',
      'not-action WRONG_ACTION medium',
      'search WRONG_ACTION medium',
    ]);
    expect(report.findings[0]?.message).toContain('but allows no action, not');
    expect(report.findings[2]?.message).toContain(
      'allows "sts:AssumeRole", not "sts:AssumeRoleWithWebIdentity"'
    );
    expect(report.findings[1]?.message).toContain('allows "NotAction sts:AssumeRoleWith*"');
  });

  it('accepts wildcard actions and a second statement that allows web identity', () => {
    // Prepare
    const sub = { StringLike: { [SUB_KEY]: 'repo:acme-corp/s:*' } };
    const roles = [
      role(
        'star',
        trustPolicy(webIdentityStatement({ action: 'sts:AssumeRoleWith*', condition: sub }))
      ),
      role(
        'two',
        trustPolicy(
          webIdentityStatement({ action: 'sts:TagSession', condition: sub }),
          webIdentityStatement({ sid: 'Web', condition: sub })
        )
      ),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report)).toEqual([]);
  });
});

describe('MISSING_OIDC_PROVIDER', () => {
  it('flags a provider of the account that does not exist, high, with the create command', () => {
    // Prepare
    const roles = [
      role(
        'staging',
        githubTrustPolicy('repo:acme-corp/x:*', {
          operator: 'StringLike',
          aud: 'https://github.com/acme-corp',
        })
      ),
    ];

    // Act
    const report = auditOne(roles, { providers: [] });

    // Assess
    expect(labelsOf(report)).toEqual(['staging MISSING_OIDC_PROVIDER high']);
    expect(report.findings[0]?.providerArn).toBe(providerArn());
    expect(report.findings[0]?.message).toContain('(it has none)');
    expect(report.findings[0]?.fix).toBe(
      `aws iam create-open-id-connect-provider --url https://${GITHUB_ISSUER} --client-id-list https://github.com/acme-corp`
    );
    expect(report.findings[0]?.reason).toContain('CloudTrail may never record');
  });

  it('names the providers the account has, and is silent when the trusted one exists', () => {
    // Prepare
    const roles = [role('x', githubTrustPolicy('repo:acme-corp/x:*', { operator: 'StringLike' }))];

    // Act
    const missing = auditOne(roles, { providers: [githubProvider({ url: GITLAB })] });
    const present = auditOne(roles);

    // Assess
    expect(missing.findings[0]?.message).toContain('(it has "gitlab.com")');
    expect(missing.findings[0]?.fix).toContain('--client-id-list sts.amazonaws.com');
    expect(labelsOf(present)).toEqual([]);
  });
});

describe('WRONG_PROVIDER_PRINCIPAL/OTHER_ACCOUNT', () => {
  it("flags a provider of another account and points to the account's own", () => {
    // Prepare
    const roles = [
      role(
        'copied',
        githubTrustPolicy('repo:acme-corp/m:*', { operator: 'StringLike', account: OTHER })
      ),
    ];

    // Act
    const withOwn = auditOne(roles);
    const withoutOwn = auditOne(roles, { providers: [] });

    // Assess
    expect(labelsOf(withOwn)).toEqual(['copied WRONG_PROVIDER_PRINCIPAL/OTHER_ACCOUNT medium']);
    expect(withOwn.findings[0]?.fix).toBe(`Set Principal.Federated to "${providerArn()}".`);
    expect(withoutOwn.findings[0]?.fix).toBe(
      `Set Principal.Federated to "${providerArn()}" and create that provider in the account.`
    );
    expect(labelsOf(withoutOwn)).toEqual(['copied WRONG_PROVIDER_PRINCIPAL/OTHER_ACCOUNT medium']);
  });

  it("is silent for the account's own provider", () => {
    // Prepare
    const roles = [
      role('own', githubTrustPolicy('repo:acme-corp/m:*', { operator: 'StringLike' })),
    ];

    // Act
    const report = auditOne(roles);

    // Assess
    expect(labelsOf(report, 'WRONG_PROVIDER_PRINCIPAL')).toEqual([]);
  });
});
