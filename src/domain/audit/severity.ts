/**
 * Severity order, thresholds (`--fail-on`) and the reasons shared by several checks.
 */
import { SEVERITIES, type Severity } from './audit-types.js';

/** `0` for `high` … `3` for `info`: lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** `true` when `severity` is `threshold` or more severe. */
export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}

/** The severity named by `text` (case-insensitive), or `null`. */
export function parseSeverity(text: string): Severity | null {
  const lower = text.trim().toLowerCase();
  return SEVERITIES.find((s) => s === lower) ?? null;
}

/**
 * The statement identifier of a finding: the `Sid` as written, or `#index`. Checks label
 * statements as the explanations do (`"Sid"` quoted); the audit's output carries the bare id.
 *
 * @example
 * ```ts
 * statementId('"GitHubActions"'); // 'GitHubActions'
 * statementId('#0');              // '#0'
 * ```
 */
export function statementId(label: string | null): string | null {
  if (label === null) return null;
  return label.length >= 2 && label.startsWith('"') && label.endsWith('"')
    ? label.slice(1, -1)
    : label;
}

/** Reasons of the severities, worded once so that every check says the same. */
export const REASONS = {
  /** `high`: trust wider than intended. */
  exposed: 'Someone outside your repositories can assume the role.',
  /** `high`: a failure STS may never log. */
  invisible:
    'Every assumption fails, with an InvalidIdentityToken error that CloudTrail may never record, so the stream cannot report it.',
  /** `medium`: a dead part of a trust policy. */
  neverMatches:
    'This part of the trust policy can never match: the jobs it was meant for get AccessDenied (which CloudTrail records, so the stream explains it too).',
} as const;
