/**
 * The GitHub REST endpoints oidcwatch calls, one typed method each, on an Octokit client built by
 * `GitHubConnection` (which maps every failure to a `GitHubApiError`). Types come from GitHub's
 * OpenAPI description (`@octokit/types`). Adding an endpoint is one method here (and its route in
 * the test fake).
 *
 * A renamed or transferred repository answers `301` to its old name, pointing at
 * `/repositories/{id}/…`; `fetch` follows it, so every `owner/repo` method reaches the repository
 * under its new name (compare `full_name` to see it moved).
 */
import type { Octokit } from '@octokit/core';
import type { Endpoints } from '@octokit/types';
import { GitHubApiError } from './github-api-error.js';

/** `GET /repos/{owner}/{repo}` */
export type Repository = Endpoints['GET /repos/{owner}/{repo}']['response']['data'];
/** `GET /users/{username}` (a user or an organisation). */
export type Account = Endpoints['GET /users/{username}']['response']['data'];
/** An installation of the app. */
export type Installation = Endpoints['GET /repos/{owner}/{repo}/installation']['response']['data'];
/** A repository an installation can reach. */
export type InstallationRepository =
  Endpoints['GET /installation/repositories']['response']['data']['repositories'][number];
/** A workflow run. */
export type WorkflowRun =
  Endpoints['GET /repos/{owner}/{repo}/actions/runs']['response']['data']['workflow_runs'][number];
/** A job of a workflow run. */
export type WorkflowJob =
  Endpoints['GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs']['response']['data']['jobs'][number];
/** A check run. */
export type CheckRun = Endpoints['POST /repos/{owner}/{repo}/check-runs']['response']['data'];
/** What creating a check run takes (owner and repo aside). */
export type CheckRunRequest = Omit<
  Endpoints['POST /repos/{owner}/{repo}/check-runs']['parameters'],
  'owner' | 'repo'
>;
/** An issue (or pull request) comment. */
export type IssueComment =
  Endpoints['GET /repos/{owner}/{repo}/issues/{issue_number}/comments']['response']['data'][number];

/** Filters of {@link GitHubRestClient.listWorkflowRuns}. */
export interface WorkflowRunFilter {
  /** GitHub's `created` search qualifier, e.g. `2026-11-27T08:05:40Z..2026-11-27T14:06:40Z`. */
  readonly created?: string;
  /** The run's `head_branch` (a branch, or a tag for tag pushes). */
  readonly branch?: string;
  readonly event?: string;
  readonly headSha?: string;
}

const PER_PAGE = 100;

function isNotFound(e: unknown): boolean {
  return e instanceof GitHubApiError && e.kind === 'not-found';
}

/**
 * Typed GitHub REST calls.
 *
 * @example
 * ```ts
 * const runs = await client.listWorkflowRuns('acme-corp', 'payments-api', { branch: 'main' });
 * ```
 */
export class GitHubRestClient {
  readonly #octokit: Octokit;

  constructor(octokit: Octokit) {
    this.#octokit = octokit;
  }

  /** The app's installation for a repository (app JWT), or `null` when the app is not installed on it. */
  async repositoryInstallation(owner: string, repo: string): Promise<Installation | null> {
    try {
      const r = await this.#octokit.request('GET /repos/{owner}/{repo}/installation', {
        owner,
        repo,
      });
      return r.data;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** Every installation of the app (app JWT), at most `maxPages` pages of 100. */
  async listInstallations(maxPages = 10): Promise<Installation[]> {
    const out: Installation[] = [];
    for (let page = 1; page <= maxPages; page += 1) {
      const r = await this.#octokit.request('GET /app/installations', { per_page: PER_PAGE, page });
      out.push(...r.data);
      if (r.data.length < PER_PAGE) break;
    }
    return out;
  }

  /** A repository (following a rename), or `null` when it does not exist or cannot be seen. */
  async getRepository(owner: string, repo: string): Promise<Repository | null> {
    try {
      const r = await this.#octokit.request('GET /repos/{owner}/{repo}', { owner, repo });
      return r.data;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /**
   * Where `owner/repo` is, without following a redirect: the repository; `moved` with the id GitHub
   * redirects the name to (`301` to `/repositories/{id}`: renamed or transferred); or `null` when
   * no repository the credentials can see has the name.
   */
  async locateRepository(
    owner: string,
    repo: string
  ): Promise<{ kind: 'here'; repository: Repository } | { kind: 'moved'; id: number } | null> {
    try {
      const r = await this.#octokit.request('GET /repos/{owner}/{repo}', {
        owner,
        repo,
        request: { redirect: 'manual' },
      });
      const status = r.status as number;
      if (status >= 300 && status < 400) {
        const id = /\/repositories\/(\d+)/.exec(String(r.headers.location ?? ''))?.[1];
        if (id === undefined)
          throw new GitHubApiError(
            'invalid',
            `GET /repos/{owner}/{repo}: HTTP ${status} without a /repositories/{id} location`,
            { status }
          );
        return { kind: 'moved', id: Number(id) };
      }
      return { kind: 'here', repository: r.data };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /**
   * A repository by its id (`GET /repositories/{id}`, where GitHub's redirects for renamed
   * repositories point), or `null` when no repository the credentials can see has it.
   */
  async getRepositoryById(id: number): Promise<Repository | null> {
    try {
      // Not in GitHub's OpenAPI description, hence the route written out.
      const r = await this.#octokit.request(`GET /repositories/${id}`);
      return r.data as Repository;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** A user or organisation by login, or `null` when GitHub has no such account. */
  async getAccount(login: string): Promise<Account | null> {
    try {
      const r = await this.#octokit.request('GET /users/{username}', { username: login });
      return r.data;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /**
   * The repositories this installation can reach (installation token), at most `maxPages` pages
   * of 100, stopping early once `until` returns `true` for one of them.
   */
  async listInstallationRepositories(
    maxPages = 10,
    until: (r: InstallationRepository) => boolean = () => false
  ): Promise<InstallationRepository[]> {
    const out: InstallationRepository[] = [];
    for (let page = 1; page <= maxPages; page += 1) {
      const r = await this.#octokit.request('GET /installation/repositories', {
        per_page: PER_PAGE,
        page,
      });
      out.push(...r.data.repositories);
      if (r.data.repositories.some(until) || r.data.repositories.length < PER_PAGE) break;
    }
    return out;
  }

  /** Workflow runs of a repository, newest first, at most `maxPages` pages of 100. */
  async listWorkflowRuns(
    owner: string,
    repo: string,
    filter: WorkflowRunFilter,
    maxPages = 3
  ): Promise<{ readonly runs: WorkflowRun[]; readonly total: number }> {
    const runs: WorkflowRun[] = [];
    let total = 0;
    for (let page = 1; page <= maxPages; page += 1) {
      const r = await this.#octokit.request('GET /repos/{owner}/{repo}/actions/runs', {
        owner,
        repo,
        per_page: PER_PAGE,
        page,
        ...(filter.created === undefined ? {} : { created: filter.created }),
        ...(filter.branch === undefined ? {} : { branch: filter.branch }),
        ...(filter.event === undefined ? {} : { event: filter.event }),
        ...(filter.headSha === undefined ? {} : { head_sha: filter.headSha }),
      });
      total = r.data.total_count;
      runs.push(...r.data.workflow_runs);
      if (r.data.workflow_runs.length < PER_PAGE || runs.length >= total) break;
    }
    return { runs, total };
  }

  /** The jobs of a run, of every attempt (`filter=all`), at most `maxPages` pages of 100. */
  async listJobsForRun(
    owner: string,
    repo: string,
    runId: number,
    maxPages = 3
  ): Promise<WorkflowJob[]> {
    const jobs: WorkflowJob[] = [];
    for (let page = 1; page <= maxPages; page += 1) {
      const r = await this.#octokit.request(
        'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
        {
          owner,
          repo,
          run_id: runId,
          filter: 'all',
          per_page: PER_PAGE,
          page,
        }
      );
      jobs.push(...r.data.jobs);
      if (r.data.jobs.length < PER_PAGE || jobs.length >= r.data.total_count) break;
    }
    return jobs;
  }

  /**
   * A text file at a commit, or `null` when it does not exist there (or is not a file).
   */
  async getFileText(
    owner: string,
    repo: string,
    path: string,
    ref: string
  ): Promise<string | null> {
    try {
      const r = await this.#octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner,
        repo,
        path,
        ref,
      });
      const data = r.data as { type?: unknown; content?: unknown; encoding?: unknown };
      if (data.type !== 'file' || typeof data.content !== 'string') return null;
      return data.encoding === 'base64'
        ? Buffer.from(data.content, 'base64').toString('utf8')
        : data.content;
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  /** Check runs of a commit with a given name (every one, not only the latest), first 100. */
  async listCheckRunsForRef(
    owner: string,
    repo: string,
    ref: string,
    checkName: string
  ): Promise<CheckRun[]> {
    const r = await this.#octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      owner,
      repo,
      ref,
      check_name: checkName,
      filter: 'all',
      per_page: PER_PAGE,
    });
    return r.data.check_runs as CheckRun[];
  }

  /** Creates a check run. */
  async createCheckRun(owner: string, repo: string, body: CheckRunRequest): Promise<CheckRun> {
    const r = await this.#octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      owner,
      repo,
      ...body,
    } as Endpoints['POST /repos/{owner}/{repo}/check-runs']['parameters']);
    return r.data;
  }

  /** Comments of an issue or pull request, at most `maxPages` pages of 100. */
  async listIssueComments(
    owner: string,
    repo: string,
    issueNumber: number,
    maxPages = 5
  ): Promise<IssueComment[]> {
    const out: IssueComment[] = [];
    for (let page = 1; page <= maxPages; page += 1) {
      const r = await this.#octokit.request(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
        { owner, repo, issue_number: issueNumber, per_page: PER_PAGE, page }
      );
      out.push(...r.data);
      if (r.data.length < PER_PAGE) break;
    }
    return out;
  }

  /** Adds a comment to an issue or pull request. */
  async createIssueComment(
    owner: string,
    repo: string,
    issueNumber: number,
    body: string
  ): Promise<IssueComment> {
    const r = await this.#octokit.request(
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { owner, repo, issue_number: issueNumber, body }
    );
    return r.data;
  }

  /** Replaces the body of a comment. */
  async updateIssueComment(
    owner: string,
    repo: string,
    commentId: number,
    body: string
  ): Promise<IssueComment> {
    const r = await this.#octokit.request(
      'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
      { owner, repo, comment_id: commentId, body }
    );
    return r.data;
  }
}
