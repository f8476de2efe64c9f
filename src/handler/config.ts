/**
 * The processor's configuration: environment variables read once at init and validated, with an
 * error that names the variable and says what it expects.
 */
import { OidcwatchError } from '../domain/errors.js';
import { DEFAULT_NAMESPACE } from '../domain/metric-names.js';

/** Validated processor configuration. */
export interface ProcessorConfig {
  /** CloudWatch namespace of the EMF metrics. */
  readonly namespace: string;
  /** Name of the read role assumed in other accounts; `null`: one account only. */
  readonly readRoleName: string | null;
  /** The processor's own account (read without assuming a role); `null`: learnt from the context. */
  readonly homeAccount: string | null;
  /** GitHub owners the roles are meant for (FOREIGN_OWNER); empty: no FOREIGN_OWNER check (owners are never guessed). */
  readonly owners: readonly string[];
  readonly roleCacheTtlMs: number;
  readonly negativeCacheTtlMs: number;
  readonly accountCacheTtlMs: number;
  /** Event ids remembered for de-duplication. */
  readonly dedupCapacity: number;
  /** DynamoDB table of configuration changes; `null`: kept in memory per function instance. */
  readonly changeTableName: string | null;
  /** How far back before a failure a configuration change is considered, ms. */
  readonly changeWindowMs: number;
  /** How long a recorded change is kept (the table's TTL), s. */
  readonly changeTtlSeconds: number;
  /**
   * Request timeout of every IAM and STS call, ms (the connection timeout is at most 1 s). Two
   * attempts of the slowest read stay well within the function's 30 s timeout.
   */
  readonly iamTimeoutMs: number;
  /** How long an account whose IAM did not answer is not asked again, ms. */
  readonly iamUnreachableMs: number;
  readonly logLevel: string;
  /** The canary issuer's host (its denied calls are heartbeats); `null`: no canary. */
  readonly canaryIssuerHost: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0 || n > max)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `${name} must be a whole number from 1 to ${max}, got "${raw}"`
    );
  return n;
}

const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Reads the configuration from `env` (the process environment at init).
 *
 * @throws OidcwatchError `ERR_CONFIG_INVALID` naming the variable
 *
 * @example
 * ```ts
 * const config = readConfig(process.env);
 * ```
 */
export function readConfig(env: Env): ProcessorConfig {
  const readRoleName = env.OIDCWATCH_READ_ROLE_NAME?.trim() || null;
  if (readRoleName !== null && !ROLE_NAME.test(readRoleName))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_READ_ROLE_NAME must be an IAM role name ([\\w+=,.@-], 1–64 characters), got "${readRoleName}"`
    );
  const homeAccount = env.OIDCWATCH_HOME_ACCOUNT?.trim() || null;
  if (homeAccount !== null && !/^\d{12}$/.test(homeAccount))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_HOME_ACCOUNT must be a 12-digit account id, got "${homeAccount}"`
    );
  const namespace = env.OIDCWATCH_NAMESPACE?.trim() || DEFAULT_NAMESPACE;
  if (!/^[\w./#:-]{1,255}$/.test(namespace))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_NAMESPACE must be a CloudWatch namespace (letters, digits and . - _ / # :), got "${namespace}"`
    );
  const changeTableName = env.OIDCWATCH_CHANGE_TABLE?.trim() || null;
  if (changeTableName !== null && !/^[\w.-]{3,255}$/.test(changeTableName))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_CHANGE_TABLE must be a DynamoDB table name (3–255 of letters, digits and _ . -), got "${changeTableName}"`
    );
  const changeTtlDays = positiveInt(env, 'OIDCWATCH_CHANGE_TTL_DAYS', 7, 90);
  const changeWindowMinutes = positiveInt(env, 'OIDCWATCH_CHANGE_WINDOW_MINUTES', 1440, 129_600);
  if (changeWindowMinutes > changeTtlDays * 1440)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_CHANGE_WINDOW_MINUTES (${changeWindowMinutes}) must not exceed OIDCWATCH_CHANGE_TTL_DAYS (${changeTtlDays} days = ${changeTtlDays * 1440} minutes): older changes are gone`
    );
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`
    );
  const canaryIssuerHost = env.OIDCWATCH_CANARY_ISSUER_HOST?.trim() || null;
  if (canaryIssuerHost !== null && !/^[a-z0-9.-]{1,253}(:\d{1,5})?$/.test(canaryIssuerHost))
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `OIDCWATCH_CANARY_ISSUER_HOST must be a host name (the canary function URL's), got "${canaryIssuerHost}"`
    );
  return {
    namespace,
    readRoleName,
    canaryIssuerHost,
    homeAccount,
    owners: (env.OIDCWATCH_OWNERS ?? '')
      .split(',')
      .map((o) => o.trim().toLowerCase())
      .filter((o) => o !== ''),
    roleCacheTtlMs: positiveInt(env, 'OIDCWATCH_ROLE_CACHE_TTL_SECONDS', 600, 86_400) * 1000,
    negativeCacheTtlMs:
      positiveInt(env, 'OIDCWATCH_NEGATIVE_CACHE_TTL_SECONDS', 120, 86_400) * 1000,
    accountCacheTtlMs: positiveInt(env, 'OIDCWATCH_ACCOUNT_CACHE_TTL_SECONDS', 900, 86_400) * 1000,
    dedupCapacity: positiveInt(env, 'OIDCWATCH_DEDUP_CAPACITY', 10_000, 1_000_000),
    changeTableName,
    changeWindowMs: changeWindowMinutes * 60_000,
    changeTtlSeconds: changeTtlDays * 86_400,
    iamTimeoutMs: positiveInt(env, 'OIDCWATCH_IAM_TIMEOUT_MS', 2500, 10_000),
    iamUnreachableMs: positiveInt(env, 'OIDCWATCH_IAM_UNREACHABLE_SECONDS', 30, 3600) * 1000,
    logLevel,
  };
}
