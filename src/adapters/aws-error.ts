/**
 * Turns an AWS SDK failure into the typed error the CLI maps to exit code 2 (DESIGN.md §6), with a
 * message that names the service call and Region that failed.
 */
import { OidcwatchError } from '../domain/errors.js';

/** Error names that mean "not permitted" (credentials missing, wrong or not allowed). */
const DENIED =
  /^(AccessDenied(Exception)?|UnauthorizedOperation|UnrecognizedClientException|InvalidClientTokenId|InvalidSignatureException|SignatureDoesNotMatch|ExpiredToken(Exception)?|IncompleteSignature|MissingAuthenticationToken|NotAuthorized|OperationNotPermittedException|CredentialsProviderError)$/;

/** Messages that mean "no credentials". */
const NO_CREDENTIALS = /Could not load credentials|credential/i;

/** Names and codes of throttling answers, across AWS protocols. */
const THROTTLED =
  /^(Throttling(Exception)?|ThrottledException|TooManyRequestsException|RequestLimitExceeded|RequestThrottled(Exception)?|SlowDown)$/;

/** `true` when `e` is AWS saying "slow down". */
export function isThrottling(e: unknown): boolean {
  const err = e as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  return (
    (typeof err?.name === 'string' && THROTTLED.test(err.name)) ||
    err?.$metadata?.httpStatusCode === 429
  );
}

/** `true` when `e` is a server-side failure worth retrying (HTTP 5xx). */
export function isServerError(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof status === 'number' && status >= 500;
}

/**
 * The `OidcwatchError` for a failed AWS call: `ERR_AWS_DENIED` when credentials are missing or not
 * allowed, `ERR_AWS_UNREACHABLE` otherwise (network, endpoint, service errors).
 *
 * @param what - the call, e.g. `CloudTrail LookupEvents in eu-west-1`
 * @example
 * ```ts
 * throw awsError(e, 'CloudWatch PutMetricData in us-east-1');
 * ```
 */
export function awsError(e: unknown, what: string): OidcwatchError {
  if (e instanceof OidcwatchError) return e;
  const err = e as { name?: unknown; message?: unknown; code?: unknown } | null;
  const name = typeof err?.name === 'string' ? err.name : 'Error';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  const code = typeof err?.code === 'string' ? ` (${err.code})` : '';
  const denied =
    DENIED.test(name) || (name === 'CredentialsProviderError' && NO_CREDENTIALS.test(message));
  if (denied)
    return new OidcwatchError('ERR_AWS_DENIED', `${what} is not permitted: ${name}: ${message}`, {
      cause: e,
    });
  return new OidcwatchError('ERR_AWS_UNREACHABLE', `${what} failed: ${name}${code}: ${message}`, {
    cause: e,
  });
}
