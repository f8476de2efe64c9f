/**
 * Fetch failures in words, without anything secret: the error's name and the socket error code
 * (`ECONNREFUSED`, `ENOTFOUND`, …), never headers or bodies.
 */

/** A fetch failure in a few words. */
export function describeFetchError(error: unknown): string {
  const e = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    cause?: { code?: unknown; message?: unknown };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || e?.code === 'ERR_JWKS_TIMEOUT')
    return 'timed out';
  const code =
    typeof e?.cause?.code === 'string' ? e.cause.code : typeof e?.code === 'string' ? e.code : null;
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return code !== null && !message.includes(code) ? `${message} (${code})` : message;
}

/** The scheme, host and path of a URL (no query: it may carry identifiers). */
export function urlWithoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}
