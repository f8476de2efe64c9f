/**
 * `SUB_NEVER_MATCHES/NO_REPO_PREFIX`: a GitHub `sub` value that does not start with `repo:` (nor
 * with a claim key of a customised sub template). GitHub never issues such a subject.
 * {@link https://docs.github.com/en/actions/reference/security/oidc | GitHub OIDC claims}
 */

import { statementLabel } from '../../classify/trust/trust-context.js';
import type { ConditionClause } from '../../policy/parse-policy.js';
import { GITHUB_KEYS, REPO_PROPERTY_PREFIX } from '../../subject/github-subject.js';
import { REASONS } from '../severity.js';
import {
  isBindingClause,
  isGitHubIssuer,
  isLike,
  keyClaim,
  keyProvider,
  providerArnsOf,
} from '../statements.js';
import type { RoleCheck } from './check.js';

function isFirstKey(key: string): boolean {
  return (
    GITHUB_KEYS.has(key) ||
    (key.startsWith(REPO_PROPERTY_PREFIX) && key.length > REPO_PROPERTY_PREFIX.length)
  );
}

function couldStartFirstKey(prefix: string): boolean {
  return (
    [...GITHUB_KEYS, REPO_PROPERTY_PREFIX].some((k) => k.startsWith(prefix)) ||
    prefix.startsWith(REPO_PROPERTY_PREFIX)
  );
}

/** The literal start of a value: all of it under `StringEquals`, up to the first wildcard under `StringLike`. */
function literalStart(
  value: string,
  like: boolean,
  variables: boolean
): { text: string; whole: boolean } {
  let text = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (
      variables &&
      c === '$' &&
      value[i + 1] === '{' &&
      value[i + 3] === '}' &&
      '*?$'.includes(value[i + 2] as string)
    ) {
      text += value[i + 2];
      i += 3;
    } else if (like && (c === '*' || c === '?')) return { text, whole: false };
    else text += c;
  }
  return { text, whole: true };
}

/** `true` when no GitHub subject can ever equal (or match) `value`. */
export function neverGitHubSubject(
  value: string,
  clause: ConditionClause,
  variables: boolean
): boolean {
  const ignoreCase = clause.parsed?.base === 'StringEqualsIgnoreCase';
  const start = literalStart(value, isLike(clause), variables);
  const text = ignoreCase ? start.text.toLowerCase() : start.text;
  const colon = text.indexOf(':');
  if (colon >= 0) return !isFirstKey(text.slice(0, colon));
  if (start.whole) return text !== 'pull_request';
  return !couldStartFirstKey(text);
}

/** Flags GitHub `sub` values that can never match. */
export const subWithoutRepoPrefix: RoleCheck = (role) => {
  const out = [];
  for (const st of role.policy.statements) {
    if (st.effect !== 'Allow' || !providerArnsOf(st).some(isGitHubIssuer)) continue;
    for (const clause of st.conditions) {
      const prefix = keyProvider(clause.key);
      if (!isBindingClause(clause) || keyClaim(clause.key) !== 'sub') continue;
      if (prefix === null || !isGitHubIssuer(prefix)) continue;
      for (const value of clause.values) {
        if (!neverGitHubSubject(value, clause, role.policy.variables)) continue;
        const looksLikeRepo = /^[^:/*?]+\/[^:]+/.test(value);
        out.push({
          code: 'SUB_NEVER_MATCHES' as const,
          detail: 'NO_REPO_PREFIX',
          severity: 'medium' as const,
          statement: statementLabel(st),
          message: `${clause.key} ${clause.operator} "${value}" does not start with "repo:" (nor with a claim key of a customised sub template): GitHub never issues such a subject, so this value never matches.`,
          reason: REASONS.neverMatches,
          fix: looksLikeRepo
            ? `Write "repo:${value}".`
            : 'Start the value with "repo:OWNER/REPO:".',
        });
      }
    }
  }
  return out;
};
