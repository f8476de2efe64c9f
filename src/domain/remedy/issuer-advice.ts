/**
 * Where each CI system (or EKS) sets what a remedy asks to change: the role, the audience, the
 * session duration and name, and how a token is fetched. GitHub advice (configure-aws-credentials,
 * `ACTIONS_ID_TOKEN_REQUEST_URL`) is given for GitHub tokens only.
 */
import type { IssuerKind } from '../types.js';

/** Where a job sets one thing, for a remedy's words and its workflow edit. */
export interface Setting {
  /** The workflow edit's key (`with.audience`, `id_tokens.<name>.aud`, …). */
  readonly key: string;
  /** Where that is, in words. */
  readonly where: string;
}

const CAC = 'aws-actions/configure-aws-credentials';

/** Where the job names the role it assumes. */
export function roleSetting(kind: IssuerKind | null): Setting {
  switch (kind) {
    case 'github':
      return { key: 'with.role-to-assume', where: `\`role-to-assume\` of ${CAC}` };
    case 'gitlab':
      return {
        key: 'script.role-arn',
        where: 'the `--role-arn` the job passes to `aws sts assume-role-with-web-identity`',
      };
    case 'terraform-cloud':
      return {
        key: 'env.TFC_AWS_RUN_ROLE_ARN',
        where: 'the workspace variable TFC_AWS_RUN_ROLE_ARN',
      };
    case 'eks':
      return {
        key: 'serviceAccount.annotations.eks.amazonaws.com/role-arn',
        where: 'the `eks.amazonaws.com/role-arn` annotation of the service account',
      };
    default:
      return { key: 'role-arn', where: 'the role ARN the job assumes' };
  }
}

/** Where the job sets the token's audience; `null` where it cannot (EKS sets it for the pod). */
export function audienceSetting(kind: IssuerKind | null): Setting | null {
  switch (kind) {
    case 'github':
      return { key: 'with.audience', where: `\`audience\` of ${CAC}` };
    case 'gitlab':
      return {
        key: 'id_tokens.<NAME>.aud',
        where: "the `aud` of the job's `id_tokens` entry (.gitlab-ci.yml)",
      };
    case 'terraform-cloud':
      return {
        key: 'env.TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE',
        where: 'the workspace variable TFC_AWS_WORKLOAD_IDENTITY_AUDIENCE',
      };
    case 'eks':
      return null;
    default:
      return { key: 'audience', where: 'the audience the job requests its token with' };
  }
}

/** Where the job sets the session duration. */
export function durationSetting(kind: IssuerKind | null): Setting {
  switch (kind) {
    case 'github':
      return { key: 'with.role-duration-seconds', where: `\`role-duration-seconds\` of ${CAC}` };
    case 'gitlab':
      return {
        key: 'script.duration-seconds',
        where: 'the `--duration-seconds` of `aws sts assume-role-with-web-identity`',
      };
    default:
      return { key: 'duration-seconds', where: 'the session duration the job asks for' };
  }
}

/** Where the job sets the role session name. */
export function sessionNameSetting(kind: IssuerKind | null): Setting {
  switch (kind) {
    case 'github':
      return { key: 'with.role-session-name', where: `\`role-session-name\` of ${CAC}` };
    case 'gitlab':
      return {
        key: 'script.role-session-name',
        where: 'the `--role-session-name` of `aws sts assume-role-with-web-identity`',
      };
    case 'eks':
      return { key: 'env.AWS_ROLE_SESSION_NAME', where: "the pod's AWS_ROLE_SESSION_NAME" };
    default:
      return { key: 'role-session-name', where: 'the role session name the job sends' };
  }
}

/** How a job should get a fresh token, per issuer (for expired or rejected tokens). */
export function freshTokenAdvice(kind: IssuerKind | null): string {
  switch (kind) {
    case 'github':
      return `Fetch the token right before assuming the role: use ${CAC} (it requests a fresh token per attempt) and keep its retries within the token's 5-minute life.`;
    case 'gitlab':
      return 'Assume the role right after the job starts: GitLab ID tokens (`id_tokens`) are issued when the job starts and expire with it (CI_JOB_TIMEOUT); do not pass one to a later job.';
    case 'eks':
      return 'The pod identity webhook refreshes the projected token; use an SDK that re-reads AWS_WEB_IDENTITY_TOKEN_FILE rather than caching the token.';
    case 'terraform-cloud':
      return 'Re-run the plan or apply: HCP Terraform issues a token per run phase.';
    default:
      return 'Fetch a fresh token right before assuming the role.';
  }
}

/** How a job should request a token that carries an audience, per issuer. */
export function requestAudienceAdvice(kind: IssuerKind | null, aud: string): string {
  switch (kind) {
    case 'github':
      return `Request the token with an audience: ${CAC} does (audience ${aud}); a hand-rolled request must pass ?audience=${aud} to ACTIONS_ID_TOKEN_REQUEST_URL.`;
    case 'gitlab':
      return `Declare the token with an audience in .gitlab-ci.yml: \`id_tokens: { AWS_ID_TOKEN: { aud: ${aud} } }\`.`;
    default:
      return `Request the token with the audience ${aud}.`;
  }
}
