/**
 * `audit --github`'s pure part: which repositories a trust policy names, the findings GitHub's
 * answers give, the issuers a GitHub API serves, and where the findings go in the report.
 */
import { describe, expect, it } from 'vitest';
import type { AuditFinding, AuditReport } from '../../../src/domain/audit/audit-types.js';
import { mergeFindings } from '../../../src/domain/audit/github/merge-findings.js';
import {
  type RepositoryLookup,
  repositoryFindings,
} from '../../../src/domain/audit/github/repository-findings.js';
import {
  type RepositoryMention,
  repositoriesNamed,
} from '../../../src/domain/audit/github/repository-mentions.js';
import { servedIssuers } from '../../../src/domain/audit/github/served-issuers.js';
import { readTrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import { AUD_KEY, SUB_KEY, trustPolicy, webIdentityStatement } from '../../helpers/iam-view.js';

const GH = 'token.actions.githubusercontent.com';

function named(condition: Record<string, Record<string, string | string[]>>) {
  const read = readTrustPolicy(trustPolicy(webIdentityStatement({ condition })));
  if (!read.ok) throw new Error(read.reason);
  return repositoriesNamed(read.policy);
}

function mention(value: string, key = SUB_KEY): RepositoryMention {
  const found = named({ StringEquals: { [key]: value } }).mentions[0];
  if (found === undefined) throw new Error(`no mention in ${value}`);
  return found;
}

const found = (owner: string, name: string, id = '700', ownerId = '100'): RepositoryLookup => ({
  kind: 'found',
  id,
  owner,
  ownerId,
  name,
});

describe('repositoriesNamed', () => {
  it('reads the repo segment of sub values, the repository and repository_id keys', () => {
    // Act
    const { mentions } = named({
      StringEquals: {
        [AUD_KEY]: 'sts.amazonaws.com',
        [SUB_KEY]: [
          'repo:acme-corp/api:environment:production',
          'repo:acme-corp@100/web@701:ref:refs/heads/main',
        ],
        [`${GH}:repository`]: 'acme-corp/docs',
        [`${GH}:repository_id`]: '702',
      },
    });

    // Assess
    expect(mentions.map((m) => [m.segment, m.repository])).toEqual([
      ['acme-corp/api', { kind: 'name', owner: 'acme-corp', name: 'api' }],
      [
        'acme-corp@100/web@701',
        { kind: 'immutable', owner: 'acme-corp', ownerId: '100', name: 'web', repositoryId: '701' },
      ],
      ['acme-corp/docs', { kind: 'name', owner: 'acme-corp', name: 'docs' }],
      ['702', { kind: 'id', repositoryId: '702' }],
    ]);
    expect(mentions[0]).toMatchObject({ statement: '"GitHubActions"', issuer: GH });
  });

  it('counts patterns in the owner or the name instead of looking them up; a pattern after the repository is fine', () => {
    // Act
    const { mentions, unresolvable } = named({
      StringLike: {
        [SUB_KEY]: ['repo:*/api:*', 'repo:acme-corp/*', 'repo:acme-corp/api:ref:refs/heads/*'],
      },
    });

    // Assess
    expect(unresolvable.map((u) => u.wildcard)).toEqual(['owner', 'name']);
    expect(mentions.map((m) => m.segment)).toEqual(['acme-corp/api']);
  });

  it("ignores keys of other issuers than GitHub's and values that name no repository", () => {
    // Act
    const { mentions } = named({
      StringEquals: {
        'gitlab.com:sub': 'project_path:acme-corp/api:ref_type:branch:ref:main',
        [SUB_KEY]: ['acme-corp/pages:ref:refs/heads/main', 'repository_owner:acme-corp'],
      },
    });

    // Assess
    expect(mentions).toEqual([]);
  });
});

describe('repositoryFindings', () => {
  it('reports a renamed repository with the value to write, name-based and immutable', () => {
    // Prepare
    const m = mention('repo:acme-corp/reporting:environment:production');

    // Act
    const [finding, ...rest] = repositoryFindings(m, {
      byName: found('acme-corp', 'insights', '900', '100'),
    });

    // Assess
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'REPOSITORY_RENAMED',
      detail: null,
      severity: 'medium',
      statement: 'GitHubActions',
    });
    expect(finding?.message).toBe(
      `${SUB_KEY} StringEquals "repo:acme-corp/reporting:environment:production" names acme-corp/reporting, which GitHub now redirects to acme-corp/insights: the repository was renamed. GitHub writes the new name in the sub, so this value no longer matches its jobs; and the old name is free: a repository created again as acme-corp/reporting would be admitted.`
    );
    expect(finding?.fix).toBe(
      'Write "repo:acme-corp/insights:environment:production". GitHub issues immutable subjects (OWNER@ID/NAME@ID) to repositories renamed or transferred after 15 July 2026: if the job\'s sub has that form, write "repo:acme-corp@100/insights@900:environment:production" instead.'
    );
  });

  it('tells a transfer from a rename by the owner', () => {
    // Act
    const findings = repositoryFindings(mention('repo:acme-corp/docs:ref:refs/heads/main'), {
      byName: found('acme-docs', 'docs', '901', '200'),
    });

    // Assess
    expect(findings.map((f) => [f.code, f.fix.split('. ')[0]])).toEqual([
      ['REPOSITORY_TRANSFERRED', 'Write "repo:acme-docs/docs:ref:refs/heads/main"'],
    ]);
  });

  it('finds nothing when the repository is where the value says (its owner spelt in another case included)', () => {
    // Act
    const findings = repositoryFindings(mention('repo:Acme-Corp/api:ref:refs/heads/main'), {
      byName: found('acme-corp', 'api'),
    });

    // Assess
    expect(findings).toEqual([]);
  });

  it('says a repository is deleted when the credentials would see it, and not visible otherwise', () => {
    // Prepare
    const m = mention('repo:acme-corp/billing-v1:ref:refs/heads/main');

    // Act
    const deleted = repositoryFindings(m, {
      byName: { kind: 'missing', certainty: 'deleted', why: 'the installation sees all' },
      owner: { kind: 'found' },
    });
    const hidden = repositoryFindings(m, {
      byName: { kind: 'missing', certainty: 'unknown', why: 'a token sees what it was granted' },
      owner: { kind: 'found' },
    });

    // Assess
    expect(deleted.map((f) => `${f.code}/${f.detail} ${f.severity}`)).toEqual([
      'REPOSITORY_NOT_FOUND/DELETED medium',
    ]);
    expect(deleted[0]?.fix).toBe('Remove "repo:acme-corp/billing-v1:ref:refs/heads/main".');
    expect(hidden.map((f) => `${f.code}/${f.detail} ${f.severity}`)).toEqual([
      'REPOSITORY_NOT_FOUND/NOT_VISIBLE low',
    ]);
    expect(hidden[0]?.message).toContain('(a token sees what it was granted)');
  });

  it('rates an owner that no longer exists high: anyone can take the name', () => {
    // Act
    const findings = repositoryFindings(mention('repo:acme-old/api:ref:refs/heads/main'), {
      byName: { kind: 'missing', certainty: 'unknown', why: 'x' },
      owner: { kind: 'missing' },
    });

    // Assess
    expect(findings.map((f) => `${f.code}/${f.detail} ${f.severity}`)).toEqual([
      'REPOSITORY_NOT_FOUND/OWNER_NOT_FOUND high',
    ]);
  });

  it('reports an immutable subject renamed (same ids) and one whose name now has another id', () => {
    // Prepare
    const m = mention('repo:acme-corp@100/api@700:environment:production');

    // Act
    const renamed = repositoryFindings(m, { byId: found('acme-corp', 'api-v2', '700', '100') });
    const recreated = repositoryFindings(m, {
      byId: { kind: 'missing', certainty: 'deleted', why: 'x' },
      byName: found('acme-corp', 'api', '955', '100'),
    });

    // Assess
    expect(renamed.map((f) => [f.code, f.fix])).toEqual([
      ['REPOSITORY_RENAMED', 'Write "repo:acme-corp@100/api-v2@700:environment:production".'],
    ]);
    expect(recreated.map((f) => [f.code, f.fix])).toEqual([
      [
        'REPOSITORY_ID_MISMATCH',
        'If the new acme-corp/api should assume the role, write "repo:acme-corp@100/api@955:environment:production"; otherwise remove "repo:acme-corp@100/api@700:environment:production".',
      ],
    ]);
  });

  it('reports a repository GitHub did not answer for as unchecked, naming why', () => {
    // Act
    const findings = repositoryFindings(mention('repo:acme-corp/api:ref:refs/heads/main'), {
      byName: { kind: 'unchecked', detail: 'RATE_LIMITED', reason: 'rate limited until 16:00Z' },
    });

    // Assess
    expect(findings.map((f) => `${f.code}/${f.detail} ${f.severity} ${f.message}`)).toEqual([
      `REPOSITORY_UNCHECKED/RATE_LIMITED info ${SUB_KEY} StringEquals "repo:acme-corp/api:ref:refs/heads/main": GitHub was not asked about acme-corp/api: rate limited until 16:00Z`,
    ]);
  });
});

describe('servedIssuers', () => {
  it.each([
    ['https://api.github.com', GH, [GH, `${GH}/acme`], ['token.actions.acme.ghe.com']],
    [
      'https://api.octocorp.ghe.com',
      'token.actions.octocorp.ghe.com',
      ['token.actions.octocorp.ghe.com'],
      [GH],
    ],
    [
      'https://github.example.com/api/v3',
      'github.example.com/_services/token',
      ['github.example.com/_services/token'],
      [GH],
    ],
  ])('%s serves %s', (api, issuer, served, other) => {
    // Act
    const s = servedIssuers(api);

    // Assess
    expect(s.issuer).toBe(issuer);
    expect(served.map(s.serves)).toEqual(served.map(() => true));
    expect(other.map(s.serves)).toEqual(other.map(() => false));
  });
});

describe('mergeFindings', () => {
  const finding = (
    roleArn: string | null,
    code: AuditFinding['code'],
    severity: AuditFinding['severity']
  ): AuditFinding => ({
    account: '111122223333',
    roleArn,
    providerArn: null,
    code,
    detail: null,
    severity,
    statement: null,
    message: '',
    reason: '',
    fix: '',
  });

  it('puts each finding under its role, roles by name, most severe first, and recounts', () => {
    // Prepare
    const role = (name: string) => `arn:aws:iam::111122223333:role/${name}`;
    const report: AuditReport = {
      accounts: [{ account: '111122223333', roles: 3, oidcRoles: 3, providers: 1, findings: 2 }],
      findings: [
        finding(null, 'THUMBPRINT_ONLY_PROVIDER', 'info'),
        finding(role('web'), 'LITERAL_WILDCARD', 'medium'),
      ],
    };

    // Act
    const merged = mergeFindings(report, [
      finding(role('web'), 'REPOSITORY_NOT_FOUND', 'high'),
      finding(role('api'), 'REPOSITORY_RENAMED', 'medium'),
    ]);

    // Assess
    expect(
      merged.findings.map((f) => `${f.roleArn?.split('/')[1] ?? 'provider'} ${f.code}`)
    ).toEqual([
      'provider THUMBPRINT_ONLY_PROVIDER',
      'api REPOSITORY_RENAMED',
      'web REPOSITORY_NOT_FOUND',
      'web LITERAL_WILDCARD',
    ]);
    expect(merged.accounts[0]?.findings).toBe(4);
  });
});
