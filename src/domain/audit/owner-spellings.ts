/**
 * How an account's trust policies spell each GitHub owner. GitHub writes the owner in `sub` exactly
 * as it is spelled on GitHub and IAM compares case-sensitively, so a spelling that differs only in
 * case from the owner's real one never matches. The real spelling is the one `--owners` gives, else
 * the one most of the account's roles use.
 */
import type { ConditionClause, TrustPolicy, TrustStatement } from '../policy/parse-policy.js';
import { hasWildcard } from '../policy/string-match.js';
import {
  isBindingClause,
  isGitHubIssuer,
  keyClaim,
  keyProvider,
  providerArnsOf,
} from './statements.js';

/** One owner named in a `sub` value. */
export interface OwnerMention {
  readonly statement: TrustStatement;
  readonly clause: ConditionClause;
  readonly value: string;
  /** The owner as written, ids stripped (`Acme-Corp@123` → `Acme-Corp`). */
  readonly owner: string;
}

/** The spelling an owner should have, and where that comes from. */
export interface OwnerSpelling {
  readonly spelling: string;
  /** `owners`: given with `--owners`; `roles`: used by `roles` of the account's roles. */
  readonly source: 'owners' | 'roles';
  readonly roles: number;
}

const REPO_OWNER = /^repo:([^/:]+)\//;

/** The owners the case-sensitive `sub` conditions of a policy's GitHub statements name. */
export function ownerMentions(policy: TrustPolicy): OwnerMention[] {
  const out: OwnerMention[] = [];
  for (const st of policy.statements) {
    if (st.effect !== 'Allow' || !providerArnsOf(st).some(isGitHubIssuer)) continue;
    for (const clause of st.conditions) {
      const base = clause.parsed?.base;
      if (!isBindingClause(clause) || (base !== 'StringEquals' && base !== 'StringLike')) continue;
      const prefix = keyProvider(clause.key);
      if (keyClaim(clause.key) !== 'sub' || prefix === null || !isGitHubIssuer(prefix)) continue;
      for (const value of clause.values) {
        const owner = REPO_OWNER.exec(value)?.[1]?.replace(/@\d+$/, '');
        if (owner !== undefined && owner !== '' && !hasWildcard(owner, policy.variables))
          out.push({ statement: st, clause, value, owner });
      }
    }
  }
  return out;
}

/**
 * The right spelling of each owner (keyed by its lowercase form). From `owners` when it names the
 * owner; else the spelling most roles use, when one is used by more roles than any other.
 */
export function ownerSpellings(
  policies: readonly TrustPolicy[],
  owners: readonly string[] | undefined
): Map<string, OwnerSpelling> {
  const byOwner = new Map<string, Map<string, number>>();
  for (const policy of policies) {
    const spellings = new Set(ownerMentions(policy).map((m) => m.owner));
    for (const s of spellings) {
      const counts = byOwner.get(s.toLowerCase()) ?? new Map<string, number>();
      counts.set(s, (counts.get(s) ?? 0) + 1);
      byOwner.set(s.toLowerCase(), counts);
    }
  }
  const out = new Map<string, OwnerSpelling>();
  for (const [lower, counts] of byOwner) {
    const ranked = [...counts].sort((a, b) => b[1] - a[1]);
    const [first, second] = ranked;
    if (first !== undefined && (second === undefined || first[1] > second[1]))
      out.set(lower, { spelling: first[0], source: 'roles', roles: first[1] });
  }
  for (const o of owners ?? [])
    out.set(o.toLowerCase(), {
      spelling: o,
      source: 'owners',
      roles: byOwner.get(o.toLowerCase())?.get(o) ?? 0,
    });
  return out;
}
