/**
 * SUB_MISMATCH: the trust policy's `sub` condition (or a condition on a claim `sub` proves)
 * rejects the recorded `sub`. One `describe` per detail of docs/causes.md, each with the job it is
 * about and the neighbouring job it is not; the fix is the smallest change: the recorded value
 * itself, never a wider pattern.
 */
import { describe, expect, it } from 'vitest';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  diagnose,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

/** Classifies a denied call of `sub` to role `name` whose trust policy is `policy`. */
function deniedWith(sub: string, name: string, policy: unknown) {
  return diagnose(
    failedWebIdentityRecord({ sub, role: name }),
    iamView({ role: role(name, policy) })
  );
}

describe('SUB_MISMATCH/BRANCH', () => {
  const policy = githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main');

  it('classifies a job on a branch the policy does not list as SUB_MISMATCH/BRANCH', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:ref:refs/heads/feature/retry-logic';

    // Act
    const d = deniedWith(sub, 'payments-deploy', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.explanation).toContain(
      'allows token.actions.githubusercontent.com:sub StringEquals "repo:acme-corp/payments-api:ref:refs/heads/main"'
    );
    expect(d.explanation).toContain(
      'the job runs on refs/heads/feature/retry-logic, a branch the policy does not list'
    );
    expect(d.fix).toBe(
      `Add "${sub}" to StringEquals["token.actions.githubusercontent.com:sub"] in statement "GitHubActions" (it admits refs/heads/feature/retry-logic of acme-corp/payments-api only).`
    );
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.verified).toBe(true);
    expect(d.remedy?.blastRadius?.scope).toBe('call');
    expect(d.remedy?.edits).toEqual([
      {
        statement: '"GitHubActions"',
        element: 'Condition',
        operator: 'StringEquals',
        key: SUB_KEY,
        added: [sub],
        removed: [],
      },
    ]);
    expect(d.repository).toBe('acme-corp/payments-api');
  });

  it('adds exactly the branch sub, never a repository-wide pattern', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:ref:refs/heads/release/2026.11';

    // Act
    const d = deniedWith(sub, 'payments-deploy', policy);

    // Assess
    expect(d.detail).toBe('BRANCH');
    expect(d.fix).toContain(`"${sub}"`);
    expect(d.fix).not.toContain('*');
    expect(d.fix).not.toContain('repo:acme-corp/payments-api:ref:refs/heads/"');
  });

  it('classifies a failing ref condition (a 2026 claim key) as SUB_MISMATCH/BRANCH', () => {
    // Prepare
    const refPolicy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: {
            [AUD_KEY]: 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:ref': 'refs/heads/main',
          },
          StringLike: { [SUB_KEY]: 'repo:acme-corp/payments-api:*' },
        },
      })
    );

    // Act
    const d = deniedWith(
      'repo:acme-corp/payments-api:ref:refs/heads/hotfix',
      'payments-deploy',
      refPolicy
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.explanation).toContain(
      'requires StringEquals token.actions.githubusercontent.com:ref "refs/heads/main"'
    );
    expect(d.explanation).toContain('the job\'s ref is "refs/heads/hotfix" (from its sub)');
    expect(d.fix).toContain(
      'add "refs/heads/hotfix" to StringEquals["token.actions.githubusercontent.com:ref"]'
    );
  });

  it('does not report the branch the policy lists as a SUB_MISMATCH', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'payments-deploy', policy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
    expect(d.detail).toBeNull();
  });
});

describe('SUB_MISMATCH/TAG', () => {
  const policy = githubTrustPolicy('repo:acme-corp/cli:ref:refs/tags/v*', {
    operator: 'StringLike',
  });

  it('classifies a tag the pattern does not admit as SUB_MISMATCH/TAG', () => {
    // Prepare
    const sub = 'repo:acme-corp/cli:ref:refs/tags/release-2026.11';

    // Act
    const d = deniedWith(sub, 'cli-release', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'TAG']);
    expect(d.explanation).toContain(
      'the job runs on tag refs/tags/release-2026.11, which the policy does not list'
    );
    // A release tag is new with every release: a pattern of the repository's tags, not the one tag.
    expect(d.fix).toContain(
      'add the pattern "repo:acme-corp/cli:ref:refs/tags/release-*" to StringLike["token.actions.githubusercontent.com:sub"]'
    );
    expect(d.remedy?.edits[0]?.added).toEqual(['repo:acme-corp/cli:ref:refs/tags/release-*']);
    expect(d.remedy?.blastRadius?.scope).toBe('call');
  });

  it('admits a tag the pattern matches', () => {
    // Prepare
    const sub = 'repo:acme-corp/cli:ref:refs/tags/v2.3.0';

    // Act
    const d = deniedWith(sub, 'cli-release', policy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });

  it('calls a branch job against a tag-only policy BRANCH, not TAG', () => {
    // Prepare
    const sub = 'repo:acme-corp/cli:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'cli-release', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
  });
});

describe('SUB_MISMATCH/PULL_REQUEST', () => {
  const policy = githubTrustPolicy('repo:acme-corp/web:ref:refs/heads/*', {
    operator: 'StringLike',
  });

  it('classifies a pull_request run against a branch policy as SUB_MISMATCH/PULL_REQUEST', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:pull_request';

    // Act
    const d = deniedWith(sub, 'web-preview', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'PULL_REQUEST']);
    expect(d.explanation).toContain(
      'the job runs for a pull_request event, whose sub carries "pull_request" instead of a ref'
    );
    expect(d.fix).toContain(
      'If pull_request runs of acme-corp/web should assume this role, add "repo:acme-corp/web:pull_request" to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions" (it admits every pull_request run of that repository, whoever opened it); otherwise assume the role only from push or environment jobs.'
    );
  });

  it('admits a push to a branch under the same policy', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:ref:refs/heads/feature/nav';

    // Act
    const d = deniedWith(sub, 'web-preview', policy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('SUB_MISMATCH/ENVIRONMENT_FORM', () => {
  const policy = githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main');

  it('classifies a job that declares an environment as SUB_MISMATCH/ENVIRONMENT_FORM', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:environment:production';

    // Act
    const d = deniedWith(sub, 'payments-deploy', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'ENVIRONMENT_FORM']);
    expect(d.explanation).toContain(
      'the job declares `environment: production`, so its sub names the environment instead of the ref'
    );
    expect(d.fix).toBe(
      `Add "${sub}" to StringEquals["token.actions.githubusercontent.com:sub"] in statement "GitHubActions": the job declares \`environment: production\`, so its sub names the environment instead of the ref.`
    );
    expect(d.remedy?.verified).toBe(true);
  });

  it('decodes %3A in the environment name for the explanation and keeps it encoded in the fix', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:environment:prod%3Aeu';

    // Act
    const d = deniedWith(sub, 'payments-deploy', policy);

    // Assess
    expect(d.detail).toBe('ENVIRONMENT_FORM');
    expect(d.explanation).toContain('`environment: prod:eu`');
    expect(d.fix).toContain(`"${sub}"`);
  });

  it('does not call a branch job ENVIRONMENT_FORM', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments-api:ref:refs/heads/dev';

    // Act
    const d = deniedWith(sub, 'payments-deploy', policy);

    // Assess
    expect(d.detail).toBe('BRANCH');
  });
});

describe('SUB_MISMATCH/WRONG_ENVIRONMENT', () => {
  const policy = githubTrustPolicy('repo:acme-corp/web:environment:staging', {
    operator: 'StringLike',
  });

  it('classifies an environment the policy does not list as SUB_MISMATCH/WRONG_ENVIRONMENT', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:environment:production';

    // Act
    const d = deniedWith(sub, 'web-deploy', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'WRONG_ENVIRONMENT']);
    expect(d.explanation).toContain(
      'the job\'s environment "production" is not one the policy lists'
    );
    expect(d.fix).toBe(
      'Add "repo:acme-corp/web:environment:production" to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions" (environment production of acme-corp/web only).'
    );
  });

  it('classifies a failing environment condition (a 2026 claim key) as WRONG_ENVIRONMENT', () => {
    // Prepare
    const envPolicy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: {
            [AUD_KEY]: 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:environment': 'production',
          },
          StringLike: { [SUB_KEY]: 'repo:acme-corp/web:*' },
        },
      })
    );

    // Act
    const d = deniedWith('repo:acme-corp/web:environment:staging', 'web-deploy', envPolicy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'WRONG_ENVIRONMENT']);
    expect(d.explanation).toContain('the job\'s environment is "staging" (from its sub)');
  });

  it('escapes * and ? of the recorded environment in the value it adds to a StringLike', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:environment:qa?';

    // Act
    const d = deniedWith(sub, 'web-deploy', policy);

    // Assess
    expect(d.detail).toBe('WRONG_ENVIRONMENT');
    expect(d.fix).toBe(
      'Add "repo:acme-corp/web:environment:qa${?}" to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions" (environment qa? of acme-corp/web only).'
    );
  });

  it('admits the environment the policy lists', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:environment:staging';

    // Act
    const d = deniedWith(sub, 'web-deploy', policy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('SUB_MISMATCH/CASE', () => {
  const policy = githubTrustPolicy('repo:Acme-Corp/infra:ref:refs/heads/main');

  it('classifies a sub that differs only in letter case as SUB_MISMATCH/CASE', () => {
    // Prepare
    const sub = 'repo:acme-corp/infra:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'infra-deploy', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CASE']);
    expect(d.explanation).toContain('IAM compares sub case-sensitively');
    expect(d.fix).toBe(
      'Add "repo:acme-corp/infra:ref:refs/heads/main" beside "repo:Acme-Corp/infra:ref:refs/heads/main" in StringEquals["token.actions.githubusercontent.com:sub"] in statement "GitHubActions": GitHub spells "acme-corp/infra" this way and IAM compares sub case-sensitively. The existing value stays, so nothing it admits is taken away.'
    );
  });

  it('admits the sub written in the same case', () => {
    // Prepare
    const sub = 'repo:acme-corp/infra:ref:refs/heads/main';

    // Act
    const d = deniedWith(
      sub,
      'infra-deploy',
      githubTrustPolicy('repo:acme-corp/infra:ref:refs/heads/main')
    );

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('SUB_MISMATCH/IMMUTABLE_FORMAT', () => {
  const policy = githubTrustPolicy('repo:acme-corp/billing-service:*', { operator: 'StringLike' });
  const sub = 'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main';

  it('classifies an immutable owner@id/repo@id sub against a name-based policy as IMMUTABLE_FORMAT', () => {
    // Prepare
    const roleName = 'billing-deploy';

    // Act
    const d = deniedWith(sub, roleName, policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'IMMUTABLE_FORMAT']);
    expect(d.explanation).toContain(
      '(name-based: "repo:acme-corp/billing-service:ref:refs/heads/main")'
    );
    // The same pattern pinned by ids, beside the name-based one: every ref of the repository, as before.
    expect(d.fix).toContain(
      'Add "repo:acme-corp@41235811/billing-service@998877665:*" beside "repo:acme-corp/billing-service:*" in StringLike["token.actions.githubusercontent.com:sub"]'
    );
    expect(d.remedy?.edits[0]?.added).toEqual([
      'repo:acme-corp@41235811/billing-service@998877665:*',
    ]);
    expect(d.remedy?.blastRadius?.scope).toBe('repository');
    expect(d.remedy?.verified).toBe(true);
    expect(d.repository).toBe('acme-corp/billing-service');
  });

  it('admits the immutable sub when the policy is written with ids', () => {
    // Prepare
    const roleName = 'billing-deploy';

    // Act
    const d = deniedWith(
      sub,
      roleName,
      githubTrustPolicy('repo:acme-corp@41235811/billing-service@998877665:*', {
        operator: 'StringLike',
      })
    );

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });

  it('classifies a name-based sub against a policy pinned by ids as IMMUTABLE_FORMAT, not REPOSITORY', () => {
    // Prepare
    const pinned = githubTrustPolicy('repo:acme-corp@41235811/billing-service@998877665:*', {
      operator: 'StringLike',
    });

    // Act
    const d = deniedWith(
      'repo:acme-corp/billing-service:ref:refs/heads/main',
      'billing-deploy',
      pinned
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'IMMUTABLE_FORMAT']);
    expect(d.explanation).toContain('the policy pins the repository by id (owner@ID/repo@ID)');
    expect(d.explanation).not.toContain('name-based: "');
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.fix).toContain(
      'Opt acme-corp/billing-service in to immutable subject claims so its tokens carry the ids statement "GitHubActions" pins: gh api -X PUT repos/acme-corp/billing-service/actions/oidc/customization/sub -F use_immutable_subject=true. Adding the name-based sub would undo the pin.'
    );
  });

  it('classifies another branch of a repository pinned by ids as BRANCH', () => {
    // Prepare
    const pinned = githubTrustPolicy(
      'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main'
    );

    // Act
    const d = deniedWith(
      'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/dev',
      'billing-deploy',
      pinned
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.fix).toBe(
      'Add "repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/dev" to StringEquals["token.actions.githubusercontent.com:sub"] in statement "GitHubActions" (it admits refs/heads/dev of acme-corp/billing-service only).'
    );
  });

  it('classifies a repository re-created under the same name (new id) as REPOSITORY', () => {
    // Prepare
    const jobSub = 'repo:acme-corp@41235811/billing-service@100200300:ref:refs/heads/main';

    // Act
    const d = deniedWith(
      jobSub,
      'billing-deploy',
      githubTrustPolicy('repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main')
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'REPOSITORY']);
  });

  it('admits the name-based sub under the name-based policy', () => {
    // Prepare
    const jobSub = 'repo:acme-corp/billing-service:ref:refs/heads/main';

    // Act
    const d = deniedWith(jobSub, 'billing-deploy', policy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('SUB_MISMATCH/CUSTOM_TEMPLATE', () => {
  const customPolicy = githubTrustPolicy(
    'repo:acme-corp/api:environment:prod:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main'
  );

  it('classifies a default sub against a policy written for a custom template as CUSTOM_TEMPLATE', () => {
    // Prepare
    const sub = 'repo:acme-corp/api:environment:prod';

    // Act
    const d = deniedWith(sub, 'api-deploy', customPolicy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CUSTOM_TEMPLATE']);
    expect(d.explanation).toContain('customised OIDC subject template');
    expect(d.fix).toContain(
      `Statement "GitHubActions" expects subjects built from the template ["repo","context","job_workflow_ref"], and acme-corp/api's tokens use another: set the repository's template to it (gh api -X PUT repos/acme-corp/api/actions/oidc/customization/sub --input - with {"use_default":false,"include_claim_keys":["repo","context","job_workflow_ref"]}), and run the job through the workflow the policy pins (job_workflow_ref acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main).`
    );
    // The policy pins a shared workflow: the job's own workflow is never added.
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.remedy?.verified).toBe(true);
  });

  it('classifies a custom-template sub against a default-form policy as CUSTOM_TEMPLATE', () => {
    // Prepare
    const sub =
      'repo:acme-corp/api:environment:prod:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main';

    // Act
    const d = deniedWith(
      sub,
      'api-deploy',
      githubTrustPolicy('repo:acme-corp/api:environment:prod')
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CUSTOM_TEMPLATE']);
  });

  it('classifies a template with other keys (repository_owner:…:repository_visibility) as CUSTOM_TEMPLATE', () => {
    // Prepare
    const sub = 'repository_owner:acme-corp:repository_visibility:private';

    // Act
    const d = deniedWith(
      sub,
      'api-deploy',
      githubTrustPolicy('repo:acme-corp/api:ref:refs/heads/main')
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CUSTOM_TEMPLATE']);
  });

  it('admits the custom-template sub the policy was written for', () => {
    // Prepare
    const sub =
      'repo:acme-corp/api:environment:prod:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main';

    // Act
    const d = deniedWith(sub, 'api-deploy', customPolicy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('SUB_MISMATCH/REPOSITORY', () => {
  const policy = githubTrustPolicy('repo:acme-corp/data-pipeline:*', { operator: 'StringLike' });

  it('classifies a job of another repository as SUB_MISMATCH/REPOSITORY', () => {
    // Prepare
    const sub = 'repo:acme-corp/analytics:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'data-pipeline', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'REPOSITORY']);
    expect(d.explanation).toContain(
      'the job runs in acme-corp/analytics, which the policy does not name'
    );
    expect(d.fix).toBe(
      'If acme-corp/analytics should use this role, add "repo:acme-corp/analytics:ref:refs/heads/main" to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions"; otherwise point `role-to-assume` of aws-actions/configure-aws-credentials at the role meant for it.'
    );
  });

  it('names the nearest allowed value when the policy lists several repositories', () => {
    // Prepare
    const several = githubTrustPolicy(
      [
        'repo:acme-corp/ledger:ref:refs/heads/main',
        'repo:acme-corp/payments-api:ref:refs/heads/main',
      ],
      { operator: 'StringEquals' }
    );

    // Act
    const d = deniedWith(
      'repo:acme-corp/payments-api:ref:refs/heads/dev',
      'shared-deploy',
      several
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.explanation).toContain(
      '"repo:acme-corp/ledger:ref:refs/heads/main" or "repo:acme-corp/payments-api:ref:refs/heads/main"'
    );
  });

  it('admits a job of the repository the pattern names', () => {
    // Prepare
    const sub = 'repo:acme-corp/data-pipeline:pull_request';

    // Act
    const d = deniedWith(sub, 'data-pipeline', policy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('SUB_MISMATCH/OTHER', () => {
  it('classifies a * under StringEquals (matched literally) as SUB_MISMATCH/OTHER and moves it to StringLike', () => {
    // Prepare
    const sub = 'repo:acme-corp/tools:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'tools-deploy', githubTrustPolicy('repo:acme-corp/tools:*'));

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'OTHER']);
    expect(d.explanation).toContain(
      'StringEquals compares the * or ? in "repo:acme-corp/tools:*" literally'
    );
    expect(d.fix).toBe(
      'Move "repo:acme-corp/tools:*" from StringEquals to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions": StringEquals compares its * and ? literally, StringLike treats them as wildcards.'
    );
  });

  it('classifies an EKS service account the policy does not list as SUB_MISMATCH/OTHER', () => {
    // Prepare
    const eks = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const policy = trustPolicy(
      webIdentityStatement({
        sid: 'EksServiceAccount',
        provider: `arn:aws:iam::111122223333:oidc-provider/${eks}`,
        condition: {
          StringEquals: {
            [`${eks}:aud`]: 'sts.amazonaws.com',
            [`${eks}:sub`]: 'system:serviceaccount:kube-system:external-dns',
          },
        },
      })
    );
    const record = failedWebIdentityRecord({
      sub: 'system:serviceaccount:kube-system:external-dns-v2',
      issuerUrl: eks,
      role: 'eks-external-dns',
      roleSessionName: 'botocore-session-1795876382',
    });

    // Act
    const d = diagnose(
      record,
      iamView({
        role: role('eks-external-dns', policy),
        providers: [
          {
            arn: `arn:aws:iam::111122223333:oidc-provider/${eks}`,
            url: eks,
            clientIds: ['sts.amazonaws.com'],
            thumbprints: [],
          },
        ],
      })
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'OTHER']);
    expect(d.fix).toBe(
      `Add "system:serviceaccount:kube-system:external-dns-v2" to StringEquals["${eks}:sub"] in statement "EksServiceAccount".`
    );
  });

  it('classifies a sub with an unusual ref (refs/pull/…/merge) as SUB_MISMATCH/OTHER', () => {
    // Prepare
    const sub = 'repo:acme-corp/web:ref:refs/pull/42/merge';

    // Act
    const d = deniedWith(
      sub,
      'web-deploy',
      githubTrustPolicy('repo:acme-corp/web:ref:refs/heads/main')
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'OTHER']);
    expect(d.fix).toContain('Add "repo:acme-corp/web:ref:refs/pull/42/merge"');
  });
});

describe('SUB_MISMATCH detail when two things differ', () => {
  it('calls a repository named in other letter case CASE even when the branch differs too', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:Acme-Corp/infra:ref:refs/heads/main');

    // Act
    const d = deniedWith('repo:acme-corp/infra:ref:refs/heads/dev', 'infra-deploy', policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'CASE']);
  });

  it('calls a GitLab job on a branch the policy does not list BRANCH, and another project REPOSITORY', () => {
    // Prepare
    const provider = 'arn:aws:iam::111122223333:oidc-provider/gitlab.com';
    const policy = trustPolicy(
      webIdentityStatement({
        provider,
        condition: {
          StringEquals: {
            'gitlab.com:sub': 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
          },
        },
      })
    );
    const view = iamView({
      role: role('gitlab-deploy', policy),
      providers: [githubProvider({ url: 'gitlab.com', clientIds: ['https://gitlab.com'] })],
    });
    const denied = (sub: string) =>
      diagnose(
        failedWebIdentityRecord({
          sub,
          role: 'gitlab-deploy',
          issuerUrl: 'gitlab.com',
          aud: 'https://gitlab.com',
        }),
        view
      );

    // Act
    const branch = denied('project_path:acme-corp/platform/api:ref_type:branch:ref:feature-x');
    const tag = denied('project_path:acme-corp/platform/api:ref_type:tag:ref:v1.0.0');
    const other = denied('project_path:acme-corp/platform/web:ref_type:branch:ref:main');

    // Assess
    expect([branch.cause, branch.detail, tag.detail, other.detail]).toEqual([
      'SUB_MISMATCH',
      'BRANCH',
      'TAG',
      'REPOSITORY',
    ]);
  });
});
