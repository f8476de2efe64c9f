/**
 * `oidcwatch policy --repo OWNER/NAME (--environment NAME | --branch P | --tag P) [options]`: writes
 * a focused trust policy (one role per repository and environment, say) and checks it before
 * printing: our evaluator must admit exactly the jobs asked for and deny the probes, and
 * `oidcwatch audit` must find nothing. Prints the policy JSON (the checks on stderr), or with
 * `--terraform`/`--cloudformation` a role resource with the checks as comments.
 */

import { STSClient } from '@aws-sdk/client-sts';
import { clientConfigFromEnv } from '../../adapters/aws-client-config.js';
import { githubApiUrlFromEnv } from '../../adapters/github/github-api-url.js';
import { GitHubConnection } from '../../adapters/github/github-connection.js';
import { GitHubRepositoryDirectory } from '../../adapters/github/github-repository-directory.js';
import { callerIdentity } from '../../adapters/iam/live-snapshot.js';
import { OidcwatchError } from '../../domain/errors.js';
import { generateTrustPolicy } from '../../domain/generate/generate-trust-policy.js';
import type { PolicyOptions } from '../../domain/generate/policy-request.js';
import { parseCommandArgs } from '../common/args.js';
import { reportError } from '../common/exit-code.js';
import { githubCredentialsFromEnv } from '../common/github-credentials.js';
import type { Command } from '../io.js';
import { EXIT } from '../io.js';
import { renderCloudFormation } from '../policy/render-cloudformation.js';
import { renderTerraform } from '../policy/render-terraform.js';
import { withRepositoryIds } from '../policy/repository-ids.js';
import { roleSettings } from '../policy/role-settings.js';
import { verificationLines } from '../policy/verification-text.js';

const HELP = `usage: oidcwatch policy --repo OWNER/NAME (--environment NAME | --branch PATTERN | --tag PATTERN) [options]

Writes the trust policy of a focused role: only the jobs of the repositories named, in the
environments (or on the branches/tags) named, with the audience exact. Before printing, the policy
is checked: our evaluator must admit every job asked for and deny probes (another repository,
another owner, a pull request, another environment or branch, another workflow, another audience,
another account's provider), and "oidcwatch audit" must find nothing. A policy that fails is not
printed (exit 1).

what may assume the role:
  --repo OWNER/NAME       a repository (repeat for more); OWNER@OWNER_ID/NAME@REPO_ID for GitHub's
                          immutable subject; GitLab: GROUP/PROJECT
  --environment NAME      a GitHub environment the job declares (repeat; * and ? are wildcards)
  --branch PATTERN        a branch (repeat; "main", "release/*")
  --tag PATTERN           a tag (repeat; "v*")
  --workflow REF          the workflow the job must run, as job_workflow_ref carries it:
                          OWNER/REPO/.github/workflows/FILE.yml@refs/heads/main (or @refs/tags/…, @SHA)
  --sub-template KEYS     the repository's customised sub template, among repo,context,job_workflow_ref
                          (default: GitHub's repo,context)
  --immutable             require the immutable subject (repo:OWNER@ID/NAME@ID:…): the ids are
                          looked up on GitHub (GITHUB_API_URL; GITHUB_TOKEN or the GitHub App of
                          OIDCWATCH_GITHUB_APP_ID/OIDCWATCH_GITHUB_PRIVATE_KEY_FILE), or given in --repo
  --issuer ISSUER         github (default), token.actions.githubusercontent.com/SLUG (enterprise),
                          token.actions.SUBDOMAIN.ghe.com, HOST/_services/token (GHES), gitlab, a GitLab host
  --audience AUD          default sts.amazonaws.com (GitLab: https://ISSUER)

where:
  --account ID            the account of the role and its OIDC provider (default for the JSON
                          output: the account of your AWS credentials, sts:GetCallerIdentity;
                          templates resolve their own account without it)
  --partition NAME        aws (default), aws-cn, aws-us-gov

output (default: the trust-policy JSON on stdout, the checks on stderr):
  --terraform             an aws_iam_role resource (the checks as comments)
  --cloudformation        a CloudFormation template with the role (YAML, the checks as comments)
  --role-name NAME        the role's name (default: derived, e.g. gha-acme-corp-api-production)
  --max-session-duration SECONDS   3600 (default) to 43200
  --permissions-boundary ARN       a managed policy as the role's permissions boundary
  -h, --help              show this help

exit codes: 0 printed, 1 unusable options or a policy that failed its checks, 2 GitHub did not
answer (--immutable).
`;

/** An argument as a POSIX shell would need it written (`'release/*'`). */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** Runs `oidcwatch policy`. */
export const run: Command = async (argv, io) => {
  try {
    const { values, positionals } = parseCommandArgs('policy', argv, {
      repo: { type: 'string', multiple: true },
      environment: { type: 'string', multiple: true },
      branch: { type: 'string', multiple: true },
      tag: { type: 'string', multiple: true },
      workflow: { type: 'string' },
      'sub-template': { type: 'string' },
      immutable: { type: 'boolean', default: false },
      issuer: { type: 'string' },
      audience: { type: 'string' },
      account: { type: 'string' },
      partition: { type: 'string' },
      terraform: { type: 'boolean', default: false },
      cloudformation: { type: 'boolean', default: false },
      'role-name': { type: 'string' },
      'max-session-duration': { type: 'string' },
      'permissions-boundary': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    if (positionals.length > 0)
      throw new OidcwatchError(
        'ERR_USAGE',
        `policy: unexpected argument "${positionals[0]}" (use --repo OWNER/NAME)`
      );
    if (values.terraform && values.cloudformation)
      throw new OidcwatchError(
        'ERR_USAGE',
        'policy: give --terraform or --cloudformation, not both'
      );
    const template = values.terraform || values.cloudformation;
    const account =
      values.account ?? (template ? undefined : await credentialsAccount(io.env, io.stderr));
    let repositories = values.repo ?? [];
    if (values.immutable && repositories.some((r) => !r.includes('@'))) {
      const credentials = await githubCredentialsFromEnv('policy', io.env);
      // Without credentials the generator says to give the ids (or a token).
      if (credentials.kind !== 'anonymous')
        repositories = await withRepositoryIds(
          repositories,
          new GitHubRepositoryDirectory(
            new GitHubConnection({ baseUrl: githubApiUrlFromEnv(io.env), credentials })
          )
        );
    }
    const options: PolicyOptions = {
      repositories,
      environments: values.environment,
      branches: values.branch,
      tags: values.tag,
      workflow: values.workflow,
      subTemplate: values['sub-template']?.split(',').filter((k) => k.trim() !== ''),
      immutable: values.immutable,
      issuer: values.issuer,
      audience: values.audience,
      account,
      partition: values.partition,
    };
    const generated = generateTrustPolicy(options);
    const checks = verificationLines(generated.verification);
    if (!template) {
      io.stdout.write(`${JSON.stringify(generated.document, null, 2)}\n`);
      io.stderr.write(`${checks.join('\n')}\n`);
      return EXIT.OK;
    }
    const role = roleSettings(generated.request, {
      name: values['role-name'],
      maxSessionDuration: values['max-session-duration'],
      permissionsBoundary: values['permissions-boundary'],
    });
    const comments = [`Generated by: oidcwatch policy ${argv.map(shellWord).join(' ')}`, ...checks];
    io.stdout.write(
      values.terraform
        ? renderTerraform(generated, role, comments)
        : renderCloudFormation(generated, role, comments)
    );
    return EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'policy');
  }
};

/**
 * The account of the caller's AWS credentials, for a JSON policy asked for without `--account`
 * (its provider ARN names the account); said on stderr.
 */
async function credentialsAccount(
  env: Readonly<Record<string, string | undefined>>,
  stderr: NodeJS.WritableStream
): Promise<string> {
  const config = clientConfigFromEnv(env, 'STS', 5_000);
  try {
    const { account } = await callerIdentity(
      new STSClient({ ...config, maxAttempts: 1 }),
      config.endpoint
    );
    stderr.write(
      `Account ${account}: the account of your AWS credentials (sts:GetCallerIdentity); give --account ID for another.\n`
    );
    return account;
  } catch (e) {
    throw new OidcwatchError(
      'ERR_USAGE',
      `policy: give --account ID: the JSON policy's provider ARN names the account, and the account of your AWS credentials could not be read (${(e as Error).message}); --terraform and --cloudformation resolve it themselves`,
      { cause: e }
    );
  }
}
