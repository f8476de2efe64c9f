/**
 * `GitHubOidcRole` (the package's `oidcwatch/cdk`): the role it synthesizes (assertions on the
 * template), what its trust policy admits once CloudFormation resolves it (our evaluator on
 * real-shaped job tokens), the options it refuses at construction, the trust policy checked again
 * at synthesis, and cdk-nag's AwsSolutions checks.
 */
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { GitHubOidcRole } from '../../src/cdk/index.js';
import { OidcwatchError } from '../../src/domain/errors.js';
import { evaluateTrustPolicy } from '../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../src/domain/policy/parse-policy.js';
import { tokenClaimsRequest } from '../../src/domain/policy/token-claims-request.js';
import { type JobSpec, jobClaims } from '../helpers/github-oidc-token.js';

const ACCOUNT = '111122223333';
const GH = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GH}`;

function newStack(): Stack {
  // Schema validation is cfn-lint's job in CI; built in, it adds ~10 s per app.
  const app = new App({ builtinCloudFormationValidation: false });
  return new Stack(app, 'Deploy', { env: { account: ACCOUNT, region: 'eu-west-1' } });
}

/** The template's value with `Ref: AWS::Partition` and `Fn::Join` resolved as CloudFormation would. */
function resolveIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolveIntrinsics);
  if (typeof value !== 'object' || value === null) return value;
  const o = value as Record<string, unknown>;
  if (o.Ref === 'AWS::Partition') return 'aws';
  if (Array.isArray(o['Fn::Join'])) {
    const [separator, parts] = o['Fn::Join'] as [string, unknown[]];
    return parts.map(resolveIntrinsics).join(separator);
  }
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, resolveIntrinsics(v)]));
}

/** The synthesized role's trust policy, resolved, and what it answers for a job's token. */
function deployedDecision(template: Template, spec: Omit<JobSpec, 'iss'>): string {
  const roles = Object.values(template.findResources('AWS::IAM::Role')) as {
    Properties: { AssumeRolePolicyDocument: unknown };
  }[];
  const read = readTrustPolicy(resolveIntrinsics(roles[0]?.Properties.AssumeRolePolicyDocument));
  if (!read.ok) throw new Error(read.reason);
  return evaluateTrustPolicy(
    read.policy,
    tokenClaimsRequest({
      providerArn: PROVIDER,
      issuerUrl: GH,
      claims: jobClaims({ iss: `https://${GH}`, ...spec }),
    })
  ).decision;
}

describe('GitHubOidcRole', () => {
  it("synthesizes a role trusting the account's GitHub provider for one repository and environment", () => {
    // Prepare
    const stack = newStack();

    // Act
    const role = new GitHubOidcRole(stack, 'ApiProduction', {
      repositories: ['acme-corp/api'],
      environments: ['production'],
      roleName: 'gha-acme-corp-api-production',
    });
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'gha-acme-corp-api-production',
      Description: 'Assumed by GitHub Actions jobs of acme-corp/api (environment production)',
      MaxSessionDuration: 3600,
      AssumeRolePolicyDocument: Match.objectEquals({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRoleWithWebIdentity',
            Effect: 'Allow',
            Principal: {
              Federated: {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:oidc-provider/${GH}`],
                ],
              },
            },
            Condition: {
              StringEquals: {
                [`${GH}:aud`]: 'sts.amazonaws.com',
                [`${GH}:sub`]: 'repo:acme-corp/api:environment:production',
              },
            },
          },
        ],
      }),
    });
    expect(role.trustPolicyChecks.problems).toEqual([]);
    expect(role.trustPolicyChecks.results.filter((r) => r.probe.expect === 'deny')).toHaveLength(7);
  });

  it('admits, once deployed, the production job of acme-corp/api and denies its neighbours', () => {
    // Prepare
    const stack = newStack();
    new GitHubOidcRole(stack, 'ApiProduction', {
      repositories: ['acme-corp/api'],
      environments: ['production'],
    });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(
      deployedDecision(template, { repository: 'acme-corp/api', environment: 'production' })
    ).toBe('allow');
    expect(
      deployedDecision(template, { repository: 'acme-corp/api', environment: 'staging' })
    ).toBe('implicit-deny');
    expect(deployedDecision(template, { repository: 'acme-corp/api' })).toBe('implicit-deny');
    expect(
      deployedDecision(template, { repository: 'acme-corp/api', eventName: 'pull_request' })
    ).toBe('implicit-deny');
    expect(
      deployedDecision(template, { repository: 'acme-corp/web', environment: 'production' })
    ).toBe('implicit-deny');
  });

  it('pins the workflow with job_workflow_ref, and trusts a provider the app defines', () => {
    // Prepare
    const stack = newStack();
    const provider = new iam.OpenIdConnectProvider(stack, 'GitHub', {
      url: `https://${GH}`,
      clientIds: ['sts.amazonaws.com'],
    });
    const workflow = 'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main';

    // Act
    new GitHubOidcRole(stack, 'Release', {
      repositories: ['acme-corp/cli'],
      tags: ['v*'],
      workflow,
      provider,
    });
    const template = Template.fromStack(stack);

    // Assess
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Principal: { Federated: { Ref: Match.stringLikeRegexp('^GitHub') } },
            Condition: {
              StringEquals: {
                [`${GH}:aud`]: 'sts.amazonaws.com',
                [`${GH}:job_workflow_ref`]: workflow,
              },
              StringLike: { [`${GH}:sub`]: 'repo:acme-corp/cli:ref:refs/tags/v*' },
            },
          },
        ],
      },
    });
  });

  it('trusts a GitLab project on its branch, with https://gitlab.com as the audience', () => {
    // Prepare
    const stack = newStack();

    // Act
    new GitHubOidcRole(stack, 'GitLab', {
      repositories: ['acme-corp/platform/api'],
      branches: ['main'],
      issuer: 'gitlab',
      maxSessionDuration: Duration.hours(2),
    });

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      MaxSessionDuration: 7200,
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Condition: {
              StringEquals: {
                'gitlab.com:aud': 'https://gitlab.com',
                'gitlab.com:sub': 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
              },
            },
          },
        ],
      },
    });
  });

  it('is an iam.Role: grants attach to it', () => {
    // Prepare
    const stack = newStack();
    const bucket = new s3.Bucket(stack, 'Artifacts');
    const role = new GitHubOidcRole(stack, 'ApiProduction', {
      repositories: ['acme-corp/api'],
      environments: ['production'],
    });

    // Act
    bucket.grantRead(role);

    // Assess
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^ApiProduction') }],
    });
  });
});

describe('GitHubOidcRole: refused at construction', () => {
  it.each([
    [
      { repositories: ['acme-corp/*'], environments: ['production'] },
      'GitHubOidcRole: repositories: "acme-corp/*": wildcards admit repositories nobody reviewed (an owner wildcard admits any owner\'s); name each repository',
    ],
    [
      { repositories: ['acme-corp/api'], environments: ['production'], branches: ['main'] },
      'GitHubOidcRole: give environments, or branches/tags, not both: a job that declares an environment has no ref in its sub, so one statement cannot require both. Limit the environment to branches with its deployment branch rules on GitHub instead.',
    ],
    [
      { repositories: ['acme-corp/api'] },
      'GitHubOidcRole: say which jobs may assume the role: environments, or branches/tags (a role every ref of a repository can assume is what focused roles avoid)',
    ],
  ])('throws for %j', (props, message) => {
    // Prepare
    const stack = newStack();

    // Act
    const act = () => new GitHubOidcRole(stack, 'Role', props);

    // Assess
    expect(act).toThrow(OidcwatchError);
    expect(act).toThrow(message);
  });
});

describe('GitHubOidcRole: checked again at synthesis', () => {
  it('fails synthesis when a statement added later admits more than asked, naming each probe it admits', () => {
    // Prepare
    const stack = newStack();
    const role = new GitHubOidcRole(stack, 'ApiProduction', {
      repositories: ['acme-corp/api'],
      environments: ['production'],
    });
    role.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [
          new iam.WebIdentityPrincipal(role.providerArn, {
            StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${GH}:sub`]: 'repo:acme-corp/*' },
          }),
        ],
      })
    );

    // Act
    const synth = () => Template.fromStack(stack);

    // Assess
    expect(synth).toThrow(
      /\[Deploy\/ApiProduction\] GitHubOidcRole: the trust policy does not deny another repository of acme-corp \(sub "repo:acme-corp\/api-probe:environment:production"\): allow/
    );
  });

  it('synthesizes when a statement added later changes nothing for web identity', () => {
    // Prepare
    const stack = newStack();
    const role = new GitHubOidcRole(stack, 'ApiProduction', {
      repositories: ['acme-corp/api'],
      environments: ['production'],
    });
    role.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        principals: [new iam.AccountPrincipal('444455556666')],
      })
    );

    // Act
    const template = Template.fromStack(stack);

    // Assess
    template.resourceCountIs('AWS::IAM::Role', 1);
  });
});

describe('GitHubOidcRole: cdk-nag AwsSolutions checks', () => {
  function nagged(statement: iam.PolicyStatement): () => unknown {
    const app = new App({ builtinCloudFormationValidation: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Deploy', { env: { account: ACCOUNT, region: 'eu-west-1' } });
    new GitHubOidcRole(stack, 'ApiProduction', {
      repositories: ['acme-corp/api'],
      environments: ['production'],
      inlinePolicies: { Deploy: new iam.PolicyDocument({ statements: [statement] }) },
    });
    return () => app.synth();
  }

  it('pass with no finding for a role with a policy scoped to one object', () => {
    // Prepare
    const synth = nagged(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: ['arn:aws:s3:::acme-corp-api-artifacts/releases/index.json'],
      })
    );

    // Act
    const act = synth;

    // Assess
    expect(act).not.toThrow();
  });

  it("are applied: a wildcard resource in the role's policy fails synthesis (IAM5)", () => {
    // Prepare
    const synth = nagged(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::*'] })
    );

    // Act
    const act = synth;

    // Assess
    expect(act).toThrow(/AwsSolutions-IAM5/);
  });
});
