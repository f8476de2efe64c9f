/**
 * The vocabulary of `oidcwatch audit`: finding codes, severities and the report. The codes are a
 * public contract (CLI output, `--json`, CI gates): add to them, never rename one.
 */
import type { OidcProviderInfo, RoleInfo } from '../types.js';

/** Severities, most severe first. */
export const SEVERITIES = ['high', 'medium', 'low', 'info'] as const;

/**
 * How much a finding matters.
 *
 * - `high`: someone outside your repositories can assume the role, or every assumption fails in a
 *   way CloudTrail may never record (so the stream cannot report it).
 * - `medium`: part of a trust policy can never match (jobs get `AccessDenied`, which CloudTrail
 *   records), or trust reaches an owner outside the account's own.
 * - `low`: likely harmless, depends on how workflows are written.
 * - `info`: nothing is wrong now; worth knowing.
 */
export type Severity = (typeof SEVERITIES)[number];

/** Every audit finding code. The first two are docs/causes.md findings, reused as they are. */
export const AUDIT_CODES = [
  'OVER_PERMISSIVE_TRUST_POLICY',
  'LITERAL_WILDCARD',
  'SUB_NEVER_MATCHES',
  'CONDITION_KEY_PROVIDER_MISMATCH',
  'WRONG_ACTION',
  'WRONG_PROVIDER_PRINCIPAL',
  'MISSING_OIDC_PROVIDER',
  'PROVIDER_MISSING_STS_AUDIENCE',
  'THUMBPRINT_ONLY_PROVIDER',
  'TRUST_POLICY_UNREADABLE',
  'AUDIT_CHECK_FAILED',
  // `audit --github`: the repositories a trust policy names, as GitHub knows them.
  'REPOSITORY_RENAMED',
  'REPOSITORY_TRANSFERRED',
  'REPOSITORY_NOT_FOUND',
  'REPOSITORY_ID_MISMATCH',
  'REPOSITORY_UNCHECKED',
] as const;

/** An audit finding code. */
export type AuditCode = (typeof AUDIT_CODES)[number];

/** One audit finding: one line of `audit --json`. */
export interface AuditFinding {
  readonly account: string;
  /** The role concerned; `null` for a finding on the account's providers. */
  readonly roleArn: string | null;
  /** The provider concerned, when one is. */
  readonly providerArn: string | null;
  readonly code: AuditCode;
  /** Refines `code` (e.g. `NO_SUB_CONDITION`, `OWNER_CASE`); `null` when it has none. */
  readonly detail: string | null;
  readonly severity: Severity;
  /**
   * The trust-policy statement, when the finding is about one: its `Sid` as written, or `#index`
   * (0-based) when it has none. Never quoted (a `Sid` is alphanumeric, so it cannot start with `#`).
   */
  readonly statement: string | null;
  /** What is wrong, naming the values involved. */
  readonly message: string;
  /** Why it has this severity. */
  readonly reason: string;
  /** What to change. */
  readonly fix: string;
}

/** What a check reports; the runner adds the account and role. */
export type FindingDraft = Omit<AuditFinding, 'account' | 'roleArn' | 'providerArn'> & {
  readonly providerArn?: string | null;
};

/** One account as the audit reads it (the shape of an IAM snapshot account, docs/iam-snapshot.md). */
export interface AuditAccountInput {
  readonly roles: readonly RoleInfo[];
  readonly oidcProviders: readonly OidcProviderInfo[];
}

/** Options of the audit. */
export interface AuditOptions {
  /**
   * The GitHub owners the roles are meant for, spelled exactly as on GitHub: `FOREIGN_OWNER` is
   * judged against them only (never against owners guessed from other policies), and they decide
   * the right case (for `OWNER_CASE`).
   * @default none: no `FOREIGN_OWNER`; `OWNER_CASE` takes the spelling most roles use
   */
  readonly owners?: readonly string[];
}

/** What was audited in one account. */
export interface AuditedAccount {
  readonly account: string;
  /** Roles in the account. */
  readonly roles: number;
  /** Roles whose trust policy trusts an OIDC provider (the ones audited). */
  readonly oidcRoles: number;
  readonly providers: number;
  readonly findings: number;
}

/** The audit's answer. Findings are ordered by account, then providers, then roles by name. */
export interface AuditReport {
  readonly accounts: readonly AuditedAccount[];
  readonly findings: readonly AuditFinding[];
}
