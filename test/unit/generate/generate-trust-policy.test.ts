/**
 * The trust-policy generator (`oidcwatch policy`, `GitHubOidcRole`): for every option, the policy it
 * writes, what our evaluator answers for real-shaped job tokens written here (not by the
 * generator), and the audit's verdict; the options it refuses; and that its checks do fail on a
 * policy that admits too much.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditAccounts } from '../../../src/domain/audit/audit.js';
import { OidcwatchError } from '../../../src/domain/errors.js';
import { generateTrustPolicy } from '../../../src/domain/generate/generate-trust-policy.js';
import type { PolicyOptions } from '../../../src/domain/generate/policy-request.js';
import { readPolicyRequest } from '../../../src/domain/generate/read-policy-request.js';
import { verifyTrustPolicy } from '../../../src/domain/generate/verify-trust-policy.js';
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import {
  GITHUB_CONDITION_CLAIMS,
  tokenClaimsRequest,
} from '../../../src/domain/policy/token-claims-request.js';
import { type JobSpec, jobClaims } from '../../helpers/github-oidc-token.js';

const ACCOUNT = '111122223333';
const GH = 'token.actions.githubusercontent.com';
const GH_PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GH}`;

/** What our evaluator answers for a job's token presented to `providerArn`. */
function decide(
  document: unknown,
  claims: Record<string, unknown>,
  providerArn = GH_PROVIDER,
  issuerUrl = GH,
  conditionClaims: readonly string[] = GITHUB_CONDITION_CLAIMS
): string {
  const read = readTrustPolicy(document);
  if (!read.ok) throw new Error(read.reason);
  return evaluateTrustPolicy(
    read.policy,
    tokenClaimsRequest({ providerArn, issuerUrl, claims, conditionClaims })
  ).decision;
}

/** A github.com job's token. */
function job(spec: Omit<JobSpec, 'iss'>): Record<string, unknown> {
  return jobClaims({ iss: `https://${GH}`, ...spec });
}

/** The audit's findings on a role with `document` as its trust policy (provider present). */
function auditFindings(document: unknown, providerArn = GH_PROVIDER, url = GH): string[] {
  const report = auditAccounts({
    [ACCOUNT]: {
      roles: [{ arn: `arn:aws:iam::${ACCOUNT}:role/generated`, trustPolicy: document }],
      oidcProviders: [{ arn: providerArn, url, clientIds: ['sts.amazonaws.com'], thumbprints: [] }],
    },
  });
  return report.findings.map((f) => `${f.code}/${f.detail}`);
}

function refused(options: PolicyOptions): OidcwatchError {
  try {
    generateTrustPolicy(options);
  } catch (e) {
    if (e instanceof OidcwatchError) return e;
    throw e;
  }
  throw new Error('the options were accepted');
}

describe('generateTrustPolicy: one repository, one environment', () => {
  const options: PolicyOptions = {
    repositories: ['acme-corp/api'],
    environments: ['production'],
    account: ACCOUNT,
  };

  it('writes one Allow statement: the provider, the action, aud and sub exactly', () => {
    // Act
    const { document } = generateTrustPolicy(options);

    // Assess
    expect(document).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitHubActions',
          Effect: 'Allow',
          Principal: { Federated: GH_PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${GH}:aud`]: 'sts.amazonaws.com',
              [`${GH}:sub`]: 'repo:acme-corp/api:environment:production',
            },
          },
        },
      ],
    });
  });

  it('admits the production job of acme-corp/api and nothing next to it', () => {
    // Prepare
    const { document } = generateTrustPolicy(options);

    // Act
    const answers = {
      asked: decide(document, job({ repository: 'acme-corp/api', environment: 'production' })),
      staging: decide(document, job({ repository: 'acme-corp/api', environment: 'staging' })),
      noEnvironment: decide(document, job({ repository: 'acme-corp/api' })),
      pullRequest: decide(
        document,
        job({ repository: 'acme-corp/api', eventName: 'pull_request' })
      ),
      sibling: decide(document, job({ repository: 'acme-corp/api2', environment: 'production' })),
      otherOwner: decide(document, job({ repository: 'acme-org/api', environment: 'production' })),
      ownerCase: decide(document, job({ repository: 'Acme-Corp/api', environment: 'production' })),
      githubDefaultAud: decide(
        document,
        job({
          repository: 'acme-corp/api',
          environment: 'production',
          aud: 'https://github.com/acme-corp',
        })
      ),
      otherAccount: decide(
        document,
        job({ repository: 'acme-corp/api', environment: 'production' }),
        GH_PROVIDER.replace(ACCOUNT, '444455556666')
      ),
    };

    // Assess
    expect(answers).toEqual({
      asked: 'allow',
      staging: 'implicit-deny',
      noEnvironment: 'implicit-deny',
      pullRequest: 'implicit-deny',
      sibling: 'implicit-deny',
      otherOwner: 'implicit-deny',
      ownerCase: 'implicit-deny',
      githubDefaultAud: 'implicit-deny',
      otherAccount: 'implicit-deny',
    });
  });

  it('reports the probes it tried, every one answered as expected, and no audit finding', () => {
    // Act
    const { verification, document } = generateTrustPolicy(options);

    // Assess
    expect(verification.results.map((r) => `${r.decision} ${r.probe.label}`)).toEqual([
      'allow asked',
      'implicit-deny another repository of acme-corp',
      'implicit-deny another owner',
      'implicit-deny a pull request',
      'implicit-deny another environment',
      'implicit-deny a job on main without environment',
      'implicit-deny another audience',
      "implicit-deny another account's OIDC provider",
    ]);
    expect(verification.results.every((r) => r.ok)).toBe(true);
    expect(verification.findings).toEqual([]);
    expect(auditFindings(document)).toEqual([]);
    expect(verification.length).toBe(JSON.stringify(document).length);
    expect(verification.needsQuotaIncrease).toBe(false);
  });
});

describe('generateTrustPolicy: branches, tags and several repositories', () => {
  const options: PolicyOptions = {
    repositories: ['acme-corp/api', 'acme-corp/web'],
    branches: ['main', 'refs/heads/release/*'],
    tags: ['v*'],
    account: ACCOUNT,
  };

  it('lists every repository × ref under StringLike (a pattern makes the whole key a pattern)', () => {
    // Act
    const { document } = generateTrustPolicy(options);

    // Assess
    expect(document.Statement[0]?.Condition).toEqual({
      StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' },
      StringLike: {
        [`${GH}:sub`]: [
          'repo:acme-corp/api:ref:refs/heads/main',
          'repo:acme-corp/api:ref:refs/heads/release/*',
          'repo:acme-corp/api:ref:refs/tags/v*',
          'repo:acme-corp/web:ref:refs/heads/main',
          'repo:acme-corp/web:ref:refs/heads/release/*',
          'repo:acme-corp/web:ref:refs/tags/v*',
        ],
      },
    });
  });

  it('admits the named refs of both repositories, denies other refs, environments and pull requests', () => {
    // Prepare
    const { document } = generateTrustPolicy(options);
    const on = (repository: string, ref: string, more: Partial<JobSpec> = {}) =>
      decide(document, job({ repository, ref, ...more }));

    // Act
    const answers = [
      on('acme-corp/web', 'refs/heads/main'),
      on('acme-corp/api', 'refs/heads/release/2026.11'),
      on('acme-corp/api', 'refs/tags/v1.4.0'),
      on('acme-corp/api', 'refs/heads/feature/x'),
      on('acme-corp/api', 'refs/tags/nightly'),
      on('acme-corp/api', 'refs/heads/main', { environment: 'production' }),
      on('acme-corp/api', 'refs/pull/7/merge', { eventName: 'pull_request' }),
      on('acme-corp/docs', 'refs/heads/main'),
    ];

    // Assess
    expect(answers).toEqual([
      'allow',
      'allow',
      'allow',
      'implicit-deny',
      'implicit-deny',
      'implicit-deny',
      'implicit-deny',
      'implicit-deny',
    ]);
    expect(auditFindings(document)).toEqual([]);
  });

  it('skips the "another branch" probe when every branch is asked for, and says nothing false', () => {
    // Act
    const { verification } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      branches: ['*'],
      account: ACCOUNT,
    });

    // Assess
    const labels = verification.results.map((r) => r.probe.label);
    expect(labels).not.toContain('another branch');
    expect(labels).toContain('a tag');
    expect(verification.results.every((r) => r.ok)).toBe(true);
  });
});

describe('generateTrustPolicy: a pinned workflow', () => {
  const WORKFLOW = 'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main';

  it('conditions on job_workflow_ref for github.com: only jobs running that workflow at that ref', () => {
    // Prepare
    const { document } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      environments: ['production'],
      workflow: WORKFLOW,
      account: ACCOUNT,
    });
    const run = (jobWorkflowRef: string) =>
      decide(
        document,
        job({ repository: 'acme-corp/api', environment: 'production', jobWorkflowRef })
      );

    // Act
    const answers = [
      run(WORKFLOW),
      run('acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/feature'),
      run('acme-corp/api/.github/workflows/deploy.yml@refs/heads/main'),
    ];

    // Assess
    expect(document.Statement[0]?.Condition.StringEquals).toEqual({
      [`${GH}:aud`]: 'sts.amazonaws.com',
      [`${GH}:sub`]: 'repo:acme-corp/api:environment:production',
      [`${GH}:job_workflow_ref`]: WORKFLOW,
    });
    expect(answers).toEqual(['allow', 'implicit-deny', 'implicit-deny']);
  });

  it('puts job_workflow_ref in the sub for a customised template (GHE.com), and pins it there', () => {
    // Prepare
    const issuer = 'token.actions.acme.ghe.com';
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer}`;
    const { document } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      environments: ['production'],
      workflow: WORKFLOW,
      subTemplate: ['repo', 'context', 'job_workflow_ref'],
      issuer: `https://${issuer}`,
      account: ACCOUNT,
    });
    const sub = (ref: string) =>
      `repo:acme-corp/api:environment:production:job_workflow_ref:${ref}`;
    const token = (ref: string) =>
      jobClaims({
        iss: `https://${issuer}`,
        repository: 'acme-corp/api',
        environment: 'production',
        jobWorkflowRef: ref,
        sub: sub(ref),
      });

    // Act
    const pinned = decide(document, token(WORKFLOW), provider, issuer, ['aud', 'sub']);
    const other = decide(
      document,
      token('acme-corp/api/.github/workflows/x.yml@refs/heads/main'),
      provider,
      issuer,
      ['aud', 'sub']
    );

    // Assess
    expect(document.Statement[0]).toMatchObject({
      Sid: 'GitHubEnterpriseActions',
      Principal: { Federated: provider },
      Condition: { StringEquals: { [`${issuer}:sub`]: sub(WORKFLOW) } },
    });
    expect([pinned, other]).toEqual(['allow', 'implicit-deny']);
    expect(auditFindings(document, provider, issuer)).toEqual([]);
  });
});

describe('generateTrustPolicy: issuers', () => {
  it('keys the conditions on the enterprise issuer for an enterprise slug', () => {
    // Act
    const { document } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      branches: ['main'],
      issuer: `${GH}/acme`,
      account: ACCOUNT,
    });

    // Assess
    expect(document.Statement[0]?.Principal.Federated).toBe(
      `arn:aws:iam::${ACCOUNT}:oidc-provider/${GH}/acme`
    );
    expect(Object.keys(document.Statement[0]?.Condition.StringEquals ?? {})).toEqual([
      `${GH}/acme:aud`,
      `${GH}/acme:sub`,
    ]);
  });

  it('trusts a GHES host by its /_services/token issuer', () => {
    // Prepare
    const issuer = 'github.acme-internal.example/_services/token';

    // Act
    const { document, verification } = generateTrustPolicy({
      repositories: ['platform/deployer'],
      tags: ['v*'],
      issuer: `https://${issuer}`,
      account: ACCOUNT,
    });

    // Assess
    expect(document.Statement[0]?.Condition).toEqual({
      StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
      StringLike: { [`${issuer}:sub`]: 'repo:platform/deployer:ref:refs/tags/v*' },
    });
    expect(verification.findings).toEqual([]);
  });

  it('writes GitLab subjects (project_path, ref_type, ref) with https://gitlab.com as the audience', () => {
    // Prepare
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`;
    const token = (sub: string) => ({ aud: 'https://gitlab.com', sub });

    // Act
    const { document } = generateTrustPolicy({
      repositories: ['acme-corp/platform/api'],
      branches: ['main'],
      issuer: 'gitlab',
      account: ACCOUNT,
    });

    // Assess
    expect(document.Statement[0]).toMatchObject({
      Sid: 'GitLabCI',
      Principal: { Federated: provider },
      Condition: {
        StringEquals: {
          'gitlab.com:aud': 'https://gitlab.com',
          'gitlab.com:sub': 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
        },
      },
    });
    const answer = (sub: string) =>
      decide(document, token(sub), provider, 'gitlab.com', ['aud', 'sub']);
    expect(answer('project_path:acme-corp/platform/api:ref_type:branch:ref:main')).toBe('allow');
    expect(answer('project_path:acme-corp/platform/api:ref_type:tag:ref:main')).toBe(
      'implicit-deny'
    );
    expect(answer('project_path:acme-corp/platform/web:ref_type:branch:ref:main')).toBe(
      'implicit-deny'
    );
  });
});

describe('generateTrustPolicy: audience and partition', () => {
  it('requires the audience asked for, and denies the default one', () => {
    // Prepare
    const audience = 'https://github.com/acme-corp';

    // Act
    const { document, verification } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      environments: ['production'],
      audience: 'sts.amazonaws.com/acme',
      account: ACCOUNT,
    });
    const custom = decide(
      document,
      job({ repository: 'acme-corp/api', environment: 'production', aud: 'sts.amazonaws.com/acme' })
    );
    const standard = decide(
      document,
      job({ repository: 'acme-corp/api', environment: 'production' })
    );

    // Assess
    expect(document.Statement[0]?.Condition.StringEquals?.[`${GH}:aud`]).toBe(
      'sts.amazonaws.com/acme'
    );
    expect([custom, standard]).toEqual(['allow', 'implicit-deny']);
    expect(
      verification.results.find((r) => r.probe.label === 'another audience')?.probe.claims.aud
    ).toBe(audience);
  });

  it('writes the provider ARN in the partition asked for', () => {
    // Act
    const { document, verification } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      environments: ['production'],
      account: ACCOUNT,
      partition: 'aws-cn',
    });

    // Assess
    expect(document.Statement[0]?.Principal.Federated).toBe(
      `arn:aws-cn:iam::${ACCOUNT}:oidc-provider/${GH}`
    );
    expect(verification.problems).toEqual([]);
  });
});

describe('generateTrustPolicy: immutable subjects', () => {
  it('names the repository by its ids: a repository recreated under the same name is denied', () => {
    // Prepare
    const options: PolicyOptions = {
      repositories: ['acme-corp@190000001/api@820000002'],
      environments: ['production'],
      account: ACCOUNT,
    };

    // Act
    const { document, verification } = generateTrustPolicy(options);
    const immutable = decide(
      document,
      job({ repository: 'acme-corp/api', environment: 'production', immutable: true })
    );
    const recreated = decide(
      document,
      job({
        repository: 'acme-corp/api',
        environment: 'production',
        sub: 'repo:acme-corp@190000001/api@820000099:environment:production',
      })
    );
    const nameBased = decide(
      document,
      job({ repository: 'acme-corp/api', environment: 'production' })
    );

    // Assess
    expect(document.Statement[0]?.Condition.StringEquals?.[`${GH}:sub`]).toBe(
      'repo:acme-corp@190000001/api@820000002:environment:production'
    );
    expect([immutable, recreated, nameBased]).toEqual(['allow', 'implicit-deny', 'implicit-deny']);
    expect(verification.results.map((r) => r.probe.label)).toContain(
      'acme-corp/api deleted and created again (new id)'
    );
    expect(verification.findings).toEqual([]);
  });
});

describe('generateTrustPolicy: values IAM would read otherwise', () => {
  it('escapes ":" as %3A and a literal "${" as ${$}{, and still admits the job', () => {
    // Prepare
    const environment = 'prod:eu-${region}';

    // Act
    const { document } = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      environments: [environment],
      account: ACCOUNT,
    });

    // Assess
    expect(document.Statement[0]?.Condition.StringEquals?.[`${GH}:sub`]).toBe(
      'repo:acme-corp/api:environment:prod%3Aeu-${$}{region}'
    );
    expect(
      decide(
        document,
        job({
          repository: 'acme-corp/api',
          environment,
          sub: 'repo:acme-corp/api:environment:prod%3Aeu-${region}',
        })
      )
    ).toBe('allow');
  });

  it("says when the policy needs IAM's trust-policy length quota raised", () => {
    // Act
    const { verification } = generateTrustPolicy({
      repositories: Array.from({ length: 20 }, (_, i) => `acme-corp/service-${i}`),
      environments: ['production', 'staging'],
      account: ACCOUNT,
    });

    // Assess
    expect(verification.length).toBeGreaterThan(2048);
    expect(verification.needsQuotaIncrease).toBe(true);
  });

  it('refuses a policy longer than the quota can ever be raised to', () => {
    // Act
    const error = refused({
      repositories: Array.from({ length: 60 }, (_, i) => `acme-corp/service-${i}`),
      environments: ['production', 'staging', 'development'],
      account: ACCOUNT,
    });

    // Assess
    expect(error.code).toBe('ERR_POLICY_CHECK_FAILED');
    expect(error.message).toMatch(
      /more than IAM's 8192-character maximum for a trust policy: split the repositories over several roles$/
    );
  });
});

describe('generateTrustPolicy: refused options', () => {
  const base: PolicyOptions = { repositories: ['acme-corp/api'], environments: ['production'] };

  it.each([
    [
      'a wildcard owner',
      { ...base, repositories: ['*/api'] },
      '--repo "*/api": wildcards admit repositories nobody reviewed (an owner wildcard admits any owner\'s); name each repository',
    ],
    [
      'a wildcard repository name',
      { ...base, repositories: ['acme-corp/*'] },
      '--repo "acme-corp/*": wildcards admit repositories nobody reviewed (an owner wildcard admits any owner\'s); name each repository',
    ],
    [
      'a repository without owner',
      { ...base, repositories: ['api'] },
      '--repo "api" must be OWNER/NAME (or OWNER@OWNER_ID/NAME@REPO_ID)',
    ],
    [
      'an environment and a branch together',
      { ...base, branches: ['main'] },
      'give --environment, or --branch/--tag, not both: a job that declares an environment has no ref in its sub, so one statement cannot require both. Limit the environment to branches with its deployment branch rules on GitHub instead.',
    ],
    [
      'no environment, branch or tag',
      { repositories: ['acme-corp/api'] },
      'say which jobs may assume the role: --environment NAME, or --branch/--tag PATTERN (a role every ref of a repository can assume is what focused roles avoid)',
    ],
    [
      'an environment for GitLab',
      { repositories: ['acme-corp/api'], environments: ['production'], issuer: 'gitlab' },
      "--environment: GitLab's sub carries no environment; use --branch or --tag (protect the branch)",
    ],
    [
      'a workflow pin STS does not evaluate for a GHE.com issuer',
      {
        ...base,
        issuer: 'token.actions.acme.ghe.com',
        workflow: 'acme-corp/w/.github/workflows/d.yml@refs/heads/main',
      },
      '--workflow: STS is documented to evaluate job_workflow_ref only for token.actions.githubusercontent.com, not for token.actions.acme.ghe.com. Put it in the sub instead: customise the repository\'s sub template to ["repo","context","job_workflow_ref"] and pass --sub-template repo,context,job_workflow_ref.',
    ],
    [
      'a workflow ref that is not a full ref',
      { ...base, workflow: 'acme-corp/w/.github/workflows/d.yml@main' },
      '--workflow "acme-corp/w/.github/workflows/d.yml@main": the ref after "@" must be a full ref (refs/heads/main, refs/tags/main) or a commit SHA, as job_workflow_ref carries it',
    ],
    [
      'a sub template with job_workflow_ref but no workflow',
      { ...base, subTemplate: ['repo', 'context', 'job_workflow_ref'] },
      '--sub-template includes job_workflow_ref: give --workflow',
    ],
    [
      'immutable subjects without ids',
      { ...base, immutable: true },
      "immutable subjects need every repository's ids: give --repo acme-corp@OWNER_ID/api@REPO_ID (or a GitHub token to look them up)",
    ],
    [
      'immutable subjects on GHES',
      {
        ...base,
        repositories: ['acme-corp@1/api@2'],
        issuer: 'github.example.com/_services/token',
      },
      'immutable subjects (OWNER@ID/NAME@ID) are not issued by GitHub Enterprise Server',
    ],
    [
      'an account that is not 12 digits',
      { ...base, account: '1111-2222-3333' },
      '--account "1111-2222-3333" must be a 12-digit AWS account id',
    ],
    [
      'an issuer that is neither GitHub nor GitLab',
      { ...base, issuer: 'github.example.com' },
      '--issuer "github.example.com" is not a GitHub or GitLab issuer. Give github (token.actions.githubusercontent.com), token.actions.githubusercontent.com/ENTERPRISE_SLUG, token.actions.SUBDOMAIN.ghe.com, HOST/_services/token (GitHub Enterprise Server), gitlab or a GitLab host.',
    ],
  ] as const)('refuses %s, saying what to give', (_, options, message) => {
    // Act
    const error = refused(options);

    // Assess
    expect(error.code).toBe('ERR_POLICY_REQUEST_INVALID');
    expect(error.message).toBe(message);
  });
});

describe('verifyTrustPolicy: the checks fail on a policy that admits too much', () => {
  it('reports the probes a wildcard owner admits, and the audit finding', () => {
    // Prepare
    const request = readPolicyRequest({
      repositories: ['acme-corp/api'],
      environments: ['production'],
      account: ACCOUNT,
    });
    const broad = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: GH_PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GH}:sub`]: 'repo:*/api:*' },
          },
        },
      ],
    };

    // Act
    const verification = verifyTrustPolicy(broad, request);

    // Assess
    expect(verification.problems).toEqual([
      'it does not deny another owner (sub "repo:acme-corp-probe/api:environment:production"): allow',
      'it does not deny a pull request (sub "repo:acme-corp/api:pull_request"): allow',
      'it does not deny another environment (sub "repo:acme-corp/api:environment:oidcwatch-probe"): allow',
      'it does not deny a job on main without environment (sub "repo:acme-corp/api:ref:refs/heads/main"): allow',
      expect.stringMatching(/^audit: OVER_PERMISSIVE_TRUST_POLICY\/WILDCARD_OWNER: /),
    ]);
  });

  it('reports a policy that does not admit the job asked for', () => {
    // Prepare
    const request = readPolicyRequest({
      repositories: ['acme-corp/api'],
      environments: ['production'],
      account: ACCOUNT,
    });
    const narrow = generateTrustPolicy({
      repositories: ['acme-corp/api'],
      environments: ['staging'],
      account: ACCOUNT,
    }).document;

    // Act
    const verification = verifyTrustPolicy(narrow, request);

    // Assess
    expect(verification.problems[0]).toBe(
      'it does not admit the job asked for (sub "repo:acme-corp/api:environment:production"): implicit-deny'
    );
  });
});

describe('generateTrustPolicy: any repositories and refs', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);
  const ref = fc.stringMatching(/^[a-z][a-z0-9_-]{0,5}(\/[a-z0-9_-]{1,5})?\*?$/);

  it('admits every asked job, denies every probe and has no audit finding', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(name, name), { minLength: 1, maxLength: 4 }),
        fc.uniqueArray(ref, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (repos, refs, asEnvironments) => {
          // Act
          const { verification } = generateTrustPolicy({
            repositories: repos.map(([o, n]) => `${o}/${n}`),
            ...(asEnvironments ? { environments: refs } : { branches: refs }),
            account: ACCOUNT,
          });

          // Assess
          expect(verification.problems).toEqual([]);
          expect(verification.results.every((r) => r.ok)).toBe(true);
        }
      ),
      { numRuns: 150 }
    );
  });
});
