/**
 * The findings of docs/causes.md (`OVER_PERMISSIVE_TRUST_POLICY`, `LITERAL_WILDCARD`), as the
 * classifier computes them for every policy it sees, with a severity and a fix.
 */
import { trustPolicyFindings } from '../../classify/findings.js';
import type { Finding } from '../../types.js';
import type { FindingDraft, Severity } from '../audit-types.js';
import { REASONS } from '../severity.js';
import type { RoleCheck } from './check.js';

interface Grade {
  readonly severity: Severity;
  readonly reason: string;
  readonly fix: string;
}

const GRADES: Readonly<Record<string, Grade>> = {
  NO_SUB_CONDITION: {
    severity: 'high',
    reason: `${REASONS.exposed} Without a sub condition any repository the issuer serves (for GitHub: any repository of any owner) is admitted.`,
    fix: 'Add a StringEquals (or StringLike) condition on the provider\'s ":sub" key naming your repositories, e.g. "repo:OWNER/REPO:ref:refs/heads/main".',
  },
  WILDCARD_OWNER: {
    severity: 'high',
    reason: `${REASONS.exposed} A wildcard owner admits repositories of any owner, including one an attacker creates.`,
    fix: 'Write the owner literally ("repo:OWNER/REPO:…"); keep wildcards after the repository name.',
  },
  FOR_ALL_VALUES_IN_ALLOW: {
    severity: 'high',
    reason: `${REASONS.exposed} ForAllValues is true when the claim is absent or the key misspelled, so the condition restricts nothing.`,
    fix: 'Use the operator without "ForAllValues:" (sub and aud are single-valued).',
  },
  FOREIGN_OWNER: {
    severity: 'medium',
    reason:
      "Trust reaches an owner outside this account's owners: right for a deliberate vendor integration, otherwise a typo or a leftover.",
    fix: 'Remove the value, or pass the owner in --owners if the account is meant to trust it.',
  },
  LITERAL_WILDCARD: {
    severity: 'medium',
    reason: REASONS.neverMatches,
    fix: 'Use StringLike for values with * or ? (StringEquals compares them literally).',
  },
};

function draft(f: Finding): FindingDraft {
  const grade = GRADES[f.detail ?? f.code] as Grade;
  return {
    code: f.code,
    detail: f.detail,
    severity: grade.severity,
    statement: f.statement,
    message: f.message,
    reason: grade.reason,
    fix: grade.fix,
  };
}

/** `OVER_PERMISSIVE_TRUST_POLICY` and `LITERAL_WILDCARD`, through `trustPolicyFindings`. */
export const overPermissive: RoleCheck = (role, account) =>
  trustPolicyFindings(role.arn, role.policy, account.knownOwners).map(draft);
