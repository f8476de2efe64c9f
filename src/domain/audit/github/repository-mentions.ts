/**
 * The GitHub repositories a trust policy names, for `audit --github`: the `repo:` segment of each
 * `sub` value (`OWNER/NAME` or the immutable `OWNER@ID/NAME@ID`), and the values of the
 * `repository` and `repository_id` condition keys, under GitHub issuers, in any string condition
 * (a `Deny … StringNotEquals` naming a renamed repository denies it too). A value whose owner or
 * name is a pattern cannot be looked up and is counted as such, not guessed.
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import type { ConditionClause, TrustPolicy } from '../../policy/parse-policy.js';
import { hasWildcard, literalValue } from '../../policy/string-match.js';
import { isGitHubIssuer, keyClaim, keyProvider } from '../statements.js';

/** What a value names. */
export type RepositoryRef =
  | { readonly kind: 'name'; readonly owner: string; readonly name: string }
  | {
      readonly kind: 'immutable';
      readonly owner: string;
      readonly ownerId: string;
      readonly name: string;
      readonly repositoryId: string;
    }
  | { readonly kind: 'id'; readonly repositoryId: string };

/** One repository named by one value of one condition. */
export interface RepositoryMention {
  /** `"Sid"` or `#index`. */
  readonly statement: string;
  /** The condition operator and key, as written. */
  readonly operator: string;
  readonly key: string;
  /** The value as written. */
  readonly value: string;
  /** The part of the value that names the repository (`acme-corp/api`, `acme@1/api@2`, `123`). */
  readonly segment: string;
  /** The issuer the key belongs to (`token.actions.githubusercontent.com`). */
  readonly issuer: string;
  readonly repository: RepositoryRef;
}

/** A value that names repositories by a pattern. */
export interface UnresolvableMention {
  readonly statement: string;
  readonly value: string;
  /** `owner`: the owner is a pattern (any owner's repositories); `name`: the name is. */
  readonly wildcard: 'owner' | 'name';
}

/** What a policy names. */
export interface PolicyRepositories {
  readonly mentions: readonly RepositoryMention[];
  readonly unresolvable: readonly UnresolvableMention[];
}

const IMMUTABLE = /^([^@/]+)@(\d+)\/([^@/]+)@(\d+)$/;
const NAMED = /^([^@/]+)\/([^@/]+)$/;

/** The repository a `repo:` segment or `repository` value names. */
function readSegment(segment: string): RepositoryRef | null {
  const immutable = IMMUTABLE.exec(segment);
  if (immutable !== null) {
    const [, owner = '', ownerId = '', name = '', repositoryId = ''] = immutable;
    return { kind: 'immutable', owner, ownerId, name, repositoryId };
  }
  const named = NAMED.exec(segment);
  if (named === null) return null;
  const [, owner = '', name = ''] = named;
  return { kind: 'name', owner, name };
}

/** The `repo:` segment of a sub value (up to the next `:`), or `null`. */
function repoSegment(value: string): string | null {
  if (!value.startsWith('repo:')) return null;
  const rest = value.slice('repo:'.length);
  const colon = rest.indexOf(':');
  return colon < 0 ? rest : rest.slice(0, colon);
}

function mentionOf(
  clause: ConditionClause,
  value: string,
  policy: TrustPolicy
): { segment: string; repository: RepositoryRef } | { wildcard: 'owner' | 'name' } | null {
  const claim = keyClaim(clause.key);
  const like = clause.parsed?.base === 'StringLike' || clause.parsed?.base === 'StringNotLike';
  const raw =
    claim === 'sub'
      ? repoSegment(value)
      : claim === 'repository' || claim === 'repository_id'
        ? value
        : null;
  if (raw === null) return null;
  if (like && hasWildcard(raw, policy.variables)) {
    const owner = raw.split('/')[0] ?? '';
    return {
      wildcard:
        claim !== 'repository_id' && hasWildcard(owner, policy.variables) ? 'owner' : 'name',
    };
  }
  const segment = literalValue(raw, policy.variables);
  if (claim === 'repository_id')
    return /^\d+$/.test(segment)
      ? { segment, repository: { kind: 'id', repositoryId: segment } }
      : null;
  const repository = readSegment(segment);
  return repository === null ? null : { segment, repository };
}

/**
 * The repositories a trust policy names under GitHub issuers, in statement order (each value once
 * per condition).
 *
 * @example
 * ```ts
 * repositoriesNamed(policy).mentions[0];
 * // { statement: '"GitHubActions"', key: 'token.actions.githubusercontent.com:sub',
 * //   value: 'repo:acme-corp/api:environment:production', segment: 'acme-corp/api',
 * //   repository: { kind: 'name', owner: 'acme-corp', name: 'api' }, … }
 * ```
 */
export function repositoriesNamed(policy: TrustPolicy): PolicyRepositories {
  const mentions: RepositoryMention[] = [];
  const unresolvable: UnresolvableMention[] = [];
  for (const st of policy.statements) {
    for (const clause of st.conditions) {
      const issuer = keyProvider(clause.key);
      if (issuer === null || !isGitHubIssuer(issuer) || clause.parsed === null) continue;
      if (!clause.parsed.base.startsWith('String')) continue;
      for (const value of clause.values) {
        const found = mentionOf(clause, value, policy);
        if (found === null) continue;
        const statement = statementLabel(st);
        if ('wildcard' in found) unresolvable.push({ statement, value, wildcard: found.wildcard });
        else
          mentions.push({
            statement,
            operator: clause.operator,
            key: clause.key,
            value,
            segment: found.segment,
            issuer,
            repository: found.repository,
          });
      }
    }
  }
  return { mentions, unresolvable };
}
