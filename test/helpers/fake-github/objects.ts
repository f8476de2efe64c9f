/**
 * The fake's answers, built from GitHub's own examples in its OpenAPI description with the world's
 * ids, names, times and URLs put in. Nothing here invents a field: a field GitHub's example lacks
 * and its schema requires is added only where the schema names it (and the server validates every
 * answer against the schema anyway).
 */
import type { GitHubOpenApi } from './openapi.js';
import type {
  FakeAccount,
  FakeComment,
  FakeInstallation,
  FakeJob,
  FakeRepository,
  FakeRun,
} from './world.js';

// biome-ignore lint/suspicious/noExplicitAny: GitHub's JSON objects, reshaped from examples.
type Obj = any;

/** Where the fake lives and what it calls itself. */
export interface Site {
  /** API base, e.g. `http://127.0.0.1:PORT`. */
  readonly api: string;
  /** Web base used in `html_url`s. */
  readonly web: string;
  readonly appId: number;
  readonly appSlug: string;
}

/** Replaces a repository's example URLs and names with `owner/name`'s, everywhere in `obj`. */
function retarget(obj: Obj, site: Site, fromRepo: string, toRepo: string): Obj {
  const text = JSON.stringify(obj)
    .replaceAll(`https://api.github.com/repos/${fromRepo}`, `${site.api}/repos/${toRepo}`)
    .replaceAll(`https://github.com/${fromRepo}`, `${site.web}/${toRepo}`)
    .replaceAll('https://api.github.com', site.api)
    .replaceAll('https://github.com', site.web);
  return JSON.parse(text);
}

/** A `simple-user` for an account, from the example's owner. */
export function simpleUser(api: GitHubOpenApi, site: Site, account: FakeAccount): Obj {
  const owner = api.example('get', '/repos/{owner}/{repo}', 200).owner;
  const text = JSON.stringify(owner)
    .replaceAll('https://api.github.com/users/octocat', `${site.api}/users/${account.login}`)
    .replaceAll('https://github.com/octocat', `${site.web}/${account.login}`)
    .replaceAll('https://github.com', site.web);
  return { ...JSON.parse(text), login: account.login, id: account.id, type: account.type };
}

/** A `public-user` (GET /users/{username}), from GitHub's example, for a user or organisation. */
export function publicUser(api: GitHubOpenApi, site: Site, account: FakeAccount): Obj {
  const ex = api.example('get', '/users/{username}', 200, 'default-response');
  const text = JSON.stringify(ex)
    .replaceAll('https://api.github.com/users/octocat', `${site.api}/users/${account.login}`)
    .replaceAll('https://github.com/octocat', `${site.web}/${account.login}`)
    .replaceAll('https://api.github.com', site.api)
    .replaceAll('https://github.com', site.web);
  return {
    ...JSON.parse(text),
    login: account.login,
    id: account.id,
    node_id: Buffer.from(`04:User${account.id}`).toString('base64'),
    type: account.type,
    name: account.login,
  };
}

function fullName(repo: FakeRepository): string {
  return `${repo.owner.login}/${repo.name}`;
}

/** `full-repository` (GET /repos/{owner}/{repo}). */
export function fullRepository(api: GitHubOpenApi, site: Site, repo: FakeRepository): Obj {
  const ex = retarget(
    api.example('get', '/repos/{owner}/{repo}', 200),
    site,
    'octocat/Hello-World',
    fullName(repo)
  );
  return {
    ...ex,
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString('base64'),
    name: repo.name,
    full_name: fullName(repo),
    owner: simpleUser(api, site, repo.owner),
    organization: undefined,
    parent: undefined,
    source: undefined,
    template_repository: null,
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    default_branch: repo.defaultBranch,
    fork: false,
    // Required by the schema, absent from GitHub's example.
    language: ex.language ?? null,
  };
}

/** `repository` (as listed by GET /installation/repositories). */
export function listedRepository(api: GitHubOpenApi, site: Site, repo: FakeRepository): Obj {
  const ex = api.example('get', '/installation/repositories', 200).repositories[0];
  return {
    ...retarget(ex, site, 'octocat/Hello-World', fullName(repo)),
    id: repo.id,
    name: repo.name,
    full_name: fullName(repo),
    owner: simpleUser(api, site, repo.owner),
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    default_branch: repo.defaultBranch,
    template_repository: null,
  };
}

/** `minimal-repository`, as workflow runs carry it. */
function minimalRepository(api: GitHubOpenApi, site: Site, repo: FakeRepository): Obj {
  const ex = api.example('get', '/repos/{owner}/{repo}/actions/runs', 200).workflow_runs[0]
    .repository;
  return {
    ...retarget(ex, site, 'octocat/Hello-World', fullName(repo)),
    id: repo.id,
    name: repo.name,
    full_name: fullName(repo),
    owner: simpleUser(api, site, repo.owner),
    private: repo.private,
  };
}

/** `workflow-run`. */
export function workflowRun(
  api: GitHubOpenApi,
  site: Site,
  run: FakeRun,
  repo: FakeRepository
): Obj {
  const ex = retarget(
    api.example('get', '/repos/{owner}/{repo}/actions/runs', 200).workflow_runs[0],
    site,
    'octo-org/octo-repo',
    fullName(repo)
  );
  const base = `${site.api}/repos/${fullName(repo)}/actions/runs/${run.id}`;
  return {
    ...ex,
    id: run.id,
    name: run.name,
    node_id: Buffer.from(`012:WorkflowRun${run.id}`).toString('base64'),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    run_attempt: run.runAttempt,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    url: base,
    html_url: `${site.web}/${fullName(repo)}/actions/runs/${run.id}`,
    jobs_url: `${base}/jobs`,
    logs_url: `${base}/logs`,
    check_suite_url: `${site.api}/repos/${fullName(repo)}/check-suites/${run.id + 1}`,
    artifacts_url: `${base}/artifacts`,
    cancel_url: `${base}/cancel`,
    rerun_url: `${base}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${base}/attempts/${run.runAttempt - 1}` : null,
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.runStartedAt,
    pull_requests: run.pullRequests.map((number) => ({
      id: number * 1000 + 7,
      number,
      url: `${site.api}/repos/${fullName(repo)}/pulls/${number}`,
      head: {
        ref: run.headBranch ?? 'head',
        sha: run.headSha,
        repo: { id: repo.id, url: `${site.api}/repos/${fullName(repo)}`, name: repo.name },
      },
      base: {
        ref: repo.defaultBranch,
        sha: '0'.repeat(40),
        repo: { id: repo.id, url: `${site.api}/repos/${fullName(repo)}`, name: repo.name },
      },
    })),
    head_commit: { ...ex.head_commit, id: run.headSha, tree_id: run.headSha },
    repository: minimalRepository(api, site, repo),
    head_repository: minimalRepository(api, site, repo),
  };
}

/** `job`. */
export function workflowJob(
  api: GitHubOpenApi,
  site: Site,
  job: FakeJob,
  run: FakeRun,
  repo: FakeRepository
): Obj {
  const ex = retarget(
    api.example('get', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', 200).jobs[0],
    site,
    'octo-org/octo-repo',
    fullName(repo)
  );
  return {
    ...ex,
    id: job.id,
    run_id: run.id,
    run_attempt: job.runAttempt,
    run_url: `${site.api}/repos/${fullName(repo)}/actions/runs/${run.id}`,
    node_id: Buffer.from(`08:CheckRun${job.id}`).toString('base64'),
    head_sha: run.headSha,
    head_branch: run.headBranch,
    workflow_name: run.name,
    url: `${site.api}/repos/${fullName(repo)}/actions/jobs/${job.id}`,
    html_url: `${site.web}/${fullName(repo)}/actions/runs/${run.id}/job/${job.id}`,
    check_run_url: `${site.api}/repos/${fullName(repo)}/check-runs/${job.id}`,
    name: job.name,
    status: job.status,
    conclusion: job.conclusion,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
    labels: ['ubuntu-latest'],
    runner_id: 7,
    runner_name: 'GitHub Actions 7',
    runner_group_id: 1,
    runner_group_name: 'GitHub Actions',
    steps: job.steps.map((s, i) => ({
      name: s.name,
      status: s.status,
      conclusion: s.conclusion,
      number: i + 1,
      started_at: s.startedAt,
      completed_at: s.completedAt,
    })),
  };
}

/** `installation`. */
export function installation(api: GitHubOpenApi, site: Site, inst: FakeInstallation): Obj {
  const ex = api.example('get', '/repos/{owner}/{repo}/installation', 200);
  return {
    ...retarget(ex, site, 'octocat/Hello-World', 'x/y'),
    id: inst.id,
    account: simpleUser(api, site, inst.account),
    permissions: inst.permissions,
    repository_selection: inst.repositorySelection,
    access_tokens_url: `${site.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${site.api}/installation/repositories`,
    html_url: `${site.web}/organizations/${inst.account.login}/settings/installations/${inst.id}`,
    app_id: site.appId,
    app_slug: site.appSlug,
    target_id: inst.account.id,
    target_type: inst.account.type,
    suspended_by: null,
    suspended_at: null,
  };
}

/** `installation-token`. */
export function installationToken(
  api: GitHubOpenApi,
  token: string,
  expiresAt: string,
  inst: FakeInstallation,
  permissions: Readonly<Record<string, string>>
): Obj {
  const ex = api.example('post', '/app/installations/{installation_id}/access_tokens', 201);
  delete ex.repositories;
  return {
    ...ex,
    token,
    expires_at: expiresAt,
    permissions,
    repository_selection: inst.repositorySelection,
  };
}

/** `content-file`. */
export function contentFile(
  api: GitHubOpenApi,
  site: Site,
  repo: FakeRepository,
  path: string,
  ref: string,
  text: string
): Obj {
  const ex = api.example(
    'get',
    '/repos/{owner}/{repo}/contents/{path}',
    200,
    'response-if-content-is-a-file'
  );
  const content = Buffer.from(text, 'utf8').toString('base64');
  const sha = Buffer.from(`${repo.id}:${ref}:${path}`).toString('hex').slice(0, 40).padEnd(40, '0');
  const url = `${site.api}/repos/${fullName(repo)}/contents/${path}?ref=${ref}`;
  return {
    ...ex,
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text),
    name: path.split('/').pop(),
    path,
    // GitHub wraps base64 content at 60 characters.
    content: content.replace(/(.{60})/g, '$1\n'),
    sha,
    url,
    git_url: `${site.api}/repos/${fullName(repo)}/git/blobs/${sha}`,
    html_url: `${site.web}/${fullName(repo)}/blob/${ref}/${path}`,
    download_url: `${site.web}/${fullName(repo)}/raw/${ref}/${path}`,
    _links: {
      self: url,
      git: `${site.api}/repos/${fullName(repo)}/git/blobs/${sha}`,
      html: `${site.web}/${fullName(repo)}/blob/${ref}/${path}`,
    },
  };
}

/** `check-run`, as created from `body`. */
export function checkRun(
  api: GitHubOpenApi,
  site: Site,
  repo: FakeRepository,
  id: number,
  body: Obj,
  now: string
): Obj {
  const ex = api.example('post', '/repos/{owner}/{repo}/check-runs', 201);
  const app = { ...ex.app, id: site.appId, slug: site.appSlug, name: 'oidcwatch (fake)' };
  const output = body.output ?? {};
  return {
    ...retarget(ex, site, 'github/hello-world', fullName(repo)),
    id,
    node_id: Buffer.from(`08:CheckRun${id}`).toString('base64'),
    head_sha: body.head_sha,
    name: body.name,
    external_id: body.external_id ?? null,
    details_url: body.details_url ?? null,
    url: `${site.api}/repos/${fullName(repo)}/check-runs/${id}`,
    html_url: `${site.web}/${fullName(repo)}/runs/${id}`,
    status: body.status ?? (body.conclusion ? 'completed' : 'queued'),
    conclusion: body.conclusion ?? null,
    started_at: body.started_at ?? now,
    completed_at: body.completed_at ?? (body.conclusion ? now : null),
    output: {
      title: output.title ?? null,
      summary: output.summary ?? null,
      text: output.text ?? null,
      annotations_count: Array.isArray(output.annotations) ? output.annotations.length : 0,
      annotations_url: `${site.api}/repos/${fullName(repo)}/check-runs/${id}/annotations`,
    },
    check_suite: { id: id + 1 },
    app,
    pull_requests: [],
  };
}

/** `issue-comment`. */
export function issueComment(
  api: GitHubOpenApi,
  site: Site,
  repo: FakeRepository,
  comment: FakeComment
): Obj {
  const ex = api.example('post', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 201);
  const base = retarget(ex, site, 'octocat/Hello-World', fullName(repo));
  return {
    ...base,
    id: comment.id,
    node_id: Buffer.from(`012:IssueComment${comment.id}`).toString('base64'),
    url: `${site.api}/repos/${fullName(repo)}/issues/comments/${comment.id}`,
    html_url: `${site.web}/${fullName(repo)}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${site.api}/repos/${fullName(repo)}/issues/${comment.issueNumber}`,
    body: comment.body,
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    user: comment.byApp
      ? {
          ...base.user,
          login: `${site.appSlug}[bot]`,
          id: site.appId + 40_000_000,
          type: 'Bot',
        }
      : base.user,
    performed_via_github_app: undefined,
  };
}
