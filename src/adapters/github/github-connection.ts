/**
 * One place that builds Octokit clients for a GitHub API (public, Enterprise Server or GHE.com):
 * as the GitHub App (its JWT, for `/app/…` and installation lookups), as one of its installations
 * (an installation access token, made by `@octokit/auth-app` and cached until near expiry), with a
 * token (`GITHUB_TOKEN`), or anonymously. Every client:
 *
 * - stays within GitHub's rate limits: `@octokit/plugin-throttling` spaces content-creating calls
 *   and waits out short primary and secondary limits (`retry-after`, `x-ratelimit-reset`);
 *   longer ones, and the per-installation {@link RateBudgets}, end the call with a `rate-limited`
 *   {@link GitHubApiError} carrying how long to wait, so work can be put back and retried later;
 * - retries 5xx answers a few times (`@octokit/plugin-retry`), then fails `unavailable`;
 * - bounds each attempt by a timeout;
 * - throws only {@link GitHubApiError}, whose messages never hold a token or a key.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';
import { GitHubApiError, toGitHubApiError } from './github-api-error.js';
import { GitHubRestClient } from './github-rest-client.js';
import { InstallationTokenCache } from './installation-token-cache.js';
import { RateBudgets } from './rate-budget.js';

/** How the clients authenticate. */
export type GitHubCredentials =
  /** A GitHub App: its id (or client id) and PEM private key (PKCS#1 as GitHub gives it, or PKCS#8). */
  | { readonly kind: 'app'; readonly appId: string; readonly privateKey: string }
  /** A token (`GITHUB_TOKEN`, a fine-grained or classic personal access token). */
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'anonymous' };

/** Where log lines about waits and retries go (never with a token). */
export interface GitHubLog {
  warn(msg: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** Options of {@link GitHubConnection}. */
export interface GitHubConnectionOptions {
  /** API base URL (see `githubApiUrl`). */
  readonly baseUrl: string;
  readonly credentials: GitHubCredentials;
  /** @default 'oidcwatch' */
  readonly userAgent?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Time one attempt may take, ms. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * The longest rate-limit wait taken inside a call, ms; a longer one ends the call `rate-limited`
   * (the caller puts the work back). @default 10000
   */
  readonly maxInlineWaitMs?: number;
  /** Retries of a 5xx answer or a network error within a call. @default 2 */
  readonly retries?: number;
  /**
   * The unit of the plugins' waits, ms: a retry waits `n² ×` it, a `retry-after: s` waits `s ×`
   * it. Tests shrink it. @default 1000
   */
  readonly retryUnitMs?: number;
  /** Least time between two content-creating calls (GitHub asks for one second). @default 1000 */
  readonly writeSpacingMs?: number;
  /** @default a budget of 1000 calls an hour per installation */
  readonly budgets?: RateBudgets;
  /** @default one with a 5-minute margin */
  readonly tokenCache?: InstallationTokenCache;
  readonly log?: GitHubLog;
  /** @default Date.now */
  readonly now?: () => number;
}

const GitHubOctokit = Octokit.plugin(throttling, retry);
type GitHubOctokitInstance = InstanceType<typeof GitHubOctokit>;

/** Statuses never retried by the retry plugin (429 is a rate limit, handled as one). */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/** The budget key of app-level calls (JWT), and of token or anonymous calls. */
const APP_KEY = 'app';
const TOKEN_KEY = 'token';

/**
 * Builds API clients for one GitHub API and one set of credentials.
 *
 * @example
 * ```ts
 * const github = new GitHubConnection({
 *   baseUrl: githubApiUrlFromEnv(process.env),
 *   credentials: { kind: 'app', appId: '123456', privateKey: pem },
 * });
 * const installation = await github.app().repositoryInstallation('acme-corp', 'payments-api');
 * const client = github.installation(installation.id);
 * ```
 */
export class GitHubConnection {
  readonly baseUrl: string;
  readonly credentials: GitHubCredentials['kind'];
  readonly #o: GitHubConnectionOptions;
  readonly #budgets: RateBudgets;
  readonly #tokenCache: InstallationTokenCache;
  readonly #write: Bottleneck.Group;
  readonly #clients = new Map<string, GitHubRestClient>();
  readonly #now: () => number;

  constructor(options: GitHubConnectionOptions) {
    this.#o = options;
    this.baseUrl = options.baseUrl;
    this.credentials = options.credentials.kind;
    this.#now = options.now ?? Date.now;
    this.#budgets = options.budgets ?? new RateBudgets({ now: this.#now });
    this.#tokenCache = options.tokenCache ?? new InstallationTokenCache({ now: this.#now });
    this.#write = new Bottleneck.Group({
      maxConcurrent: 1,
      minTime: options.writeSpacingMs ?? 1000,
    });
  }

  /**
   * The client acting as the GitHub App itself (JWT): `/app/…` and installation lookups.
   *
   * @throws GitHubApiError `denied` when the credentials are not an app's
   */
  app(): GitHubRestClient {
    const c = this.#o.credentials;
    if (c.kind !== 'app')
      throw new GitHubApiError('denied', 'app-level calls need GitHub App credentials');
    return this.#client(APP_KEY, () => ({ authStrategy: createAppAuth, auth: this.#appAuth() }));
  }

  /**
   * The client acting as one installation of the app (installation access token, cached until
   * near expiry). With token or anonymous credentials, the one client of those credentials.
   */
  installation(installationId: number): GitHubRestClient {
    const c = this.#o.credentials;
    if (c.kind !== 'app') return this.direct();
    return this.#client(`${installationId}`, () => ({
      authStrategy: createAppAuth,
      auth: { ...this.#appAuth(), installationId },
    }));
  }

  /** The client of token or anonymous credentials (not of an app). */
  direct(): GitHubRestClient {
    const c = this.#o.credentials;
    if (c.kind === 'app')
      throw new GitHubApiError('denied', 'an app acts through an installation: use installation()');
    return this.#client(TOKEN_KEY, () => (c.kind === 'token' ? { auth: c.token } : {}));
  }

  /** Calls `key` may still make within the budget now. */
  budgetLeft(key: number | 'app' | 'token'): number {
    return this.#budgets.available(`${key}`);
  }

  #appAuth() {
    const c = this.#o.credentials as Extract<GitHubCredentials, { kind: 'app' }>;
    return { appId: c.appId, privateKey: c.privateKey, cache: this.#tokenCache };
  }

  #client(key: string, auth: () => Record<string, unknown>): GitHubRestClient {
    let client = this.#clients.get(key);
    if (client === undefined) {
      client = new GitHubRestClient(this.#octokit(key, auth()));
      this.#clients.set(key, client);
    }
    return client;
  }

  #octokit(key: string, auth: Record<string, unknown>): GitHubOctokitInstance {
    const o = this.#o;
    const unit = o.retryUnitMs ?? 1000;
    const maxInlineWait = o.maxInlineWaitMs ?? 10_000;
    const timeoutMs = o.timeoutMs ?? 10_000;
    const baseFetch = o.fetch ?? globalThis.fetch;
    const log = o.log;
    const onLimit =
      (kind: 'primary' | 'secondary') =>
      (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, n: number) => {
        // Decided on GitHub's seconds; `unit` only scales the actual wait (tests shrink it).
        const inline = retryAfter * 1000 <= maxInlineWait && n < 2;
        log?.warn('oidcwatch.github.rate_limited', {
          limit: kind,
          route: `${options.method} ${options.url}`,
          retryAfterSeconds: retryAfter,
          action: inline ? 'waiting' : 'giving the work back',
        });
        return inline;
      };
    const octokit = new GitHubOctokit({
      ...auth,
      baseUrl: o.baseUrl,
      userAgent: o.userAgent ?? 'oidcwatch',
      request: {
        fetch: (url: string | URL, init?: RequestInit) =>
          baseFetch(url, {
            ...init,
            signal: init?.signal
              ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)])
              : AbortSignal.timeout(timeoutMs),
          }),
      },
      throttle: {
        id: `${o.baseUrl}#${key}`,
        write: this.#write,
        retryAfterBaseValue: unit,
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
      },
      retry: { retries: o.retries ?? 2, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: unit },
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    const budgets = this.#budgets;
    const now = this.#now;
    octokit.hook.wrap('request', async (request, options) => {
      const route = `${options.method} ${options.url}`;
      const wait = budgets.take(key);
      if (wait > 0)
        throw new GitHubApiError(
          'rate-limited',
          `${route}: the call budget of ${key === APP_KEY || key === TOKEN_KEY ? key : `installation ${key}`} is spent for now`,
          { retryAfterMs: wait }
        );
      try {
        const response = await request(options);
        budgets.observe(key, response.headers as Record<string, string>);
        return response;
      } catch (e) {
        const headers = (e as { response?: { headers?: Record<string, string> } }).response
          ?.headers;
        budgets.observe(key, headers);
        const error = toGitHubApiError(e, route, now());
        if (error.kind === 'rate-limited' && error.retryAfterMs !== null)
          budgets.block(key, now() + error.retryAfterMs);
        throw error;
      }
    });
    return octokit;
  }
}
