/**
 * What `oidcwatch policy` and the `GitHubOidcRole` construct are asked for, as options (strings
 * from a command line or construct props) and as the checked request the generator builds from.
 * No behaviour lives here.
 */
import type { Issuer } from '../types.js';

/** The options a trust policy is generated from, as a person gives them. */
export interface PolicyOptions {
  /**
   * The repositories whose jobs may assume the role: `OWNER/NAME` (GitLab: `GROUP/…/PROJECT`), or
   * GitHub's immutable form `OWNER@OWNER_ID/NAME@REPO_ID`.
   */
  readonly repositories: readonly string[];
  /** Environment names (patterns with `*`/`?` allowed): the job declares one of them. */
  readonly environments?: readonly string[];
  /** Branch names or patterns (`main`, `release/*`; `refs/heads/` optional). */
  readonly branches?: readonly string[];
  /** Tag names or patterns (`v*`; `refs/tags/` optional). */
  readonly tags?: readonly string[];
  /**
   * The workflow the job must run: `OWNER/REPO/.github/workflows/FILE.yml@REF` (`REF` a full ref,
   * `refs/heads/main`, `refs/tags/v1`, or a commit SHA), matched against `job_workflow_ref`.
   */
  readonly workflow?: string;
  /**
   * The token issuer: `github` (the default, `token.actions.githubusercontent.com`), a GitHub
   * Enterprise Cloud issuer (`token.actions.githubusercontent.com/SLUG`), a GHE.com tenant
   * (`token.actions.SUBDOMAIN.ghe.com`), a GHES host (`HOST/_services/token`), `gitlab` or a
   * GitLab host. A scheme (`https://`) is accepted and dropped.
   * @default 'github'
   */
  readonly issuer?: string;
  /** @default 'sts.amazonaws.com' for GitHub, `https://<issuer>` for GitLab */
  readonly audience?: string;
  /** The account of the role and its OIDC provider; `undefined` where a template resolves it. */
  readonly account?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /**
   * Require GitHub's immutable subject (`repo:OWNER@ID/NAME@ID:…`): every repository must be
   * given with its ids.
   * @default false (the form each repository is given in)
   */
  readonly immutable?: boolean;
  /**
   * The claim keys of the repository's customised GitHub sub template, in order, among `repo`,
   * `context` and `job_workflow_ref` (`PUT /repos/{owner}/{repo}/actions/oidc/customization/sub`).
   * @default ['repo', 'context'] (GitHub's default subject)
   */
  readonly subTemplate?: readonly string[];
}

/** A repository a policy names. */
export interface RepositoryRef {
  /** GitHub owner, or the GitLab namespace path (`group/subgroup`). */
  readonly owner: string;
  readonly name: string;
  /** GitHub's numeric owner id (immutable subjects), else `null`. */
  readonly ownerId: string | null;
  /** GitHub's numeric repository id (immutable subjects), else `null`. */
  readonly repositoryId: string | null;
}

/** What a job's `sub` says about where it runs: an environment, or a branch or tag ref. */
export type JobContext =
  | { readonly kind: 'environment'; readonly name: string }
  | { readonly kind: 'branch'; readonly name: string }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'pull_request' };

/** A claim key of the GitHub sub template this generator writes. */
export type SubTemplateKey = 'repo' | 'context' | 'job_workflow_ref';

/** Where the workflow pin is checked. */
export type WorkflowPlacement = 'condition' | 'sub';

/** The pinned workflow. */
export interface WorkflowPin {
  /** `OWNER/REPO/.github/workflows/FILE.yml@REF`, as `job_workflow_ref` carries it (may be a pattern). */
  readonly ref: string;
  /** `OWNER/REPO` of the workflow file. */
  readonly repository: string;
  /** `.github/workflows/FILE.yml`. */
  readonly path: string;
  /** `refs/heads/main`, `refs/tags/v1`, a SHA, or a pattern. */
  readonly gitRef: string;
  /** In a `job_workflow_ref` condition, or in the (customised) sub. */
  readonly placement: WorkflowPlacement;
}

/** A request the generator can build from: every option read and checked. */
export interface PolicyRequest {
  readonly issuer: Issuer & { readonly kind: 'github' | 'gitlab' };
  readonly audience: string;
  /** The account given, or `null` (the policy is checked with {@link PLACEHOLDER_ACCOUNT}). */
  readonly account: string | null;
  readonly partition: string;
  /** The provider ARN the policy trusts (with {@link PLACEHOLDER_ACCOUNT} when no account). */
  readonly providerArn: string;
  readonly repositories: readonly RepositoryRef[];
  /** `true`: subjects name repositories as `OWNER@ID/NAME@ID`. */
  readonly immutable: boolean;
  /** The contexts asked for, as patterns. */
  readonly contexts: readonly JobContext[];
  readonly workflow: WorkflowPin | null;
  /** GitHub only: the sub template's keys in order. */
  readonly subTemplate: readonly SubTemplateKey[];
  /**
   * The claims STS turns into condition keys for this issuer: GitHub's list for
   * `token.actions.githubusercontent.com`, only `aud` and `sub` elsewhere (not documented).
   */
  readonly conditionClaims: readonly string[];
}

/** The account a policy without `--account` is checked with (an example account id). */
export const PLACEHOLDER_ACCOUNT = '123456789012';

/** GitHub's default sub template. */
export const DEFAULT_SUB_TEMPLATE: readonly SubTemplateKey[] = ['repo', 'context'];
