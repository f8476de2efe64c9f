/**
 * Bounded AWS SDK clients. Every client of the processor, the notifier, the canary and the CLI
 * gives up connecting, and waiting for an answer, after a set time ({@link boundedRequestHandler})
 * and retries a bounded number of times, so a hung endpoint costs a known time. For the CLI, the
 * settings come from the command's environment: Region, the endpoint override
 * (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, as the SDK reads them, so a local AWS
 * API emulator can stand in) and static credentials when the environment holds them. Taking them
 * from the injected environment rather than `process.env` keeps commands testable in-process.
 */

/** Static credentials from the environment. */
export interface EnvCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Connect and request timeouts of an SDK client: an unreachable or hung endpoint fails fast
 * instead of hanging (`throwOnRequestTimeout`: without it the SDK only warns and waits on).
 */
export interface BoundedRequestHandler {
  readonly connectionTimeout: number;
  readonly requestTimeout: number;
  readonly throwOnRequestTimeout: true;
}

/**
 * The request handler settings that bound every request of a client: connecting may take
 * `connectionTimeoutMs`, the whole answer `requestTimeoutMs`. The SDK's node handler defaults
 * to no timeout at all.
 *
 * @example
 * ```ts
 * new SNSClient({ region, maxAttempts: 2, requestHandler: boundedRequestHandler(4_000, 1_000) });
 * ```
 */
export function boundedRequestHandler(
  requestTimeoutMs: number,
  connectionTimeoutMs = Math.min(5_000, requestTimeoutMs)
): BoundedRequestHandler {
  return {
    connectionTimeout: connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    throwOnRequestTimeout: true,
  };
}

/** What IAM and STS clients are built with. */
export interface AwsClientConfig {
  readonly region: string;
  readonly maxAttempts: number;
  /** Set only when the environment overrides the endpoint. */
  readonly endpoint?: string;
  /** Set only when the environment holds keys; otherwise the default credential chain applies. */
  readonly credentials?: EnvCredentials;
  /** Give up connecting, and waiting for an answer, after this long. */
  readonly requestHandler: BoundedRequestHandler;
}

/**
 * The client settings for `service` (`IAM`, `STS`) from `env`.
 *
 * @example
 * ```ts
 * const iam = new IAMClient(clientConfigFromEnv(io.env, 'IAM'));
 * ```
 */
export function clientConfigFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  service: 'IAM' | 'STS' | 'CLOUDTRAIL' | 'CLOUDWATCH',
  requestTimeoutMs = 30_000
): AwsClientConfig {
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined;
  const key = env.AWS_ACCESS_KEY_ID;
  const secret = env.AWS_SECRET_ACCESS_KEY;
  const token = env.AWS_SESSION_TOKEN;
  return {
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    maxAttempts: 3,
    requestHandler: boundedRequestHandler(requestTimeoutMs, 5_000),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(key && secret
      ? {
          credentials: {
            accessKeyId: key,
            secretAccessKey: secret,
            ...(token ? { sessionToken: token } : {}),
          },
        }
      : {}),
  };
}

/** Error names and codes of a request that got no answer (as opposed to an answer that says no). */
const NO_ANSWER =
  /^(TimeoutError|RequestTimeout|RequestTimeoutException|NetworkingError|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|ENOTFOUND|EPIPE|ERR_SOCKET_CONNECTION_TIMEOUT)$/;

/** `true` when `error` says the endpoint did not answer (timeout, refused or reset connection). */
export function isNoAnswer(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.name === 'string' && NO_ANSWER.test(e.name)) return true;
  if (typeof e.code === 'string' && NO_ANSWER.test(e.code)) return true;
  if (
    typeof e.message === 'string' &&
    /socket hang up|timed out|ECONNREFUSED|ETIMEDOUT/.test(e.message)
  )
    return true;
  return e.cause !== undefined && e.cause !== error && isNoAnswer(e.cause);
}
