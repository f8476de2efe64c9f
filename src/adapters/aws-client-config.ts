/**
 * SDK client settings for the CLI, from the command's environment: Region, the endpoint override
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

/** What IAM and STS clients are built with. */
export interface AwsClientConfig {
  readonly region: string;
  readonly maxAttempts: number;
  /** Set only when the environment overrides the endpoint. */
  readonly endpoint?: string;
  /** Set only when the environment holds keys; otherwise the default credential chain applies. */
  readonly credentials?: EnvCredentials;
  /**
   * Give up connecting, and waiting for an answer, after this long: an unreachable or hung
   * endpoint fails fast instead of hanging (`throwOnRequestTimeout`: without it the SDK only warns).
   */
  readonly requestHandler: {
    readonly connectionTimeout: number;
    readonly requestTimeout: number;
    readonly throwOnRequestTimeout: boolean;
  };
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
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
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
