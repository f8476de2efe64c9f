/**
 * `SUB_NEVER_MATCHES/UNKNOWN_CONDITION_KEY`: a condition on a key STS never sets for the trusted
 * issuer (`token.actions.githubusercontent.com:subject`, `…:repository_owner`). A positive
 * condition on an absent key never holds, so the statement never admits any token; it is not an
 * over-permissive statement, and not a claim "CloudTrail does not record".
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import { unknownConditionKey } from '../../policy/web-identity-request.js';
import { identifyIssuer } from '../../subject/identify-issuer.js';
import type { FindingDraft } from '../audit-types.js';
import { REASONS } from '../severity.js';
import { isBindingClause, providerArnsOf } from '../statements.js';
import type { RoleCheck } from './check.js';

/** Flags binding conditions on keys STS never sets. */
export const unknownConditionKeyCheck: RoleCheck = (role) => {
  const out: FindingDraft[] = [];
  for (const st of role.policy.statements) {
    if (st.effect !== 'Allow') continue;
    const issuers = providerArnsOf(st).map((p) => identifyIssuer(p));
    for (const clause of st.conditions) {
      if (!isBindingClause(clause)) continue;
      const unknown = issuers
        .map((i) => unknownConditionKey(i, clause.key))
        .find((u) => u !== null);
      if (unknown === undefined || unknown === null) continue;
      out.push({
        code: 'SUB_NEVER_MATCHES',
        detail: 'UNKNOWN_CONDITION_KEY',
        severity: 'medium',
        statement: statementLabel(st),
        message: `${clause.operator} on "${clause.key}": ${unknown.tokenClaim ? `STS does not make the token's "${unknown.claim}" claim a condition key` : `STS sets no such condition key for this issuer${unknown.suggestion === null ? '' : ` (a misspelling of "${unknown.suggestion}"?)`}`}, so the condition never holds and the statement never admits a token.`,
        reason: REASONS.neverMatches,
        fix:
          unknown.suggestion === null
            ? 'Condition on a claim STS sets (sub, aud, environment, job_workflow_ref, repository, ref, …).'
            : `Rename the key to "${unknown.suggestion}".`,
      });
    }
  }
  return out;
};
