/**
 * `CONDITION_KEY_PROVIDER_MISMATCH`: a condition key under a provider the statement does not trust
 * (`ENTERPRISE_SLUG`: the statement trusts `token.actions.githubusercontent.com/<slug>` but keys on
 * `token.actions.githubusercontent.com:sub`, or the reverse; `OTHER_PROVIDER`: any other issuer).
 * STS fills only the keys of the token's own provider, so such a key is always absent. In an Allow,
 * a positive condition on it never holds (the statement never admits: `medium`) and a negated or
 * `…IfExists` one always holds (it restricts nothing: `high`); in a Deny the other way round.
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import type { ConditionClause } from '../../policy/parse-policy.js';
import type { FindingDraft } from '../audit-types.js';
import { REASONS } from '../severity.js';
import { keyProvider, providerArnsOf, providerUrl } from '../statements.js';
import type { RoleCheck } from './check.js';

const GITHUB_HOST = 'token.actions.githubusercontent.com';

function hostOf(url: string): string {
  const slash = url.indexOf('/');
  return slash < 0 ? url : url.slice(0, slash);
}

/** `true` when the absent key makes the clause hold rather than fail. */
function holdsWhenAbsent(c: ConditionClause): boolean {
  return (
    c.parsed !== null &&
    (c.parsed.negated || c.parsed.ifExists || c.parsed.qualifier === 'ForAllValues')
  );
}

/** Flags condition keys of providers the statement does not name. */
export const conditionKeyProvider: RoleCheck = (role) => {
  const out: FindingDraft[] = [];
  for (const st of role.policy.statements) {
    const trusted = providerArnsOf(st).map(providerUrl);
    if (trusted.length === 0) continue;
    const foreign = new Map<string, ConditionClause[]>();
    for (const c of st.conditions) {
      const prefix = keyProvider(c.key);
      if (prefix === null || trusted.includes(prefix)) continue;
      foreign.set(prefix, [...(foreign.get(prefix) ?? []), c]);
    }
    for (const [prefix, clauses] of foreign) {
      const slug = hostOf(prefix) === GITHUB_HOST && trusted.some((t) => hostOf(t) === GITHUB_HOST);
      const deny = st.effect === 'Deny';
      // An Allow clause that holds, or a Deny clause that fails, no longer restricts anything.
      const ineffective = clauses.some((c) => holdsWhenAbsent(c) !== deny);
      const keys = [...new Set(clauses.map((c) => c.key))].map((k) => `"${k}"`).join(', ');
      const want = trusted[0] as string;
      const outcome = deny
        ? ineffective
          ? 'a condition on them never holds, so the Deny never applies.'
          : 'the conditions on them always hold, so the Deny applies to every token.'
        : ineffective
          ? 'a negated or IfExists condition on them always holds and restricts nothing.'
          : 'the conditions on them never hold, so the statement never admits a token.';
      out.push({
        code: 'CONDITION_KEY_PROVIDER_MISMATCH',
        detail: slug ? 'ENTERPRISE_SLUG' : 'OTHER_PROVIDER',
        severity: ineffective ? 'high' : 'medium',
        statement: statementLabel(st),
        message: `The statement trusts ${trusted.map((t) => `"${t}"`).join(', ')} but conditions on ${keys}, keys of "${prefix}". STS sets only the keys of the token's own provider, so these are always absent: ${outcome}`,
        reason: ineffective
          ? `${REASONS.exposed} A condition meant to restrict who is admitted has no effect.`
          : REASONS.neverMatches,
        fix: slug
          ? `Key the conditions on "${want}:…" (the provider's URL, enterprise slug included), or trust the provider the keys name.`
          : `Key the conditions on "${want}:…", or trust the provider "${prefix}" the keys name.`,
      });
    }
  }
  return out;
};
