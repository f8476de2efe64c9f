/**
 * Remedies of `SUB_MISMATCH` on realistic records, one `describe` per case where the obvious fix
 * is wrong (issue 10): each checks the remedy's kind, its edits, what the patched policy admits and
 * what it does not, and that nothing is loosened where the policy excludes the job on purpose.
 */
import { describe, expect, it } from 'vitest';
import {
  AUD_KEY,
  githubTrustPolicy,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';
import { deniedBy, patchedDecision } from './remedy-helpers.js';

const AUD = { [AUD_KEY]: 'sts.amazonaws.com' };

describe('an owner-wide pattern in another letter case', () => {
  const policy = githubTrustPolicy('repo:my-org/*:ref:refs/heads/main', { operator: 'StringLike' });

  it("adds the owner-wide pattern in GitHub's spelling beside the old one, never the one repository in its place", () => {
    // Prepare
    const sub = 'repo:My-Org/api:ref:refs/heads/main';

    // Act
    const d = deniedBy(policy, { sub, role: 'org-deploy' });

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CASE']);
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.edits).toEqual([
      {
        statement: '"GitHubActions"',
        element: 'Condition',
        operator: 'StringLike',
        key: SUB_KEY,
        added: ['repo:My-Org/*:ref:refs/heads/main'],
        removed: [],
      },
    ]);
    expect(JSON.stringify(d.remedy?.policy)).toContain('"repo:my-org/*:ref:refs/heads/main"');
    // Every other repository of the owner keeps working under the patched policy.
    expect(patchedDecision(d.remedy, { sub: 'repo:My-Org/web:ref:refs/heads/main' })).toBe('allow');
    expect(d.remedy?.blastRadius?.scope).toBe('owner');
    expect(d.remedy?.blastRadius?.ownerAdmitted).toBe(true);
    expect(d.remedy?.verified).toBe(true);
  });
});

describe('StringEqualsIgnoreCase', () => {
  const policy = githubTrustPolicy('repo:Acme-Corp/portal:ref:refs/heads/main', {
    operator: 'StringEqualsIgnoreCase',
  });

  it('names the branch, not the case, and adds the branch to the same operator', () => {
    // Prepare
    const sub = 'repo:acme-corp/portal:ref:refs/heads/develop';

    // Act
    const d = deniedBy(policy, { sub, role: 'portal-deploy' });

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.explanation).not.toContain('case');
    expect(d.remedy?.edits[0]).toMatchObject({
      operator: 'StringEqualsIgnoreCase',
      added: [sub],
      removed: [],
    });
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/portal:ref:refs/heads/main' })).toBe(
      'allow'
    );
  });
});

describe('negated operators in an Allow', () => {
  const policy = trustPolicy(
    webIdentityStatement({
      condition: {
        StringEquals: AUD,
        StringLike: { [SUB_KEY]: 'repo:acme-corp/*' },
        StringNotLike: { [SUB_KEY]: 'repo:acme-corp/*:environment:production' },
      },
    })
  );

  it('says the statement excludes the job on purpose and adds nothing to the exclusion', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:environment:production';

    // Act
    const d = deniedBy(policy, { sub, role: 'preview-sandbox' });

    // Assess
    expect(d.cause).toBe('SUB_MISMATCH');
    expect(d.explanation).toContain('NOT one of StringNotLike');
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.remedy?.statement).toBe('"GitHubActions"');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.remedy?.policy).toBeNull();
    expect(d.fix).not.toMatch(/\badd "/i);
  });

  it('treats StringNotEquals on a claim the sub proves the same way', () => {
    // Prepare
    const excludes = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          StringLike: { [SUB_KEY]: 'repo:acme-corp/portal:*' },
          StringNotEquals: { 'token.actions.githubusercontent.com:environment': 'production' },
        },
      })
    );

    // Act
    const d = deniedBy(excludes, {
      sub: 'repo:acme-corp/portal:environment:production',
      role: 'portal-staging',
    });

    // Assess
    expect(d.explanation).toContain(
      'requires token.actions.githubusercontent.com:environment NOT to match "production" (StringNotEquals)'
    );
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.fix).not.toContain('must be');
  });
});

describe('Null conditions', () => {
  it('asks a job without an environment to declare one, never "environment: false"', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          StringLike: { [SUB_KEY]: 'repo:acme-corp/portal:*' },
          Null: { 'token.actions.githubusercontent.com:environment': 'false' },
        },
      })
    );

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/portal:ref:refs/heads/main',
      role: 'portal-env',
    });

    // Assess
    expect(d.explanation).toContain('environment to be present (Null "false")');
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.fix).toContain('Declare the environment');
    expect(d.fix).not.toContain('environment: false');
  });

  it('calls a Null "true" on a claim the job has a deliberate exclusion', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          StringLike: { [SUB_KEY]: 'repo:acme-corp/portal:*' },
          Null: { 'token.actions.githubusercontent.com:environment': 'true' },
        },
      })
    );

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/portal:environment:staging',
      role: 'portal-ci',
    });

    // Assess
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.remedy?.edits).toEqual([]);
  });
});

describe('…IfExists conditions', () => {
  it("says the condition applies when the token has the claim, and adds the job's value to it", () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          StringLike: { [SUB_KEY]: 'repo:acme-corp/portal:*' },
          StringEqualsIfExists: { 'token.actions.githubusercontent.com:environment': 'production' },
        },
      })
    );

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/portal:environment:staging',
      role: 'portal-deploy',
    });

    // Assess
    expect(d.explanation).toContain(
      'requires StringEqualsIfExists token.actions.githubusercontent.com:environment "production" when the token has the claim'
    );
    expect(d.remedy?.edits[0]).toMatchObject({
      operator: 'StringEqualsIfExists',
      added: ['staging'],
    });
    expect(d.remedy?.verified).toBe(true);
  });
});

describe('ForAnyValue and ForAllValues conditions', () => {
  it.each([
    ['ForAnyValue:StringEquals', 'one of the values the token has'],
    ['ForAllValues:StringEquals', 'every value the token has'],
  ])('says what %s asks in words, and adds the value under the same operator', (op, words) => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: AUD,
          StringLike: { [SUB_KEY]: 'repo:acme-corp/portal:*' },
          [op]: { 'token.actions.githubusercontent.com:environment': ['production'] },
        },
      })
    );

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/portal:environment:staging',
      role: 'portal-deploy',
    });

    // Assess
    expect(d.explanation).toContain(
      `requires ${op} token.actions.githubusercontent.com:environment "production" (${words})`
    );
    expect(d.remedy?.edits[0]).toMatchObject({ operator: op, added: ['staging'], removed: [] });
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/portal:environment:production' })).toBe(
      'allow'
    );
    expect(d.remedy?.verified).toBe(true);
  });
});

describe('custom sub templates, compared claim by claim', () => {
  const pinned =
    'repo:acme-corp/release:environment:prod:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main';
  const policy = githubTrustPolicy(pinned);

  it("calls a different job_workflow_ref a pinned workflow, not a wrong environment, and never adds the job's own workflow", () => {
    // Prepare
    const sub =
      'repo:acme-corp/release:environment:prod:job_workflow_ref:acme-corp/release/.github/workflows/hotfix.yml@refs/heads/main';

    // Act
    const d = deniedBy(policy, { sub, role: 'release-deploy' });

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CUSTOM_TEMPLATE']);
    expect(d.explanation).toContain('a pinned claim (job_workflow_ref) differs');
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.fix).toContain('uses: acme-corp/workflows/.github/workflows/deploy.yml@main');
  });

  it("adds the job's sub when only the environment differs under the same template", () => {
    // Prepare
    const sub =
      'repo:acme-corp/release:environment:staging:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main';

    // Act
    const d = deniedBy(policy, { sub, role: 'release-deploy' });

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'WRONG_ENVIRONMENT']);
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.edits[0]?.added).toEqual([sub]);
    expect(d.remedy?.blastRadius?.scope).toBe('call');
  });
});

describe('short-lived refs', () => {
  it('admits merge-queue runs with a StringLike pattern of the repository, never the one ref', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:acme-corp/monorepo:ref:refs/heads/main');
    const sub =
      'repo:acme-corp/monorepo:ref:refs/heads/gh-readonly-queue/main/pr-4821-3f9c2d7e8a1b4c6d9e0f1a2b3c4d5e6f7a8b9c0d';

    // Act
    const d = deniedBy(policy, { sub, role: 'monorepo-ci' });

    // Assess
    expect(d.detail).toBe('BRANCH');
    const added = d.remedy?.edits.flatMap((e) => e.added) ?? [];
    expect(added).toContain('repo:acme-corp/monorepo:ref:refs/heads/gh-readonly-queue/main/*');
    expect(added).not.toContain(sub);
    // The next merge-queue run (another PR, another sha) is admitted; another branch is not.
    expect(
      patchedDecision(d.remedy, {
        sub: 'repo:acme-corp/monorepo:ref:refs/heads/gh-readonly-queue/main/pr-4822-0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3',
      })
    ).toBe('allow');
    expect(
      patchedDecision(d.remedy, { sub: 'repo:acme-corp/monorepo:ref:refs/heads/feature' })
    ).toBe('implicit-deny');
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/monorepo:ref:refs/heads/main' })).toBe(
      'allow'
    );
    expect(d.fix).toContain("if: github.event_name != 'merge_group'");
  });

  it("admits release tags with a pattern of the repository's version tags", () => {
    // Prepare
    const policy = githubTrustPolicy('repo:acme-corp/web:ref:refs/heads/*', {
      operator: 'StringLike',
    });

    // Act
    const d = deniedBy(policy, { sub: 'repo:acme-corp/web:ref:refs/tags/v2.3.0', role: 'web' });

    // Assess
    expect(d.remedy?.edits[0]?.added).toEqual(['repo:acme-corp/web:ref:refs/tags/v*']);
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/web:ref:refs/tags/v2.4.0' })).toBe(
      'allow'
    );
    expect(patchedDecision(d.remedy, { sub: 'repo:other-org/web:ref:refs/tags/v2.4.0' })).toBe(
      'implicit-deny'
    );
  });
});

describe('a re-created or transferred repository (immutable subject, new id)', () => {
  it('says the policy pins the old id, and adds the new one only with a warning', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:acme-corp@41235811/ledger-v2@555000111:*', {
      operator: 'StringLike',
    });
    const sub = 'repo:acme-corp@41235811/ledger-v2@555000999:ref:refs/heads/main';

    // Act
    const d = deniedBy(policy, { sub, role: 'ledger-v2-deploy' });

    // Assess
    expect(d.explanation).toContain('re-created or transferred');
    expect(d.explanation).not.toContain('which the policy does not name');
    expect(d.remedy?.edits[0]?.added).toEqual(['repo:acme-corp@41235811/ledger-v2@555000999:*']);
    expect(d.fix).toContain('Only if that repository is yours');
    expect(d.remedy?.blastRadius?.scope).toBe('repository');
  });
});

describe('several statements', () => {
  it('names each statement with its own operator', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        sid: 'MainBranch',
        condition: {
          StringEquals: { ...AUD, [SUB_KEY]: 'repo:acme-corp/storefront:ref:refs/heads/main' },
        },
      }),
      webIdentityStatement({
        sid: 'ReleaseBranches',
        condition: {
          StringEquals: AUD,
          StringLike: { [SUB_KEY]: 'repo:acme-corp/storefront:ref:refs/heads/release/*' },
        },
      })
    );

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/storefront:ref:refs/heads/hotfix/total',
      role: 'storefront-deploy',
    });

    // Assess
    expect(d.explanation).toContain(
      'statement "MainBranch": token.actions.githubusercontent.com:sub StringEquals "repo:acme-corp/storefront:ref:refs/heads/main"; statement "ReleaseBranches": token.actions.githubusercontent.com:sub StringLike "repo:acme-corp/storefront:ref:refs/heads/release/*"'
    );
  });
});

describe("a patch wider than the job's repository", () => {
  it('is not offered: a literal "repo:*" under StringEquals is not moved to StringLike', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:*');

    // Act
    const d = deniedBy(policy, { sub: 'repo:acme-corp/tools:ref:refs/heads/main', role: 'tools' });

    // Assess
    expect(d.remedy?.kind).not.toBe('trust-policy');
    expect(d.remedy?.policy).toBeNull();
    expect(d.remedy?.declined?.blastRadius?.scope).toBe('wider');
    expect(d.remedy?.declined?.problems.join(' ')).toContain('a repository of another owner');
    expect(d.fix).toContain('No trust-policy change is offered');
  });

  it('is not offered when it adds an owner outside the configured owners (FOREIGN_OWNER)', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:acme-corp/analytics:*', { operator: 'StringLike' });

    // Act
    const d = deniedBy(
      policy,
      { sub: 'repo:contractor-co/etl:ref:refs/heads/main', role: 'data-pipeline' },
      { knownOwners: ['acme-corp'] }
    );

    // Assess
    expect(d.detail).toBe('REPOSITORY');
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.remedy?.declined?.problems.join(' ')).toContain('FOREIGN_OWNER');
  });
});

describe('explanation size', () => {
  it('summarises a policy of 100,000 values with counts, and offers no patch above the size quota', () => {
    // Prepare
    const values = Array.from(
      { length: 100_000 },
      (_, i) => `repo:acme-corp/svc-${i}:ref:refs/heads/main`
    );
    const policy = githubTrustPolicy(values);

    // Act
    const d = deniedBy(policy, { sub: 'repo:acme-corp/svc-7:ref:refs/heads/dev', role: 'many' });

    // Assess
    expect(d.explanation.length).toBeLessThan(2_000);
    expect(d.explanation).toContain('99,995 more');
    expect(d.remedy?.policy).toBeNull();
    expect(d.remedy?.declined?.problems.join(' ')).toContain(
      'above the largest quota IAM grants (4,096'
    );
    // The --json line and the log line carry no trace: they stay small whatever the policy.
    expect(JSON.stringify({ ...d, trace: undefined }).length).toBeLessThan(20_000);
  });
});
