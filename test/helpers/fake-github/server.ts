/**
 * A local GitHub REST API on loopback (127.0.0.1, a free port) for tests: it authenticates as
 * GitHub does (an app's RS256 JWT, installation access tokens it issued with an expiry, tokens,
 * anonymous access to public repositories), enforces installation repository selection and
 * permissions, answers from a {@link FakeGitHubWorld} with objects built from GitHub's own
 * OpenAPI examples, sends rate-limit headers, redirects renamed repositories (301 to
 * `/repositories/{id}/…`), and can be told to fail (scripted answers, an outage).
 *
 * Every request's query and body and every answer are validated against GitHub's OpenAPI
 * description (`@octokit/openapi`); a mismatch is recorded in `violations` and answered 500, so
 * a test cannot pass on a shape GitHub would not send or accept.
 */
import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify } from 'jose';
import * as objects from './objects.js';
import { type GitHubOpenApi, githubOpenApi, type Violation } from './openapi.js';
import { FakeGitHubWorld, type FakeInstallation, type FakeRepository } from './world.js';

/** One request the fake saw. */
export interface FakeRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The OpenAPI path template it matched (`GET /repos/{owner}/{repo}`), or `null`. */
  readonly route: string | null;
  /** Who made it: `app`, `installation:<id>`, `token`, `anonymous` or `invalid`. */
  readonly auth: string;
  readonly status: number;
  readonly body: unknown;
}

/** A scripted answer for the next request(s) that `when` accepts (every request by default). */
export interface ScriptedAnswer {
  readonly when?: (r: { method: string; route: string | null; url: string }) => boolean;
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** How many requests it answers. @default 1 */
  readonly times?: number;
}

/** Options of {@link startFakeGitHub}. */
export interface FakeGitHubOptions {
  readonly appId?: number;
  readonly appSlug?: string;
  /** Lifetime of installation tokens. @default 1 hour (GitHub's) */
  readonly tokenTtlMs?: number;
  /** Requests per hour per token (the `core` limit). @default 5000 */
  readonly rateLimit?: number;
  /** The fake's clock (token expiry, rate-limit windows). @default Date.now */
  readonly now?: () => number;
  /** Path the API is served under: `/api/v3` plays GitHub Enterprise Server. @default '' */
  readonly pathPrefix?: string;
}

/** The running fake. */
export interface FakeGitHub {
  /** The API base URL: `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly world: FakeGitHubWorld;
  readonly app: { readonly id: number; readonly slug: string; readonly privateKey: string };
  readonly requests: FakeRequest[];
  readonly violations: Violation[];
  /** Installation tokens issued, oldest first. */
  readonly tokensIssued: { installationId: number; expiresAt: string }[];
  /** Accepts `token` as a token with access to `repositories` (a fine-grained PAT). */
  addToken(token: string, repositories: readonly FakeRepository[]): void;
  /** Answers the next matching requests from a script. */
  script(...answers: ScriptedAnswer[]): void;
  /** While on, every request is answered 503 (GitHub down). */
  outage(on: boolean): void;
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

interface Auth {
  readonly kind: 'app' | 'installation' | 'token' | 'anonymous' | 'invalid';
  readonly installation?: FakeInstallation;
  readonly permissions?: Readonly<Record<string, string>>;
  readonly repositories?: readonly number[];
  readonly key: string;
  readonly problem?: string;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Context {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly auth: Auth;
  /** The repository of `{owner}/{repo}` routes. */
  readonly repo: FakeRepository | null;
}

interface Route {
  readonly method: string;
  readonly template: string;
  /**
   * `app`: the app's JWT; `installation`: an installation token; `repo`: access to the
   * repository; `any`: any credentials but the app's JWT, or none (public data).
   */
  readonly access: 'app' | 'installation' | 'repo' | 'any';
  /** Permission needed on the repository (`actions:read`, `checks:write`, …). */
  readonly permission?: string;
  readonly handle: (ctx: Context) => Answer;
}

const DOCS = 'https://docs.github.com/rest';

function notFound(): Answer {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

/** GitHub's answer for a primary rate limit (403, `x-ratelimit-remaining: 0`). */
export function primaryRateLimitAnswer(resetAtSeconds: number, limit = 5000): ScriptedAnswer {
  return {
    status: 403,
    body: {
      message: 'API rate limit exceeded for installation ID 1.',
      documentation_url:
        'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
    },
    headers: {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': String(limit),
      'x-ratelimit-reset': String(resetAtSeconds),
      'x-ratelimit-resource': 'core',
    },
  };
}

/** GitHub's answer for a secondary rate limit (403 or 429 with `retry-after`). */
export function secondaryRateLimitAnswer(retryAfterSeconds: number, status = 403): ScriptedAnswer {
  return {
    status,
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ABCD:1234.',
      documentation_url:
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

/** The HTML page GitHub's front end serves when it is down (503). */
export const UNAVAILABLE: ScriptedAnswer = {
  status: 503,
  body: '<!DOCTYPE html><html><head><title>Unicorn! · GitHub</title></head><body>No server is currently available to service your request.</body></html>',
  headers: { 'content-type': 'text/html; charset=utf-8' },
};

function templateRegex(template: string): RegExp {
  const pattern = template
    .split('/')
    .map((part) => (part.startsWith('{') ? (part === '{path}' ? '(.+)' : '([^/]+)') : part))
    .join('/');
  return new RegExp(`^${pattern}$`);
}

function paramNames(template: string): string[] {
  return [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
}

function isoNow(now: () => number): string {
  return new Date(Math.floor(now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Starts the fake on a free loopback port. */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const api: GitHubOpenApi = githubOpenApi();
  const now = options.now ?? Date.now;
  const world = new FakeGitHubWorld();
  const appId = options.appId ?? 424242;
  const appSlug = options.appSlug ?? 'oidcwatch-test';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    // GitHub hands out app keys as PKCS#1 ("BEGIN RSA PRIVATE KEY").
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const verifyKey: KeyObject = createPublicKey(publicKey);
  const tokenTtlMs = options.tokenTtlMs ?? 3_600_000;
  const rateLimit = options.rateLimit ?? 5000;
  const prefix = options.pathPrefix ?? '';

  const requests: FakeRequest[] = [];
  const violations: Violation[] = [];
  const tokensIssued: { installationId: number; expiresAt: string }[] = [];
  const tokens = new Map<
    string,
    {
      installation: FakeInstallation;
      expiresAt: number;
      permissions: Readonly<Record<string, string>>;
    }
  >();
  const personalTokens = new Map<string, number[]>();
  const script: { answer: ScriptedAnswer; left: number }[] = [];
  const usage = new Map<string, { windowStart: number; used: number }>();
  let down = false;
  let site: objects.Site = { api: '', web: 'https://github.com', appId, appSlug };
  let tokenSeq = 0;

  const repoOf = (ctx: Context) => ctx.repo as FakeRepository;
  const nowIso = () => isoNow(now);

  const routes: Route[] = [
    {
      method: 'GET',
      template: '/app/installations',
      access: 'app',
      handle: (ctx) => {
        const perPage = Number(ctx.query.get('per_page') ?? 30);
        const page = Number(ctx.query.get('page') ?? 1);
        const all = world.installations.map((i) => objects.installation(api, site, i));
        return { status: 200, body: all.slice((page - 1) * perPage, page * perPage) };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/installation',
      access: 'app',
      handle: (ctx) => {
        const inst = ctx.repo === null ? undefined : world.installationOf(ctx.repo);
        return inst === undefined
          ? notFound()
          : { status: 200, body: objects.installation(api, site, inst) };
      },
    },
    {
      method: 'POST',
      template: '/app/installations/{installation_id}/access_tokens',
      access: 'app',
      handle: (ctx) => {
        const inst = world.installations.find((i) => String(i.id) === ctx.params.installation_id);
        if (inst === undefined) return notFound();
        const asked = ((ctx.body as Json | undefined)?.permissions ?? null) as Record<
          string,
          string
        > | null;
        const granted: Record<string, string> = {};
        for (const [name, level] of Object.entries(asked ?? inst.permissions)) {
          const has = inst.permissions[name];
          if (has === undefined || (level === 'write' && has !== 'write'))
            return {
              status: 422,
              body: {
                message: `The permissions requested are not granted to this installation.`,
                documentation_url: DOCS,
              },
            };
          granted[name] = level;
        }
        tokenSeq += 1;
        const token = `ghs_${String(tokenSeq).padStart(4, '0')}${'x'.repeat(32)}`;
        const expiresAt = now() + tokenTtlMs;
        const expiresIso = new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
        tokens.set(token, { installation: inst, expiresAt, permissions: granted });
        tokensIssued.push({ installationId: inst.id, expiresAt: expiresIso });
        return {
          status: 201,
          body: objects.installationToken(api, token, expiresIso, inst, granted),
        };
      },
    },
    {
      method: 'GET',
      template: '/installation/repositories',
      access: 'installation',
      handle: (ctx) => {
        const inst = ctx.auth.installation as FakeInstallation;
        const repos = world.repositories.filter((r) => world.installationOf(r)?.id === inst.id);
        const perPage = Number(ctx.query.get('per_page') ?? 30);
        const page = Number(ctx.query.get('page') ?? 1);
        return {
          status: 200,
          body: {
            total_count: repos.length,
            repository_selection: inst.repositorySelection,
            repositories: repos
              .slice((page - 1) * perPage, page * perPage)
              .map((r) => objects.listedRepository(api, site, r)),
          },
        };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}',
      access: 'repo',
      permission: 'metadata:read',
      handle: (ctx) => ({ status: 200, body: objects.fullRepository(api, site, repoOf(ctx)) }),
    },
    {
      method: 'GET',
      template: '/users/{username}',
      access: 'any',
      handle: (ctx) => {
        const account = world.accountByLogin(ctx.params.username ?? '');
        return account === undefined
          ? notFound()
          : { status: 200, body: objects.publicUser(api, site, account) };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/runs',
      access: 'repo',
      permission: 'actions:read',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const q = ctx.query;
        const created = q.get('created');
        const inCreated = (at: string): boolean => {
          if (created === null) return true;
          const t = Date.parse(at);
          const range = created.match(/^(.+)\.\.(.+)$/);
          if (range !== null) {
            const from = range[1] === '*' ? -Infinity : Date.parse(range[1] as string);
            const to = range[2] === '*' ? Infinity : Date.parse(range[2] as string);
            return t >= from && t <= to;
          }
          const cmp = created.match(/^([<>]=?)(.+)$/);
          if (cmp !== null) {
            const v = Date.parse(cmp[2] as string);
            return cmp[1] === '>='
              ? t >= v
              : cmp[1] === '>'
                ? t > v
                : cmp[1] === '<='
                  ? t <= v
                  : t < v;
          }
          return at.startsWith(created);
        };
        const runs = world.runs
          .filter(
            (r) =>
              r.repositoryId === repo.id &&
              inCreated(r.createdAt) &&
              (q.get('branch') === null || r.headBranch === q.get('branch')) &&
              (q.get('event') === null || r.event === q.get('event')) &&
              (q.get('head_sha') === null || r.headSha === q.get('head_sha')) &&
              (q.get('status') === null || r.status === q.get('status'))
          )
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
        const perPage = Number(q.get('per_page') ?? 30);
        const page = Number(q.get('page') ?? 1);
        return {
          status: 200,
          body: {
            total_count: runs.length,
            workflow_runs: runs
              .slice((page - 1) * perPage, page * perPage)
              .map((r) => objects.workflowRun(api, site, r, repo)),
          },
        };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs',
      access: 'repo',
      permission: 'actions:read',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const run = world.runs.find(
          (r) => r.repositoryId === repo.id && String(r.id) === ctx.params.run_id
        );
        if (run === undefined) return notFound();
        const all = ctx.query.get('filter') === 'all';
        const jobs = world.jobs.filter(
          (j) => j.runId === run.id && (all || j.runAttempt === run.runAttempt)
        );
        const perPage = Number(ctx.query.get('per_page') ?? 30);
        const page = Number(ctx.query.get('page') ?? 1);
        return {
          status: 200,
          body: {
            total_count: jobs.length,
            jobs: jobs
              .slice((page - 1) * perPage, page * perPage)
              .map((j) => objects.workflowJob(api, site, j, run, repo)),
          },
        };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/contents/{path}',
      access: 'repo',
      permission: 'contents:read',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const ref = ctx.query.get('ref') ?? repo.defaultBranch;
        const path = decodeURIComponent(ctx.params.path ?? '');
        const text = world.files.get(`${repo.id}@${ref}:${path}`);
        return text === undefined
          ? notFound()
          : { status: 200, body: objects.contentFile(api, site, repo, path, ref, text) };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/commits/{ref}/check-runs',
      access: 'repo',
      permission: 'checks:read',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const name = ctx.query.get('check_name');
        let runs = world.checkRuns
          .filter(
            (c) =>
              c.repositoryId === repo.id &&
              c.response.head_sha === ctx.params.ref &&
              (name === null || c.response.name === name)
          )
          .map((c) => c.response)
          .reverse();
        if (ctx.query.get('filter') !== 'all') {
          const seen = new Set<unknown>();
          runs = runs.filter((r) => !seen.has(r.name) && seen.add(r.name));
        }
        return { status: 200, body: { total_count: runs.length, check_runs: runs } };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/check-runs',
      access: 'repo',
      permission: 'checks:write',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const id = world.id();
        const body = ctx.body as Json;
        const response = objects.checkRun(api, site, repo, id, body, nowIso());
        world.checkRuns.push({
          id,
          repositoryId: repo.id,
          installationId: ctx.auth.installation?.id ?? null,
          request: body,
          response,
        });
        return { status: 201, body: response };
      },
    },
    {
      method: 'GET',
      template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      access: 'repo',
      permission: 'pull_requests:read',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const perPage = Number(ctx.query.get('per_page') ?? 30);
        const page = Number(ctx.query.get('page') ?? 1);
        const list = world.comments.filter(
          (c) => c.repositoryId === repo.id && String(c.issueNumber) === ctx.params.issue_number
        );
        return {
          status: 200,
          body: list
            .slice((page - 1) * perPage, page * perPage)
            .map((c) => objects.issueComment(api, site, repo, c)),
        };
      },
    },
    {
      method: 'POST',
      template: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
      access: 'repo',
      permission: 'pull_requests:write',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const comment = {
          id: world.id(),
          repositoryId: repo.id,
          issueNumber: Number(ctx.params.issue_number),
          body: String((ctx.body as Json).body),
          createdAt: nowIso(),
          updatedAt: nowIso(),
          byApp: ctx.auth.kind === 'installation',
        };
        world.comments.push(comment);
        return { status: 201, body: objects.issueComment(api, site, repo, comment) };
      },
    },
    {
      method: 'PATCH',
      template: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
      access: 'repo',
      permission: 'pull_requests:write',
      handle: (ctx) => {
        const repo = repoOf(ctx);
        const comment = world.comments.find(
          (c) => c.repositoryId === repo.id && String(c.id) === ctx.params.comment_id
        );
        if (comment === undefined) return notFound();
        comment.body = String((ctx.body as Json).body);
        comment.updatedAt = nowIso();
        return { status: 200, body: objects.issueComment(api, site, repo, comment) };
      },
    },
  ];
  const compiled = routes.map((r) => ({
    ...r,
    regex: templateRegex(r.template),
    names: paramNames(r.template),
  }));

  async function authenticate(header: string | undefined): Promise<Auth> {
    if (header === undefined || header === '') return { kind: 'anonymous', key: 'anonymous' };
    const m = header.match(/^(?:bearer|token)\s+(\S+)$/i);
    const credential = m?.[1];
    if (credential === undefined)
      return { kind: 'invalid', key: 'invalid', problem: 'unreadable authorization header' };
    if (credential.split('.').length === 3) {
      try {
        const { payload } = await jwtVerify(credential, verifyKey, {
          // The app signs with the real clock (auth-app reads Date.now), so the JWT is checked
          // against it too; `now` drives token expiry and rate-limit windows.
          algorithms: ['RS256'],
          clockTolerance: 60,
        });
        const iat = Number(payload.iat);
        const exp = Number(payload.exp);
        if (String(payload.iss) !== String(appId))
          return { kind: 'invalid', key: 'invalid', problem: 'JWT iss is not the app' };
        if (!(exp - iat <= 660 && exp * 1000 <= Date.now() + 600_000 + 60_000))
          return {
            kind: 'invalid',
            key: 'invalid',
            problem: "'Expiration time' claim ('exp') is too far in the future",
          };
        return { kind: 'app', key: 'app' };
      } catch (e) {
        return {
          kind: 'invalid',
          key: 'invalid',
          problem: `A JSON web token could not be decoded (${(e as Error).message})`,
        };
      }
    }
    const t = tokens.get(credential);
    if (t !== undefined) {
      if (t.expiresAt <= now())
        return { kind: 'invalid', key: 'invalid', problem: 'Bad credentials (token expired)' };
      return {
        kind: 'installation',
        installation: t.installation,
        permissions: t.permissions,
        key: `installation:${t.installation.id}`,
      };
    }
    const pat = personalTokens.get(credential);
    if (pat !== undefined)
      return { kind: 'token', repositories: pat, key: `token:${credential.slice(-4)}` };
    return { kind: 'invalid', key: 'invalid', problem: 'Bad credentials' };
  }

  /** `null` when `auth` may use the repository route, else the answer GitHub gives. */
  function checkRepoAccess(auth: Auth, repo: FakeRepository, permission?: string): Answer | null {
    if (auth.kind === 'anonymous')
      return repo.private || permission?.endsWith(':write') ? notFound() : null;
    if (auth.kind === 'token')
      return auth.repositories?.includes(repo.id) ||
        (!repo.private && permission === 'metadata:read')
        ? null
        : notFound();
    if (auth.kind !== 'installation') return notFound();
    if (world.installationOf(repo)?.id !== auth.installation?.id)
      // An installation token reads public repositories of any owner, as any token does.
      return !repo.private && permission === 'metadata:read' ? null : notFound();
    if (permission === undefined || permission === 'metadata:read') return null;
    const [name, level] = permission.split(':') as [string, string];
    const alternatives = name === 'pull_requests' ? ['pull_requests', 'issues'] : [name];
    const ok = alternatives.some((n) => {
      const has = auth.permissions?.[n];
      return has === 'write' || (has === 'read' && level === 'read');
    });
    return ok
      ? null
      : {
          status: 403,
          body: { message: 'Resource not accessible by integration', documentation_url: DOCS },
        };
  }

  /** Counts a request of `key` in its hourly window; `over` when the window's limit is spent. */
  function rateHeaders(key: string): Record<string, string> & { over?: string } {
    const t = now();
    let u = usage.get(key);
    if (u === undefined || t - u.windowStart >= 3_600_000) {
      u = { windowStart: t, used: 0 };
      usage.set(key, u);
    }
    u.used += 1;
    return {
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, rateLimit - u.used)),
      'x-ratelimit-used': String(u.used),
      'x-ratelimit-reset': String(Math.ceil((u.windowStart + 3_600_000) / 1000)),
      'x-ratelimit-resource': 'core',
      ...(u.used > rateLimit ? { over: 'yes' } : {}),
    };
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    let text = '';
    req.setEncoding('utf8');
    for await (const chunk of req) text += chunk;
    return text;
  }

  function send(res: ServerResponse, answer: Answer, extra: Record<string, string>): void {
    const isText = typeof answer.body === 'string';
    const payload =
      answer.body === undefined ? '' : isText ? String(answer.body) : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `FAKE:${requests.length}`,
      ...extra,
      ...answer.headers,
    });
    res.end(payload);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', site.api);
    if (prefix !== '') {
      if (!url.pathname.startsWith(`${prefix}/`)) {
        violations.push({
          route: `${method} ${url.pathname}`,
          where: 'route',
          problems: `not under ${prefix}`,
        });
        send(res, notFound(), {});
        return;
      }
      url.pathname = url.pathname.slice(prefix.length);
    }
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    const auth = await authenticate(req.headers.authorization);

    // Renamed repositories: /repos/{owner}/{old}/… answers 301 to /repositories/{id}/….
    let path = url.pathname;
    let repoById: FakeRepository | null = null;
    const byId = path.match(/^\/repositories\/(\d+)(\/.*)?$/);
    if (byId !== null) {
      repoById = world.repositoryById(Number(byId[1])) ?? null;
      if (repoById !== null)
        path = `/repos/${repoById.owner.login}/${repoById.name}${byId[2] ?? ''}`;
      else {
        // GitHub answers 404 for an id no repository has (or had, then deleted).
        requests.push({
          method,
          url: `${url.pathname}${url.search}`,
          route: null,
          auth: auth.kind,
          status: 404,
          body,
        });
        send(res, notFound(), {});
        return;
      }
    }
    const repoPath = path.match(/^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/);
    if (repoPath !== null && byId === null) {
      const owner = decodeURIComponent(repoPath[1] as string);
      const name = decodeURIComponent(repoPath[2] as string);
      const moved =
        world.repositoryByName(owner, name) === undefined
          ? world.movedRepository(owner, name)
          : undefined;
      if (moved !== undefined) {
        const location = `${site.api}/repositories/${moved.id}${repoPath[3] ?? ''}${url.search}`;
        requests.push({
          method,
          url: `${url.pathname}${url.search}`,
          route: null,
          auth: auth.kind,
          status: 301,
          body,
        });
        // The body follows GitHub's `moved_permanently` response (`basic-error`).
        send(
          res,
          {
            status: 301,
            body: { message: 'Moved Permanently', url: location, documentation_url: DOCS },
            headers: { location },
          },
          {}
        );
        return;
      }
    }

    const route = compiled.find((r) => r.method === method && r.regex.test(path));
    const routeName = route === undefined ? null : `${route.method} ${route.template}`;
    const record = (status: number) =>
      requests.push({
        method,
        url: `${url.pathname}${url.search}`,
        route: routeName,
        auth: auth.kind === 'installation' ? `installation:${auth.installation?.id}` : auth.kind,
        status,
        body,
      });

    if (down) {
      record(UNAVAILABLE.status);
      send(res, UNAVAILABLE, {});
      return;
    }
    const scripted = script.find(
      (s) => s.answer.when?.({ method, route: routeName, url: url.pathname }) ?? true
    );
    if (scripted !== undefined) {
      scripted.left -= 1;
      if (scripted.left <= 0) script.splice(script.indexOf(scripted), 1);
      record(scripted.answer.status);
      send(res, scripted.answer, {});
      return;
    }
    if (route === undefined) {
      record(404);
      violations.push({
        route: `${method} ${url.pathname}`,
        where: 'route',
        problems: 'no such route in the fake',
      });
      send(res, notFound(), {});
      return;
    }
    const problems = [
      ...api.checkQuery(method, route.template, url.searchParams).map((p) => `request ${p}`),
      ...api.checkRequestBody(method, route.template, body).map((p) => `request body ${p}`),
    ];
    if (problems.length > 0) {
      violations.push({
        route: routeName as string,
        where: 'request',
        problems: problems.join('; '),
      });
      record(500);
      send(res, { status: 500, body: { message: `fake GitHub: ${problems.join('; ')}` } }, {});
      return;
    }

    const m = path.match(route.regex) as RegExpMatchArray;
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1] ?? '');
    });
    let answer: Answer;
    const { over, ...limits } = rateHeaders(auth.key);
    const repo =
      repoById ??
      (params.owner !== undefined && params.repo !== undefined
        ? (world.repositoryByName(params.owner, params.repo) ?? null)
        : null);
    if (over !== undefined && auth.kind !== 'anonymous' && auth.kind !== 'invalid') {
      answer = primaryRateLimitAnswer(Number(limits['x-ratelimit-reset']), rateLimit);
    } else if (auth.kind === 'invalid') {
      answer = {
        status: 401,
        body: { message: auth.problem ?? 'Bad credentials', documentation_url: DOCS },
      };
    } else if (route.access === 'app') {
      answer =
        auth.kind === 'app'
          ? route.handle({ params, query: url.searchParams, body, auth, repo })
          : {
              status: 401,
              body: {
                message: 'A JSON web token could not be decoded',
                documentation_url: DOCS,
              },
            };
    } else if (route.access === 'installation') {
      answer =
        auth.kind === 'installation'
          ? route.handle({ params, query: url.searchParams, body, auth, repo })
          : { status: 403, body: { message: 'Forbidden', documentation_url: DOCS } };
    } else if (route.access === 'any') {
      answer =
        auth.kind === 'app'
          ? {
              status: 403,
              body: {
                message: 'Resource not accessible by integration',
                documentation_url: DOCS,
              },
            }
          : route.handle({ params, query: url.searchParams, body, auth, repo });
    } else if (repo === null) {
      answer = notFound();
    } else {
      answer =
        checkRepoAccess(auth, repo, route.permission) ??
        route.handle({ params, query: url.searchParams, body, auth, repo });
    }
    const responseProblems = api.checkResponse(method, route.template, answer.status, answer.body);
    if (responseProblems.length > 0) {
      violations.push({
        route: routeName as string,
        where: `response ${answer.status}`,
        problems: responseProblems.join('; '),
      });
      answer = { status: 500, body: { message: `fake GitHub: ${responseProblems.join('; ')}` } };
    }
    record(answer.status);
    send(res, answer, limits);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      violations.push({ route: `${req.method} ${req.url}`, where: 'fake', problems: String(e) });
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `fake GitHub crashed: ${String(e)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  site = { ...site, api: `http://127.0.0.1:${port}${prefix}` };

  return {
    url: site.api,
    world,
    app: { id: appId, slug: appSlug, privateKey },
    requests,
    violations,
    tokensIssued,
    addToken: (token, repositories) => {
      personalTokens.set(
        token,
        repositories.map((r) => r.id)
      );
    },
    script: (...answers) => {
      for (const answer of answers) script.push({ answer, left: answer.times ?? 1 });
    },
    outage: (on) => {
      down = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
