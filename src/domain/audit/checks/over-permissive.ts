/**
 * The findings of docs/causes.md (`OVER_PERMISSIVE_TRUST_POLICY`, `LITERAL_WILDCARD`), as the
 * classifier computes them for every policy it sees, with a severity and a fix.
 */
import { ALWAYS_SENT_CLAIMS, trustPolicyFindings } from '../../classify/findings.js';
import { claimOf, statementLabel } from '../../classify/trust/trust-context.js';
import type { TrustPolicy } from '../../policy/parse-policy.js';
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
    reason: `${REASONS.exposed} A wildcard in the owner admits repositories of owners other than yours, and anyone can create an owner whose name matches it.`,
    fix: 'Write the owner literally ("repo:OWNER/REPO:…"); keep wildcards after the repository name.',
  },
  FOR_ALL_VALUES_IN_ALLOW: {
    severity: 'high',
    reason: `${REASONS.exposed} ForAllValues is true when the claim is absent or the key misspelled, so the condition restricts nothing.`,
    fix: 'Use the operator without "ForAllValues:" (sub and aud are single-valued).',
  },
  /** `ForAllValues:` only on claims every token carries (`sub`, `aud`): it binds like the plain operator. */
  FOR_ALL_VALUES_ON_ALWAYS_SENT: {
    severity: 'low',
    reason:
      'Every token carries this claim, so today the condition restricts as the operator without ForAllValues does; it would stop restricting if the key were misspelled or the claim absent.',
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

/**
 * `true` when every `ForAllValues:` condition of the finding's statement is on a claim every token
 * carries: absent claims, the case `ForAllValues` admits, cannot happen there.
 */
function forAllValuesOnlyOnAlwaysSent(f: Finding, policy: TrustPolicy): boolean {
  const st = policy.statements.find((s) => statementLabel(s) === f.statement);
  if (st === undefined) return false;
  const forAll = st.conditions.filter((c) => c.parsed?.qualifier === 'ForAllValues');
  return forAll.length > 0 && forAll.every((c) => ALWAYS_SENT_CLAIMS.has(claimOf(c.key)));
}

function draft(f: Finding, policy: TrustPolicy): FindingDraft {
  const key =
    f.detail === 'FOR_ALL_VALUES_IN_ALLOW' && forAllValuesOnlyOnAlwaysSent(f, policy)
      ? 'FOR_ALL_VALUES_ON_ALWAYS_SENT'
      : (f.detail ?? f.code);
  const grade = GRADES[key] as Grade;
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

/**
 * `OVER_PERMISSIVE_TRUST_POLICY` and `LITERAL_WILDCARD`, through `trustPolicyFindings`, graded
 * against what the issuer always sends (`ForAllValues:` on `sub` is not an open door).
 */
export const overPermissive: RoleCheck = (role, account) =>
  trustPolicyFindings(role.arn, role.policy, account.knownOwners).map((f) => draft(f, role.policy));
