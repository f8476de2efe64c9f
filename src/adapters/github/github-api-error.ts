/**
 * GitHub API failures as one typed error: what kind of failure (so callers decide to wait, give
 * up or count), the HTTP status, and for rate limits how long to wait. Messages carry GitHub's own
 * `message`, the method and the route template: never a token, header or request body.
 */
import { OidcwatchError } from '../../domain/errors.js';

/**
 * What went wrong:
 * - `rate-limited`: a primary or secondary rate limit, or the per-installation budget (wait
 *   `retryAfterMs`, then try again);
 * - `unavailable`: GitHub answered 5xx, or did not answer (try again later);
 * - `denied`: 401, or 403 that is not a rate limit (credentials or permissions: do not retry);
 * - `not-found`: 404 (or 410);
 * - `invalid`: 400 or 422 (the request itself is wrong: do not retry).
 */
export type GitHubFailureKind = 'rate-limited' | 'unavailable' | 'denied' | 'not-found' | 'invalid';

/** A failed GitHub API call. */
export class GitHubApiError extends OidcwatchError {
  readonly kind: GitHubFailureKind;
  /** The HTTP status, or `null` when no answer came. */
  readonly status: number | null;
  /** For `rate-limited` (and `unavailable` with a `retry-after`): how long to wait, ms. */
  readonly retryAfterMs: number | null;

  constructor(
    kind: GitHubFailureKind,
    message: string,
    options: { status?: number | null; retryAfterMs?: number | null; cause?: unknown } = {}
  ) {
    super('ERR_SERVICE_UNREACHABLE', message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  /** `true` when trying again later can succeed (rate limits, outages). */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'unavailable';
  }
}

type Headers = Readonly<Record<string, string | number | undefined>>;

function header(headers: Headers | undefined, name: string): string | null {
  const v = headers?.[name];
  return v === undefined ? null : String(v);
}

/**
 * How long GitHub asks to wait, ms: `retry-after` (seconds or an HTTP date), else the primary
 * limit's `x-ratelimit-reset` when `x-ratelimit-remaining` is 0, else `null`.
 */
export function waitFromHeaders(headers: Headers | undefined, nowMs: number): number | null {
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (Number.isFinite(at)) return Math.max(0, at - nowMs);
  }
  if (header(headers, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    // One second past the reset, as GitHub's guidance says.
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs) + 1000;
  }
  return null;
}

/** GitHub's message for a secondary rate limit ("You have exceeded a secondary rate limit…"). */
const SECONDARY = /\bsecondary rate\b/i;
/** Secondary limits without `retry-after`: GitHub says to wait at least a minute. */
const SECONDARY_FALLBACK_MS = 60_000;

/** The fields of an Octokit `RequestError` this module reads. */
interface RequestErrorLike {
  readonly status?: unknown;
  readonly message?: unknown;
  readonly name?: unknown;
  readonly response?: { readonly headers?: Headers; readonly data?: unknown } | undefined;
  readonly request?: { readonly method?: unknown; readonly url?: unknown } | undefined;
}

function githubMessage(e: RequestErrorLike): string {
  const data = e.response?.data as { message?: unknown } | undefined;
  if (typeof data?.message === 'string') return data.message;
  return typeof e.message === 'string' ? e.message : 'no message';
}

/**
 * The `GitHubApiError` of a failed call (an Octokit `RequestError`, a network error, a timeout).
 *
 * @param route - `METHOD /template` of the call, for the message
 * @example
 * ```ts
 * try { await octokit.request(route, params); } catch (e) { throw toGitHubApiError(e, route, Date.now()); }
 * ```
 */
export function toGitHubApiError(error: unknown, route: string, nowMs: number): GitHubApiError {
  if (error instanceof GitHubApiError) return error;
  const e = (error ?? {}) as RequestErrorLike;
  // Octokit reports a request that got no answer (refused, reset, timed out) as status 500
  // without a response: that is GitHub not answering, not GitHub answering 500.
  const status = typeof e.status === 'number' && e.response !== undefined ? e.status : null;
  if (status === null) {
    const cause = (error as { cause?: { name?: unknown; cause?: { code?: unknown } } } | null)
      ?.cause;
    const name =
      typeof cause?.name === 'string' &&
      (cause.name === 'TimeoutError' || cause.name === 'AbortError')
        ? cause.name
        : typeof e.name === 'string'
          ? e.name
          : 'Error';
    const code = typeof cause?.cause?.code === 'string' ? ` (${cause.cause.code})` : '';
    const what =
      name === 'TimeoutError' || name === 'AbortError'
        ? 'no answer in time'
        : `${typeof e.message === 'string' ? e.message : String(error)}${code}`;
    return new GitHubApiError('unavailable', `${route}: GitHub did not answer: ${what}`, {
      cause: error,
    });
  }
  const message = `${route}: HTTP ${status}: ${githubMessage(e)}`;
  const headers = e.response?.headers;
  const wait = waitFromHeaders(headers, nowMs);
  const secondary = SECONDARY.test(githubMessage(e));
  if (
    status === 429 ||
    ((status === 403 || status === 429) &&
      (secondary || header(headers, 'x-ratelimit-remaining') === '0'))
  )
    return new GitHubApiError('rate-limited', message, {
      status,
      retryAfterMs: wait ?? (secondary || status === 429 ? SECONDARY_FALLBACK_MS : null),
      cause: error,
    });
  if (status >= 500)
    return new GitHubApiError('unavailable', message, {
      status,
      retryAfterMs: wait,
      cause: error,
    });
  if (status === 401 || status === 403)
    return new GitHubApiError('denied', message, { status, cause: error });
  if (status === 404 || status === 410)
    return new GitHubApiError('not-found', message, { status, cause: error });
  return new GitHubApiError('invalid', message, { status, cause: error });
}
