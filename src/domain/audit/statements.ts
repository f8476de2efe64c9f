/**
 * What the audit checks ask of a trust-policy statement: the OIDC providers it trusts, whether it
 * allows `sts:AssumeRoleWithWebIdentity`, and which provider a condition key belongs to.
 */
import type { ConditionClause, TrustStatement } from '../policy/parse-policy.js';
import { globMatches } from '../policy/string-match.js';
import { identifyIssuer, issuerUrlOf } from '../subject/identify-issuer.js';

const PROVIDER_MARKER = ':oidc-provider/';
const WEB_IDENTITY = 'sts:assumerolewithwebidentity';
/** A provider URL as a condition-key prefix: a host name, optionally with a path. */
const PROVIDER_PREFIX = /^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[^\s:]*)?$/;

/** The IAM OIDC provider ARNs a statement names in `Principal.Federated`. */
export function providerArnsOf(st: TrustStatement): string[] {
  if (st.principal === null || st.principal === '*') return [];
  return st.principal.federated.filter((f) => f.includes(PROVIDER_MARKER));
}

/** `true` when the statement's action covers `sts:AssumeRoleWithWebIdentity`. */
export function allowsWebIdentity(st: TrustStatement): boolean {
  const listed = (list: readonly string[]) =>
    list.some((a) => globMatches(a.toLowerCase(), WEB_IDENTITY, false));
  if (st.action !== null) return listed(st.action);
  return st.notAction !== null && !listed(st.notAction);
}

/** `true` when the statement is about OIDC federation: it names a provider, or is `*` for web identity. */
export function isOidcStatement(st: TrustStatement): boolean {
  return providerArnsOf(st).length > 0 || (st.principal === '*' && allowsWebIdentity(st));
}

/** The provider URL of a provider ARN, as IAM writes it in condition keys (lowercase). */
export function providerUrl(providerArn: string): string {
  return issuerUrlOf(providerArn).toLowerCase();
}

/** `true` for GitHub issuers (github.com, enterprise slugs, GHE.com, GHES). */
export function isGitHubIssuer(urlOrArn: string): boolean {
  return identifyIssuer(urlOrArn).kind === 'github';
}

/**
 * The provider URL a condition key is under (`token.actions.githubusercontent.com:sub` →
 * `token.actions.githubusercontent.com`), lowercase; `null` for keys that are not a provider's
 * (`aws:…`, `sts:…`).
 */
export function keyProvider(key: string): string | null {
  const lower = key.toLowerCase();
  const colon = lower.lastIndexOf(':');
  if (colon <= 0) return null;
  const prefix = lower.slice(0, colon);
  return PROVIDER_PREFIX.test(prefix) ? prefix : null;
}

/** The claim a condition key names (`…:sub` → `sub`), lowercase. */
export function keyClaim(key: string): string {
  const lower = key.toLowerCase();
  return lower.slice(lower.lastIndexOf(':') + 1);
}

/** `true` for clauses that must hold for the statement to match (not negated, no `IfExists`). */
export function isBindingClause(c: ConditionClause): boolean {
  return (
    c.parsed !== null &&
    !c.parsed.negated &&
    !c.parsed.ifExists &&
    c.parsed.qualifier !== 'ForAllValues' &&
    c.parsed.base !== 'Null' &&
    c.parsed.base !== 'Bool'
  );
}

/** `StringLike` (and its qualified forms): values are patterns. */
export function isLike(c: ConditionClause): boolean {
  return c.parsed?.base === 'StringLike';
}
