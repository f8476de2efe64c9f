/**
 * Findings on a trust policy, whatever the cause: over-permissive trust (no `sub` condition, a
 * wildcard owner, `ForAllValues:` in an Allow, an owner foreign to the account) and literal
 * wildcards under `StringEquals`. Computed for every policy seen, successes included.
 */

import type { TrustPolicy, TrustStatement } from '../policy/parse-policy.js';
import { hasWildcard } from '../policy/string-match.js';
import { unknownConditionKey } from '../policy/web-identity-request.js';
import { identifyIssuer } from '../subject/identify-issuer.js';
import type { Finding } from '../types.js';
import { claimOf, statementLabel } from './trust/trust-context.js';

const WEB_IDENTITY = /^sts:(\*|assumerolewith\*|assumerolewithwebidentity)$|^\*$/;

function trustsWebIdentity(st: TrustStatement): boolean {
  if (st.effect !== 'Allow') return false;
  const federated =
    st.principal === '*' ||
    st.principal?.federated.some((f) => f.includes(':oidc-provider/') || f === '*');
  if (!federated) return false;
  if (st.action !== null) return st.action.some((a) => WEB_IDENTITY.test(a.toLowerCase()));
  return st.notAction !== null;
}

/**
 * `true` when a condition that must hold names a key STS never sets for the statement's issuer
 * (`…:subject`): the statement never matches, so it is not over-permissive, whatever else it says.
 */
export function conditionOnUnknownKey(st: TrustStatement): boolean {
  if (st.principal === null || st.principal === '*') return false;
  const issuers = st.principal.federated
    .filter((f) => f.includes(':oidc-provider/'))
    .map((f) => identifyIssuer(f));
  return st.conditions.some(
    (c) =>
      c.parsed !== null &&
      !c.parsed.negated &&
      !c.parsed.ifExists &&
      c.parsed.qualifier !== 'ForAllValues' &&
      c.parsed.base !== 'Null' &&
      issuers.some((i) => unknownConditionKey(i, c.key) !== null)
  );
}

/**
 * Claims every OIDC token carries (OpenID Connect Core 1.0 §2: `sub` and `aud` are REQUIRED), so
 * STS always sets their condition keys: an `…IfExists` or `ForAllValues:` condition on them is
 * evaluated like the plain operator and restricts as much.
 */
export const ALWAYS_SENT_CLAIMS: ReadonlySet<string> = new Set(['sub', 'aud']);

/** The owner part of a sub pattern (`repo:OWNER/…`, ids stripped), `*` for none at all. */
function ownerPattern(value: string): string | null {
  const m = /^repo:([^/:]*)/.exec(value);
  if (m === null) return value === '*' || value.startsWith('*') ? '*' : null;
  const owner = (m[1] as string).replace(/@\d+$/, '');
  return owner === '' ? '*' : owner;
}

/** What an owner pattern with wildcards admits, in words. */
function ownersAdmitted(pattern: string): string {
  if (/^\**$/.test(pattern)) return 'any owner';
  const example = pattern.replace(/\*/g, 'x').replace(/\?/g, 'x');
  return `every owner matching "${pattern}" (such as "${example}"), which anyone can register on GitHub`;
}

/** Findings per policy: a role's policy is judged for every call naming it, its findings once. */
const memo = new WeakMap<TrustPolicy, Map<string, Finding[]>>();

/**
 * The findings of one trust policy (computed once per policy, role and owners).
 *
 * @param knownOwners - the owners this account's roles are meant for (lowercase); an admitted
 *   owner outside them is `FOREIGN_OWNER`. Empty: not checked.
 */
export function trustPolicyFindings(
  roleArn: string | null,
  policy: TrustPolicy,
  knownOwners: readonly string[] = []
): Finding[] {
  let byKey = memo.get(policy);
  if (byKey === undefined) {
    byKey = new Map();
    memo.set(policy, byKey);
  }
  const key = `${roleArn ?? ''}\u0000${knownOwners.join(',')}`;
  let found = byKey.get(key);
  if (found === undefined) {
    found = computeFindings(roleArn, policy, knownOwners);
    byKey.set(key, found);
  }
  return found;
}

function computeFindings(
  roleArn: string | null,
  policy: TrustPolicy,
  knownOwners: readonly string[] = []
): Finding[] {
  const findings: Finding[] = [];
  const add = (code: Finding['code'], detail: string | null, st: TrustStatement, message: string) =>
    findings.push({ code, detail, roleArn, statement: statementLabel(st), message });
  const known = new Set(knownOwners.map((o) => o.toLowerCase()));

  for (const st of policy.statements) {
    for (const c of st.conditions) {
      const op = c.parsed;
      if (op !== null && (op.base === 'StringEquals' || op.base === 'StringEqualsIgnoreCase'))
        for (const v of c.values)
          if (hasWildcard(v, policy.variables))
            add(
              'LITERAL_WILDCARD',
              null,
              st,
              `${c.operator} compares "${v}" literally: its * or ? is not a wildcard (use StringLike).`
            );
    }
    if (!trustsWebIdentity(st) || conditionOnUnknownKey(st)) continue;
    const subConditions = st.conditions.filter((c) => claimOf(c.key) === 'sub');
    const forAll = st.conditions.filter((c) => c.parsed?.qualifier === 'ForAllValues');
    for (const c of forAll)
      add(
        'OVER_PERMISSIVE_TRUST_POLICY',
        'FOR_ALL_VALUES_IN_ALLOW',
        st,
        ALWAYS_SENT_CLAIMS.has(claimOf(c.key))
          ? `${c.operator} on ${c.key} in an Allow: every token carries ${claimOf(c.key)}, so it restricts as the operator without ForAllValues does, but it would be true for a claim that is absent; use the operator without ForAllValues.`
          : `${c.operator} on ${c.key} in an Allow is true when the claim is absent or misspelled; use the operator without ForAllValues.`
      );
    // sub is always sent: IfExists and ForAllValues on it bind like the plain operator.
    const binding = subConditions.filter((c) => c.parsed !== null && !c.parsed.negated);
    if (binding.length === 0) {
      add(
        'OVER_PERMISSIVE_TRUST_POLICY',
        'NO_SUB_CONDITION',
        st,
        'The statement trusts the provider without a binding sub condition: any repository the issuer serves can assume the role.'
      );
      continue;
    }
    for (const c of binding) {
      const like = c.parsed?.base === 'StringLike';
      for (const v of c.values) {
        const pattern = ownerPattern(like ? v : v.replace(/[*?]/g, 'x'));
        const owner = pattern !== null && pattern !== '*' && hasWildcard(pattern) ? '*' : pattern;
        if (owner === '*')
          add(
            'OVER_PERMISSIVE_TRUST_POLICY',
            'WILDCARD_OWNER',
            st,
            `${c.key} ${c.operator} "${v}" admits ${ownersAdmitted(pattern ?? '*')}.`
          );
        else if (owner !== null && known.size > 0 && !known.has(owner.toLowerCase()))
          add(
            'OVER_PERMISSIVE_TRUST_POLICY',
            'FOREIGN_OWNER',
            st,
            `${c.key} admits owner "${owner}", which is not one of this account's owners (${[...known].join(', ')}).`
          );
      }
    }
  }
  return findings;
}
