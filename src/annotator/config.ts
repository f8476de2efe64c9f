/**
 * The annotator's configuration: environment variables read once at init and validated, with an
 * error that names the variable and says what it expects. The app's private key is not here: it
 * is read from Secrets Manager (the secret's ARN is), never from the environment.
 */
import { githubApiUrl, PUBLIC_GITHUB_API_URL } from '../adapters/github/github-api-url.js';
import { OidcwatchError } from '../domain/errors.js';
import { DEFAULT_NAMESPACE } from '../domain/metric-names.js';

/** Validated annotator configuration. */
export interface AnnotatorConfig {
  readonly appId: string;
  /** Secrets Manager secret (ARN or name) whose SecretString is the app's PEM private key. */
  readonly privateKeySecret: string;
  readonly apiUrl: string;
  /** DynamoDB table of claims and outcomes. */
  readonly tableName: string;
  /** The work queue the intake writes failing jobs to. */
  readonly queueUrl: string;
  readonly pullRequestComments: boolean;
  readonly namespace: string;
  /** GitHub API calls per installation and hour. */
  readonly callsPerHour: number;
  /** How long before a call its run may have been created, ms. */
  readonly lookbackMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const v = env[name]?.trim();
  if (!v) throw new OidcwatchError('ERR_CONFIG_INVALID', `${name} must be set`);
  return v;
}

function whole(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `${name} must be a whole number from 1 to ${max}, got "${raw}"`
    );
  return n;
}

/**
 * Reads the configuration from `env` (the process environment at init).
 *
 * @throws OidcwatchError `ERR_CONFIG_INVALID` naming the variable
 * @example
 * ```ts
 * const config = readAnnotatorConfig(process.env);
 * ```
 */
export function readAnnotatorConfig(env: Env): AnnotatorConfig {
  const appId = required(env, 'OIDCWATCH_GITHUB_APP_ID');
  if (!/^(\d+|Iv[\w.]+)$/.test(appId))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_GITHUB_APP_ID must be the GitHub App's id (digits) or client id (Iv…), got "${appId}"`
    );
  const comments = (env.OIDCWATCH_PULL_REQUEST_COMMENTS ?? 'false').trim().toLowerCase();
  if (comments !== 'true' && comments !== 'false')
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_PULL_REQUEST_COMMENTS must be "true" or "false", got "${env.OIDCWATCH_PULL_REQUEST_COMMENTS}"`
    );
  const namespace = env.OIDCWATCH_NAMESPACE?.trim() || DEFAULT_NAMESPACE;
  if (!/^[\w./#:-]{1,255}$/.test(namespace))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_NAMESPACE must be a CloudWatch namespace (letters, digits and . - _ / # :), got "${namespace}"`
    );
  return {
    appId,
    privateKeySecret: required(env, 'OIDCWATCH_GITHUB_PRIVATE_KEY_SECRET'),
    apiUrl: githubApiUrl(env.GITHUB_API_URL?.trim() || PUBLIC_GITHUB_API_URL),
    tableName: required(env, 'OIDCWATCH_ANNOTATION_TABLE'),
    queueUrl: required(env, 'OIDCWATCH_ANNOTATION_QUEUE_URL'),
    pullRequestComments: comments === 'true',
    namespace,
    callsPerHour: whole(env, 'OIDCWATCH_GITHUB_CALLS_PER_HOUR', 1000, 15_000),
    lookbackMs: whole(env, 'OIDCWATCH_LOOKBACK_HOURS', 6, 72) * 3_600_000,
  };
}
