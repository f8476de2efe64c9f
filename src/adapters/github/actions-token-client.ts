/**
 * Fetches the job's OIDC token from the Actions token endpoint, as `@actions/core` `getIDToken`
 * does: `GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=<aud>` with the request token as bearer,
 * answering `{ "value": "<jwt>" }`. Neither the request token nor the token ever appears in an
 * error message.
 */
import { OidcwatchError } from '../../domain/errors.js';
import { describeFetchError, urlWithoutQuery } from './describe-fetch-error.js';

/** What to ask the token endpoint. */
export interface ActionsTokenRequest {
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` (it already carries `?api-version=…`). */
  readonly requestUrl: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`: a secret. */
  readonly requestToken: string;
  readonly audience: string;
}

/** Options of {@link fetchActionsToken}. */
export interface FetchActionsTokenOptions {
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** The token endpoint URL for an audience. */
export function tokenUrlFor(requestUrl: string, audience: string): string {
  const separator = requestUrl.includes('?') ? '&' : '?';
  return `${requestUrl}${separator}audience=${encodeURIComponent(audience)}`;
}

function unreachable(requestUrl: string, why: string, cause?: unknown): OidcwatchError {
  return new OidcwatchError(
    'ERR_SERVICE_UNREACHABLE',
    `cannot get the job's OIDC token from ${urlWithoutQuery(requestUrl)}: ${why}`,
    cause === undefined ? undefined : { cause: new Error(describeFetchError(cause)) }
  );
}

/**
 * Fetches the job's token for `audience`.
 *
 * @returns the token (a compact JWS): keep it in memory, never print it
 * @throws OidcwatchError `ERR_SERVICE_UNREACHABLE` when the endpoint cannot be reached, refuses,
 *   or answers without a token
 *
 * @example
 * ```ts
 * const jwt = await fetchActionsToken({ requestUrl, requestToken, audience: 'sts.amazonaws.com' });
 * ```
 */
export async function fetchActionsToken(
  request: ActionsTokenRequest,
  options: FetchActionsTokenOptions = {}
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(tokenUrlFor(request.requestUrl, request.audience), {
      method: 'GET',
      headers: {
        authorization: `Bearer ${request.requestToken}`,
        accept: 'application/json; api-version=2.0',
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (e) {
    throw unreachable(request.requestUrl, describeFetchError(e), e);
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw unreachable(request.requestUrl, `HTTP ${response.status} ${response.statusText}`.trim());
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw unreachable(request.requestUrl, 'the answer is not JSON');
  }
  const value = (body as { value?: unknown } | null)?.value;
  if (typeof value !== 'string' || value === '')
    throw unreachable(request.requestUrl, 'the answer has no "value" (the token)');
  return value;
}
