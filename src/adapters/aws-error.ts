/**
 * Turns an AWS SDK failure into the typed error the CLI maps to exit code 2 (README, "Conventions"), with a
 * message that names the service call and Region that failed.
 */
import { OidcwatchError } from '../domain/errors.js';

/** Error names that mean "not permitted" (credentials missing, wrong or not allowed). */
const DENIED =
  /^(AccessDenied(Exception)?|UnauthorizedOperation|UnrecognizedClientException|InvalidClientTokenId|InvalidSignatureException|SignatureDoesNotMatch|ExpiredToken(Exception)?|IncompleteSignature|MissingAuthenticationToken|NotAuthorized|OperationNotPermittedException|CredentialsProviderError)$/;

/** Messages of `CredentialsProviderError` that mean "no credentials anywhere". */
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

/**
 * `true` when what answered is not AWS: the SDK could not read the body (an HTML error page of a
 * proxy or captive portal, a wrong `AWS_ENDPOINT_URL`). Asking again gets the same page.
 */
export function isUnreadableAnswer(e: unknown): boolean {
  const err = e as { name?: unknown; message?: unknown } | null;
  return (
    err?.name === 'SyntaxError' ||
    (typeof err?.message === 'string' && err.message.includes('Deserialization error'))
  );
}

/** `true` when `e` is a server-side failure of AWS worth retrying (HTTP 5xx, an AWS answer). */
export function isServerError(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  return typeof status === 'number' && status >= 500 && !isUnreadableAnswer(e);
}

/** What to do without credentials, as the AWS CLI and SDKs find them. */
export const NO_CREDENTIALS_HELP =
  'no AWS credentials found; provide them as for the AWS CLI: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), AWS_PROFILE with a profile in ~/.aws/config (after "aws sso login" for SSO), or the role of the machine (instance, container, Lambda); or work offline with --iam-snapshot FILE';

/** `true` when `e` says the default credential chain found no credentials at all. */
export function isNoCredentials(e: unknown): boolean {
  const err = e as { name?: unknown; message?: unknown } | null;
  return (
    err?.name === 'CredentialsProviderError' &&
    typeof err.message === 'string' &&
    NO_CREDENTIALS.test(err.message)
  );
}

/**
 * The `OidcwatchError` for a failed AWS call: `ERR_AWS_NO_CREDENTIALS` when the credential chain
 * found none (the message says how to provide them), `ERR_AWS_DENIED` when credentials are wrong
 * or not allowed, `ERR_AWS_UNREACHABLE` otherwise (network, endpoint, an answer that is not AWS,
 * service errors).
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
  if (isNoCredentials(e))
    return new OidcwatchError('ERR_AWS_NO_CREDENTIALS', `${what}: ${NO_CREDENTIALS_HELP}`, {
      cause: e,
    });
  if (isUnreadableAnswer(e)) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    return new OidcwatchError(
      'ERR_AWS_UNREACHABLE',
      `${what} failed: the endpoint answered${status === undefined ? '' : ` HTTP ${status}`} with a body that is not an AWS answer (${message.split('\n')[0]}); check AWS_ENDPOINT_URL and any proxy between here and AWS`,
      { cause: e }
    );
  }
  const denied = DENIED.test(name);
  if (denied)
    return new OidcwatchError('ERR_AWS_DENIED', `${what} is not permitted: ${name}: ${message}`, {
      cause: e,
    });
  return new OidcwatchError('ERR_AWS_UNREACHABLE', `${what} failed: ${name}${code}: ${message}`, {
    cause: e,
  });
}
