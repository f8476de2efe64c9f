/**
 * `GitHubOidcRole`: an IAM role for GitHub Actions (or GitLab CI) jobs with a focused trust
 * policy, built by the same generator as `oidcwatch policy` and checked the same way. Options are
 * checked when the construct is created (a bad repository, a wildcard owner, an environment mixed
 * with branches throw at once); the role's final trust policy, statements added later included, is
 * checked again at synthesis: our evaluator must admit the jobs asked for and deny the probes, and
 * `oidcwatch audit` must find nothing, or synthesis fails with the reason.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { OidcwatchError } from '../domain/errors.js';
import { generateTrustPolicy } from '../domain/generate/generate-trust-policy.js';
import type { PolicyOptions, PolicyRequest } from '../domain/generate/policy-request.js';
import {
  type PolicyVerification,
  verifyTrustPolicy,
} from '../domain/generate/verify-trust-policy.js';

/** Properties of {@link GitHubOidcRole}. */
export interface GitHubOidcRoleProps {
  /**
   * The repositories whose jobs may assume the role: `OWNER/NAME`, GitHub's immutable
   * `OWNER@OWNER_ID/NAME@REPO_ID`, or a GitLab project path. No wildcards.
   */
  readonly repositories: readonly string[];
  /** Environments the job declares (patterns allowed). Not with `branches`/`tags`. */
  readonly environments?: readonly string[];
  /** Branches (`main`, `release/*`). */
  readonly branches?: readonly string[];
  /** Tags (`v*`). */
  readonly tags?: readonly string[];
  /**
   * The workflow the job must run, as `job_workflow_ref` carries it:
   * `OWNER/REPO/.github/workflows/FILE.yml@refs/heads/main`.
   * @default any workflow of the repositories
   */
  readonly workflow?: string;
  /**
   * The repositories' customised sub template, among `repo`, `context`, `job_workflow_ref`.
   * @default ['repo', 'context'] (GitHub's default)
   */
  readonly subTemplate?: readonly string[];
  /**
   * Require GitHub's immutable subject (give the ids in `repositories`).
   * @default false
   */
  readonly immutable?: boolean;
  /**
   * The issuer: `github`, `token.actions.githubusercontent.com/SLUG`,
   * `token.actions.SUBDOMAIN.ghe.com`, `HOST/_services/token`, `gitlab` or a GitLab host.
   * @default 'github'
   */
  readonly issuer?: string;
  /** @default 'sts.amazonaws.com' (GitLab: `https://` + the issuer) */
  readonly audience?: string;
  /**
   * The account's OIDC provider for the issuer.
   * @default the provider `arn:<partition>:iam::<account>:oidc-provider/<issuer>` of the stack's
   *   account (create it once per account, not once per role)
   */
  readonly provider?: iam.IOpenIdConnectProvider;
  /** @default a name CloudFormation generates */
  readonly roleName?: string;
  /** @default says which repositories and contexts the role is for */
  readonly description?: string;
  /** @default Duration.hours(1) */
  readonly maxSessionDuration?: Duration;
  /** @default none */
  readonly permissionsBoundary?: iam.IManagedPolicy;
  /** @default none */
  readonly managedPolicies?: iam.IManagedPolicy[];
  /** @default none */
  readonly inlinePolicies?: Record<string, iam.PolicyDocument>;
  /** @default '/' */
  readonly path?: string;
}

/** The construct's property for each command-line option the generator's messages name. */
const PROPS: Readonly<Record<string, string>> = {
  repo: 'repositories',
  environment: 'environments',
  branch: 'branches',
  tag: 'tags',
  workflow: 'workflow',
  'sub-template': 'subTemplate',
  immutable: 'immutable',
  issuer: 'issuer',
  audience: 'audience',
};

/** The generator's options, in the props' words (`--repo "x"` → `repositories: "x"`). */
function inPropWords(e: unknown): unknown {
  if (!(e instanceof OidcwatchError)) return e;
  const message = e.message
    .replace(/--([a-z-]+) ("[^"]*")/g, (whole, option: string, value: string) =>
      PROPS[option] === undefined ? whole : `${PROPS[option]}: ${value}`
    )
    .replace(/--([a-z-]+)( NAME| PATTERN)?/g, (whole, option: string) => PROPS[option] ?? whole);
  return new OidcwatchError(e.code, `GitHubOidcRole: ${message}`, { cause: e });
}

function describeRequest(request: PolicyRequest): string {
  const repos = request.repositories.map((r) => `${r.owner}/${r.name}`).join(', ');
  const where = request.contexts
    .map((c) => ('name' in c ? `${c.kind} ${c.name}` : c.kind))
    .join(', ');
  return `Assumed by ${request.issuer.kind === 'gitlab' ? 'GitLab CI' : 'GitHub Actions'} jobs of ${repos} (${where})`
    .replace(/[^\u0020-\u007e\u00a1-\u00ff]/g, '?')
    .slice(0, 1000);
}

/**
 * An IAM role that only the named jobs can assume.
 *
 * @example
 * ```ts
 * import { GitHubOidcRole } from 'oidcwatch/cdk';
 *
 * const deploy = new GitHubOidcRole(this, 'ApiProductionDeploy', {
 *   repositories: ['acme-corp/api'],
 *   environments: ['production'],
 *   roleName: 'gha-acme-corp-api-production',
 * });
 * bucket.grantReadWrite(deploy);
 * ```
 */
export class GitHubOidcRole extends iam.Role {
  /** What the checks found when the role was created (the probes tried, the audit, the size). */
  readonly trustPolicyChecks: PolicyVerification;
  /** The OIDC provider ARN the role trusts. */
  readonly providerArn: string;

  constructor(scope: Construct, id: string, props: GitHubOidcRoleProps) {
    const options: PolicyOptions = {
      repositories: props.repositories,
      environments: props.environments,
      branches: props.branches,
      tags: props.tags,
      workflow: props.workflow,
      subTemplate: props.subTemplate,
      immutable: props.immutable,
      issuer: props.issuer,
      audience: props.audience,
    };
    let generated: ReturnType<typeof generateTrustPolicy>;
    try {
      generated = generateTrustPolicy(options);
    } catch (e) {
      throw inPropWords(e);
    }
    const { request } = generated;
    const providerArn =
      props.provider?.openIdConnectProviderArn ??
      Stack.of(scope).formatArn({
        service: 'iam',
        region: '',
        resource: 'oidc-provider',
        resourceName: request.issuer.url,
      });
    const statement = generated.document.Statement[0];
    super(scope, id, {
      assumedBy: new iam.WebIdentityPrincipal(providerArn, statement?.Condition),
      roleName: props.roleName,
      description: props.description ?? describeRequest(request),
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      permissionsBoundary: props.permissionsBoundary,
      managedPolicies: props.managedPolicies,
      inlinePolicies: props.inlinePolicies,
      path: props.path,
    });
    this.trustPolicyChecks = generated.verification;
    this.providerArn = providerArn;
    this.node.addValidation({ validate: () => this.#checkFinalTrustPolicy(request) });
  }

  /** The role's trust policy as synthesized, checked as `oidcwatch policy` checks its own. */
  #checkFinalTrustPolicy(request: PolicyRequest): string[] {
    const rendered = JSON.stringify(this.assumeRolePolicy?.toJSON() ?? {});
    // The provider ARN holds tokens (partition, account); the checks read it as the concrete ARN
    // they were built for. Any other unresolved token stays opaque text.
    const concrete = JSON.parse(
      rendered.replaceAll(JSON.stringify(this.providerArn).slice(1, -1), request.providerArn)
    ) as unknown;
    const verification = verifyTrustPolicy(concrete, request);
    return verification.problems.map(
      (p) => `GitHubOidcRole: the trust policy ${p.replace(/^it /, '')}`
    );
  }
}
