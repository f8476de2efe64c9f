/**
 * The GitHub API client (`GitHubConnection` + `GitHubRestClient`) against the local GitHub fake
 * on loopback, whose requests and answers are checked against GitHub's OpenAPI description:
 * app and installation authentication, token caching until near expiry, rate limits (primary,
 * secondary, `retry-after`, the per-installation budget), an outage and its recovery, renamed
 * repositories, Enterprise Server base URLs, and that no token or key reaches an error message.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubApiError } from '../../src/adapters/github/github-api-error.js';
import { githubApiUrl, githubApiUrlFromEnv } from '../../src/adapters/github/github-api-url.js';
import { GitHubConnection, type GitHubLog } from '../../src/adapters/github/github-connection.js';
import { RateBudgets } from '../../src/adapters/github/rate-budget.js';
import {
  type FakeGitHub,
  type FakeGitHubOptions,
  primaryRateLimitAnswer,
  secondaryRateLimitAnswer,
  startFakeGitHub,
} from '../helpers/fake-github/server.js';

const SHA = 'f0c1a2b3c4d5e6f708192a3b4c5d6e7f80919aab';
let gh: FakeGitHub | null = null;

afterEach(async () => {
  await gh?.close();
  gh = null;
});

interface Setup {
  readonly gh: FakeGitHub;
  readonly installationId: number;
  readonly log: {
    lines: { msg: string; fields?: Readonly<Record<string, unknown>> }[];
  } & GitHubLog;
  connect(extra?: Partial<ConstructorParameters<typeof GitHubConnection>[0]>): GitHubConnection;
}

async function setup(options: FakeGitHubOptions = {}): Promise<Setup> {
  gh = await startFakeGitHub(options);
  const acme = gh.world.addAccount('acme-corp');
  const repo = gh.world.addRepository(acme, 'payments-api');
  gh.world.addRepository(acme, 'website', { private: false });
  const installation = gh.world.install(acme);
  gh.world.addRun(repo, { headSha: SHA, createdAt: '2026-11-27T14:04:10Z' });
  const lines: { msg: string; fields?: Readonly<Record<string, unknown>> }[] = [];
  const log = {
    lines,
    warn: (msg: string, fields?: Readonly<Record<string, unknown>>) => lines.push({ msg, fields }),
  };
  const fake = gh;
  return {
    gh: fake,
    installationId: installation.id,
    log,
    connect: (extra = {}) =>
      new GitHubConnection({
        baseUrl: fake.url,
        credentials: { kind: 'app', appId: String(fake.app.id), privateKey: fake.app.privateKey },
        writeSpacingMs: 0,
        retryUnitMs: 5,
        log,
        ...extra,
      }),
  };
}

const listRuns = (c: GitHubConnection, id: number) =>
  c.installation(id).listWorkflowRuns('acme-corp', 'payments-api', { branch: 'main' });

describe('GitHub App authentication', () => {
  it('finds the installation with the app JWT and reads with its installation token, as GitHub describes', async () => {
    // Prepare
    const s = await setup();
    const github = s.connect();

    // Act
    const installation = await github.app().repositoryInstallation('acme-corp', 'payments-api');
    const runs = await listRuns(github, installation?.id ?? 0);

    // Assess
    expect(installation?.id).toBe(s.installationId);
    expect(runs.runs.map((r) => r.head_sha)).toEqual([SHA]);
    expect(s.gh.requests.map((r) => `${r.route} ${r.auth} ${r.status}`)).toEqual([
      'GET /repos/{owner}/{repo}/installation app 200',
      'POST /app/installations/{installation_id}/access_tokens app 201',
      `GET /repos/{owner}/{repo}/actions/runs installation:${s.installationId} 200`,
    ]);
    expect(s.gh.violations).toEqual([]);
  });

  it('answers null for a repository the app is not installed on', async () => {
    // Prepare
    const s = await setup();
    const other = s.gh.world.addAccount('someone-else');
    s.gh.world.addRepository(other, 'fork');

    // Act
    const installation = await s.connect().app().repositoryInstallation('someone-else', 'fork');

    // Assess
    expect(installation).toBeNull();
  });

  it('caches the installation token until five minutes before its expires_at, then asks for a new one', async () => {
    // Prepare
    let t = Date.now();
    const s = await setup({ now: () => t });
    const github = s.connect({ now: () => t });

    // Act
    await listRuns(github, s.installationId);
    await listRuns(github, s.installationId);
    t += 54 * 60_000;
    await listRuns(github, s.installationId);
    const beforeMargin = s.gh.tokensIssued.length;
    t += 60_000 + 1000;
    await listRuns(github, s.installationId);

    // Assess
    expect(beforeMargin).toBe(1);
    expect(s.gh.tokensIssued).toHaveLength(2);
    expect(s.gh.requests.filter((r) => r.status === 401)).toEqual([]);
  });

  it('takes a new token when GitHub gives shorter-lived ones, before the old one is refused', async () => {
    // Prepare
    let t = Date.now();
    const s = await setup({ now: () => t, tokenTtlMs: 10 * 60_000 });
    const github = s.connect({ now: () => t });

    // Act
    await listRuns(github, s.installationId);
    t += 5 * 60_000 + 1000;
    await listRuns(github, s.installationId);

    // Assess
    expect(s.gh.tokensIssued).toHaveLength(2);
    expect(s.gh.requests.every((r) => r.status !== 401)).toBe(true);
  });

  it('uses a token, or no credentials for public repositories, without any app call', async () => {
    // Prepare
    const s = await setup();
    const repo = s.gh.world.repositoryByName('acme-corp', 'payments-api');
    s.gh.addToken('github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz', repo ? [repo] : []);
    const withToken = s.connect({
      credentials: {
        kind: 'token',
        token: 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
      },
    });
    const anonymous = s.connect({ credentials: { kind: 'anonymous' } });

    // Act
    const privateWithToken = await withToken.direct().getRepository('acme-corp', 'payments-api');
    const privateAnonymous = await anonymous.direct().getRepository('acme-corp', 'payments-api');
    const publicAnonymous = await anonymous.direct().getRepository('acme-corp', 'website');

    // Assess
    expect(privateWithToken?.full_name).toBe('acme-corp/payments-api');
    expect(privateAnonymous).toBeNull();
    expect(publicAnonymous?.full_name).toBe('acme-corp/website');
    expect(s.gh.requests.map((r) => r.auth)).toEqual(['token', 'anonymous', 'anonymous']);
  });

  it('never puts a token or the private key in an error message', async () => {
    // Prepare
    const s = await setup();
    const repo = s.gh.world.repositoryByName('acme-corp', 'payments-api');
    s.gh.addToken('ghp_0123456789abcdefghijABCDEFGHIJ012345', repo ? [repo] : []);
    const token = 'ghp_wrongwrongwrongwrongwrongwrongwrong0';
    const github = s.connect({ credentials: { kind: 'token', token } });

    // Act
    const error = await github
      .direct()
      .getRepository('acme-corp', 'payments-api')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).kind).toBe('denied');
    expect((error as GitHubApiError).message).toBe(
      'GET /repos/{owner}/{repo}: HTTP 401: Bad credentials'
    );
    expect(JSON.stringify(s.log.lines)).not.toContain(token);
    expect(JSON.stringify(s.log.lines)).not.toContain('PRIVATE KEY');
  });
});

describe('rate limits', () => {
  it('waits out a short secondary rate limit (retry-after: 1) and succeeds', async () => {
    // Prepare
    const s = await setup();
    s.gh.script({
      ...secondaryRateLimitAnswer(1),
      when: (r) => r.route?.endsWith('/runs') ?? false,
    });

    // Act
    const runs = await listRuns(s.connect(), s.installationId);

    // Assess
    expect(runs.total).toBe(1);
    expect(s.gh.requests.filter((r) => r.route?.endsWith('/runs')).map((r) => r.status)).toEqual([
      403, 200,
    ]);
    expect(s.log.lines).toEqual([
      {
        msg: 'oidcwatch.github.rate_limited',
        fields: {
          limit: 'secondary',
          route: 'GET /repos/{owner}/{repo}/actions/runs',
          retryAfterSeconds: 1,
          action: 'waiting',
        },
      },
    ]);
  });

  it('gives a long secondary limit back as rate-limited with the wait GitHub asked for, and holds the installation', async () => {
    // Prepare
    let t = Date.now();
    const s = await setup({ now: () => t });
    const github = s.connect({ now: () => t, retryUnitMs: 1000 });
    await listRuns(github, s.installationId);
    s.gh.script({
      ...secondaryRateLimitAnswer(120),
      when: (r) => r.route?.endsWith('/runs') ?? false,
    });

    // Act
    const limited = await listRuns(github, s.installationId).catch((e: unknown) => e);
    const requestsAfterLimit = s.gh.requests.length;
    const held = await listRuns(github, s.installationId).catch((e: unknown) => e);
    t += 121_000;
    const resumed = await listRuns(github, s.installationId);

    // Assess
    expect(limited).toMatchObject({ kind: 'rate-limited', status: 403, retryAfterMs: 120_000 });
    expect(held).toMatchObject({ kind: 'rate-limited', status: null });
    expect(s.gh.requests.length).toBeGreaterThan(requestsAfterLimit);
    expect(s.gh.requests.at(-1)?.status).toBe(200);
    expect(resumed.total).toBe(1);
  });

  it('reads a primary limit (x-ratelimit-remaining 0) as rate-limited until a second past x-ratelimit-reset', async () => {
    // Prepare
    // The throttling plugin reads the real clock, so the reset is set from it.
    const t = Math.floor(Date.now() / 1000) * 1000;
    const s = await setup({ now: () => t });
    const resetAt = t / 1000 + 600;
    s.gh.script({
      ...primaryRateLimitAnswer(resetAt),
      when: (r) => r.route?.endsWith('/runs') ?? false,
    });

    // Act
    const error = await listRuns(s.connect({ now: () => t }), s.installationId).catch(
      (e: unknown) => e
    );

    // Assess
    expect(error).toMatchObject({ kind: 'rate-limited', status: 403, retryAfterMs: 601_000 });
  });

  it('reads a 429 with retry-after as rate-limited without retrying it blindly', async () => {
    // Prepare
    const s = await setup();
    s.gh.script({
      status: 429,
      body: { message: 'Too many requests', documentation_url: 'https://docs.github.com/rest' },
      headers: { 'retry-after': '30' },
      when: (r) => r.route?.endsWith('/runs') ?? false,
    });

    // Act
    const error = await listRuns(s.connect(), s.installationId).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, retryAfterMs: 30_000 });
    expect(s.gh.requests.filter((r) => r.route?.endsWith('/runs'))).toHaveLength(1);
  });

  it('stops at the per-installation budget without calling GitHub, other installations unaffected', async () => {
    // Prepare
    const s = await setup();
    const other = s.gh.world.addAccount('beta-corp');
    s.gh.world.addRepository(other, 'api');
    const otherInstallation = s.gh.world.install(other);
    const github = s.connect({ budgets: new RateBudgets({ callsPerHour: 3 }) });
    await listRuns(github, s.installationId); // token + runs: 2 calls
    await listRuns(github, s.installationId); // 3

    // Act
    const error = await listRuns(github, s.installationId).catch((e: unknown) => e);
    const sent = s.gh.requests.length;
    const otherRepo = await github
      .installation(otherInstallation.id)
      .getRepository('beta-corp', 'api');

    // Assess
    expect(error).toMatchObject({ kind: 'rate-limited', status: null });
    expect((error as GitHubApiError).retryAfterMs).toBeGreaterThan(0);
    expect(sent).toBe(3);
    expect(otherRepo?.full_name).toBe('beta-corp/api');
  });

  it("stops once GitHub's remaining allowance falls to the reserve, until the reset", async () => {
    // Prepare
    const s = await setup({ rateLimit: 10 });
    const github = s.connect({ budgets: new RateBudgets({ reserve: 0.2 }) });

    // Act
    const results: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      results.push(
        await listRuns(github, s.installationId).then(
          () => 'ok',
          (e: GitHubApiError) => e.kind
        )
      );
    }

    // Assess: the token is the app's call (GitHub counts it apart); 8 list calls leave 2 of 10
    // (the reserve), and the rest wait without being sent.
    expect(results).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'rate-limited',
      'rate-limited',
    ]);
    expect(s.gh.requests.every((r) => r.status !== 403)).toBe(true);
  });
});

describe('faults', () => {
  it('retries a 503 twice, then fails unavailable; once GitHub is back the same call succeeds', async () => {
    // Prepare
    const s = await setup();
    const github = s.connect();
    await listRuns(github, s.installationId);
    s.gh.outage(true);

    // Act
    const during = await listRuns(github, s.installationId).catch((e: unknown) => e);
    const attempts = s.gh.requests.filter((r) => r.status === 503).length;
    s.gh.outage(false);
    const after = await listRuns(github, s.installationId);

    // Assess
    expect(during).toMatchObject({ kind: 'unavailable', status: 503, retryable: true });
    expect(attempts).toBe(3);
    expect(after.total).toBe(1);
  });

  it('fails unavailable when nothing answers', async () => {
    // Prepare
    const s = await setup();
    const url = s.gh.url;
    await s.gh.close();
    gh = null;
    const github = new GitHubConnection({
      baseUrl: url,
      credentials: { kind: 'anonymous' },
      retryUnitMs: 1,
    });

    // Act
    const error = await github
      .direct()
      .getRepository('acme-corp', 'website')
      .catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ kind: 'unavailable', status: null });
    expect((error as Error).message).toMatch(
      /^GET \/repos\/\{owner\}\/\{repo\}: GitHub did not answer: .*ECONNREFUSED/
    );
  });
});

describe('repositories and base URLs', () => {
  it('follows the 301 of a renamed repository to its new name', async () => {
    // Prepare
    const s = await setup();
    const repo = s.gh.world.repositoryByName('acme-corp', 'payments-api');
    if (repo) s.gh.world.rename(repo, 'payments');

    // Act
    const found = await s
      .connect()
      .installation(s.installationId)
      .getRepository('acme-corp', 'payments-api');

    // Assess
    expect(found?.full_name).toBe('acme-corp/payments');
    expect(found?.id).toBe(repo?.id);
    expect(s.gh.requests.map((r) => r.status)).toEqual([201, 301, 200]);
    expect(s.gh.violations).toEqual([]);
  });

  it('serves GitHub Enterprise Server under /api/v3 of its host', async () => {
    // Prepare
    const s = await setup({ pathPrefix: '/api/v3' });
    const github = s.connect({ baseUrl: githubApiUrl(`${s.gh.url}/`) });

    // Act
    const installation = await github.app().repositoryInstallation('acme-corp', 'payments-api');
    const runs = await listRuns(github, installation?.id ?? 0);

    // Assess
    expect(s.gh.url.endsWith('/api/v3')).toBe(true);
    expect(runs.total).toBe(1);
    expect(s.gh.violations).toEqual([]);
  });

  it('takes GITHUB_API_URL for GitHub Enterprise Server and GHE.com, the public API by default', () => {
    // Act
    const urls = [
      githubApiUrlFromEnv({}),
      githubApiUrlFromEnv({ GITHUB_API_URL: 'https://github.example.com/api/v3/' }),
      githubApiUrlFromEnv({ GITHUB_API_URL: 'https://api.octocorp.ghe.com' }),
    ];

    // Assess
    expect(urls).toEqual([
      'https://api.github.com',
      'https://github.example.com/api/v3',
      'https://api.octocorp.ghe.com',
    ]);
    expect(() =>
      githubApiUrlFromEnv({ GITHUB_API_URL: 'http://github.example.com/api/v3' })
    ).toThrow(
      'GITHUB_API_URL must be the GitHub API base URL (https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, https://api.SUBDOMAIN.ghe.com for GHE.com), got "http://github.example.com/api/v3"'
    );
  });
});
