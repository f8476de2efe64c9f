/**
 * Typed errors with stable codes. The CLI maps `code` to exit codes; tests assert on `code` and
 * `message`. Messages name the file, record or field and say what was expected.
 */

/** Every error code oidcwatch raises. */
export type OidcwatchErrorCode =
  | 'ERR_INPUT_UNREADABLE'
  | 'ERR_INPUT_MALFORMED'
  | 'ERR_SNAPSHOT_INVALID'
  | 'ERR_TRUST_POLICY_UNREADABLE'
  | 'ERR_USAGE'
  | 'ERR_CONFIG_INVALID'
  | 'ERR_AWS_UNREACHABLE'
  | 'ERR_AWS_DENIED'
  /** No AWS credentials anywhere in the default chain (a different fix from "not permitted"). */
  | 'ERR_AWS_NO_CREDENTIALS'
  /** A service other than AWS (the Actions token endpoint, an issuer's JWKS) is unreachable or refused. */
  | 'ERR_SERVICE_UNREACHABLE'
  /** `oidcwatch policy` / `GitHubOidcRole`: the repositories, contexts or issuer asked for are not usable. */
  | 'ERR_POLICY_REQUEST_INVALID'
  /** A generated trust policy failed its own checks (evaluator probes, audit, size): never printed. */
  | 'ERR_POLICY_CHECK_FAILED';

/**
 * Base error of oidcwatch.
 *
 * @example
 * ```ts
 * try { await readSnapshot(path); } catch (e) {
 *   if (e instanceof OidcwatchError && e.code === 'ERR_SNAPSHOT_INVALID') { … }
 * }
 * ```
 */
export class OidcwatchError extends Error {
  /** Stable machine-readable code. */
  readonly code: OidcwatchErrorCode;

  constructor(code: OidcwatchErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = this.constructor.name;
    this.code = code;
  }
}

/** Thrown when a trust policy document cannot be read as JSON (plain or URL-encoded). */
export class TrustPolicyUnreadableError extends OidcwatchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TRUST_POLICY_UNREADABLE', message, options);
  }
}
