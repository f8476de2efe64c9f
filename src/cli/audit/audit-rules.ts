/**
 * The audit's rules as CI and code-scanning tools describe them (SARIF `reportingDescriptor`s,
 * JUnit test names): one rule per finding code, refined by detail where the detail changes what is
 * wrong. The words say what the check looks for, why it matters and how to fix it in general; each
 * result carries its own message and fix with the values involved.
 */
import { AUDIT_CODES, type AuditCode, type Severity } from '../../domain/audit/audit-types.js';

/** One rule of the audit. */
export interface AuditRule {
  /** `CODE` or `CODE/DETAIL`: the SARIF `ruleId`, stable across releases. */
  readonly id: string;
  readonly code: AuditCode;
  /** `null` for the rule of the code as a whole. */
  readonly detail: string | null;
  /** A PascalCase name (SARIF `name`). */
  readonly name: string;
  /** One sentence: what is wrong. */
  readonly short: string;
  /** What the check looks for and why it matters. */
  readonly full: string;
  /** How to fix it, in Markdown (an example where one helps). */
  readonly fix: string;
  /** The severity most findings of this rule have (some checks grade lower when harmless). */
  readonly severity: Severity;
}

type RuleText = Omit<AuditRule, 'id' | 'code' | 'detail'>;

const SUB_EXAMPLE =
  '```json\n"Condition": {\n  "StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },\n  "StringLike": { "token.actions.githubusercontent.com:sub": "repo:OWNER/REPO:ref:refs/heads/main" }\n}\n```';

const RULES: Readonly<Record<string, RuleText>> = {
  OVER_PERMISSIVE_TRUST_POLICY: {
    name: 'OverPermissiveTrustPolicy',
    short: 'The trust policy admits tokens beyond the repositories it is meant for.',
    full: 'A statement trusting an OIDC provider admits more subjects than intended, so workflows outside your repositories may assume the role.',
    fix: `Restrict the provider's \`:sub\` key to your repositories:\n\n${SUB_EXAMPLE}`,
    severity: 'high',
  },
  'OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION': {
    name: 'NoSubCondition',
    short: 'The role trusts the OIDC provider without a binding sub condition.',
    full: 'A statement allows sts:AssumeRoleWithWebIdentity from the provider with no condition on the sub claim that must hold (a negated condition restricts nothing). For GitHub, any repository of any owner can then assume the role. An …IfExists or ForAllValues condition on sub does bind: every token carries sub.',
    fix: `Add a condition on the provider's \`:sub\` key naming your repositories:\n\n${SUB_EXAMPLE}`,
    severity: 'high',
  },
  'OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER': {
    name: 'WildcardOwner',
    short: 'A sub pattern has a wildcard in the owner.',
    full: 'A StringLike sub value such as "repo:*" or "repo:my-or?/api:*" admits repositories of owners other than yours; anyone can create an owner whose name matches the pattern.',
    fix: 'Write the owner literally (`repo:OWNER/REPO:…`) and keep wildcards after the repository name.',
    severity: 'high',
  },
  'OVER_PERMISSIVE_TRUST_POLICY/FOR_ALL_VALUES_IN_ALLOW': {
    name: 'ForAllValuesInAllow',
    short: 'A condition in an Allow statement uses ForAllValues.',
    full: 'ForAllValues is true when the claim is absent or the key misspelled. On claims a token may lack (environment, job_workflow_ref, …) the condition then restricts nothing (high); on sub and aud, which every token carries, it binds like the plain operator today (low).',
    fix: 'Use the operator without `ForAllValues:` (the OIDC claims are single-valued).',
    severity: 'high',
  },
  'OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER': {
    name: 'ForeignOwner',
    short: "Trust reaches an owner outside the account's owners.",
    full: "A sub value names an owner none of the account's other roles (or --owners) name: right for a deliberate vendor integration, otherwise a typo or a leftover.",
    fix: 'Remove the value, or pass the owner in `--owners` when the account is meant to trust it.',
    severity: 'medium',
  },
  LITERAL_WILDCARD: {
    name: 'LiteralWildcard',
    short: 'StringEquals compares a value with * or ? literally.',
    full: 'Under StringEquals, * and ? are ordinary characters, so a value such as "repo:OWNER/REPO:*" never matches a real subject and the jobs it was meant for get AccessDenied.',
    fix: 'Use `StringLike` for values with `*` or `?`.',
    severity: 'medium',
  },
  SUB_NEVER_MATCHES: {
    name: 'SubNeverMatches',
    short: 'A sub value can never match a subject the issuer sends.',
    full: 'The value cannot equal or match any sub the issuer issues, so the jobs it was meant for get AccessDenied.',
    fix: 'Write the value as the issuer writes sub (for GitHub: `repo:OWNER/REPO:…`, owner spelled as on GitHub).',
    severity: 'medium',
  },
  'SUB_NEVER_MATCHES/OWNER_CASE': {
    name: 'OwnerCase',
    short: 'A sub value spells a known owner in another case.',
    full: 'GitHub writes the owner in sub exactly as it is spelled on GitHub and IAM compares case-sensitively, so "repo:Acme-Corp/…" never matches the subjects of acme-corp.',
    fix: "Spell the owner as GitHub does (the spelling the account's other roles or `--owners` use).",
    severity: 'medium',
  },
  'SUB_NEVER_MATCHES/NO_REPO_PREFIX': {
    name: 'NoRepoPrefix',
    short: 'A GitHub sub value does not start with "repo:".',
    full: 'GitHub subjects start with "repo:" (or a claim key of a customised sub template), so this value never matches.',
    fix: 'Start the value with `repo:OWNER/REPO:`.',
    severity: 'medium',
  },
  CONDITION_KEY_PROVIDER_MISMATCH: {
    name: 'ConditionKeyProviderMismatch',
    short: 'A condition key belongs to a provider the statement does not trust.',
    full: "STS sets only the condition keys of the token's own provider. A key of another provider is always absent: a positive condition on it never holds (the statement never admits), a negated or IfExists one always holds (it restricts nothing).",
    fix: "Key the conditions on the trusted provider's URL (`PROVIDER_URL:sub`), or trust the provider the keys name.",
    severity: 'medium',
  },
  'CONDITION_KEY_PROVIDER_MISMATCH/ENTERPRISE_SLUG': {
    name: 'EnterpriseSlugKeys',
    short: 'Keys of the default GitHub issuer under an enterprise-slug provider, or the reverse.',
    full: 'With the enterprise issuer (token.actions.githubusercontent.com/SLUG) the condition keys carry the slug too; keys without it are always absent.',
    fix: 'Key the conditions on `token.actions.githubusercontent.com/SLUG:sub` (and `:aud`).',
    severity: 'medium',
  },
  'CONDITION_KEY_PROVIDER_MISMATCH/OTHER_PROVIDER': {
    name: 'OtherProviderKeys',
    short: "Condition keys of another issuer than the statement's provider.",
    full: "Keys of another issuer (gitlab.com:sub under GitHub's provider, …) are always absent from the token's request.",
    fix: "Key the conditions on the trusted provider's URL, or trust the provider the keys name.",
    severity: 'medium',
  },
  WRONG_ACTION: {
    name: 'WrongAction',
    short: 'The role trusts an OIDC provider but does not allow sts:AssumeRoleWithWebIdentity.',
    full: 'Often sts:AssumeRole copied from a cross-account role: every web-identity assumption of the role is denied.',
    fix: 'Set `"Action": "sts:AssumeRoleWithWebIdentity"` in the statement naming the provider.',
    severity: 'medium',
  },
  WRONG_PROVIDER_PRINCIPAL: {
    name: 'WrongProviderPrincipal',
    short: "Principal.Federated names a provider the role's tokens cannot come from.",
    full: 'The statement never matches a token of the provider the jobs use.',
    fix: "Set `Principal.Federated` to the account's own provider ARN.",
    severity: 'medium',
  },
  'WRONG_PROVIDER_PRINCIPAL/OTHER_ACCOUNT': {
    name: 'ProviderOfOtherAccount',
    short: 'Principal.Federated names an OIDC provider of another account.',
    full: 'A provider and the role that trusts it must be in the same account, so the statement never matches: usually a policy copied between accounts.',
    fix: "Set `Principal.Federated` to `arn:aws:iam::ACCOUNT:oidc-provider/…` of the role's own account (create the provider there if needed).",
    severity: 'medium',
  },
  MISSING_OIDC_PROVIDER: {
    name: 'MissingOidcProvider',
    short: 'The role trusts an OIDC provider its account does not have.',
    full: 'STS rejects every token with InvalidIdentityToken "No OpenIDConnect provider found in your account", an error CloudTrail may never record, so only an audit finds it.',
    fix: 'Create the provider: `aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com`.',
    severity: 'high',
  },
  PROVIDER_MISSING_STS_AUDIENCE: {
    name: 'ProviderMissingStsAudience',
    short: 'A GitHub provider lacks the client ID sts.amazonaws.com.',
    full: 'configure-aws-credentials requests the audience sts.amazonaws.com by default; STS rejects such tokens with "Incorrect token audience", which CloudTrail may never record. High when a role trusting the provider accepts that audience, low when every such role requires another.',
    fix: 'Add the client ID: `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ARN --client-id sts.amazonaws.com`.',
    severity: 'high',
  },
  THUMBPRINT_ONLY_PROVIDER: {
    name: 'ThumbprintOnlyProvider',
    short: 'IAM may verify this issuer by its thumbprints alone.',
    full: "For issuers outside IAM's library of trusted root CAs, a certificate rotation makes every assumption fail (THUMBPRINT_MISMATCH), with an error CloudTrail may never record.",
    fix: 'Before the issuer rotates its certificate, add the new CA thumbprint with `aws iam update-open-id-connect-provider-thumbprint`.',
    severity: 'info',
  },
  TRUST_POLICY_UNREADABLE: {
    name: 'TrustPolicyUnreadable',
    short: 'A trust policy that mentions OIDC federation cannot be read.',
    full: 'The role cannot be audited, and IAM would not accept the document as it is.',
    fix: 'Correct the trust policy document (or the snapshot that holds it).',
    severity: 'medium',
  },
  AUDIT_CHECK_FAILED: {
    name: 'AuditCheckFailed',
    short: 'A check of the audit failed on this role or provider.',
    full: 'The audit of this role or provider is incomplete.',
    fix: 'Report it with the trust policy or provider concerned.',
    severity: 'medium',
  },
  REPOSITORY_RENAMED: {
    name: 'RepositoryRenamed',
    short: 'A trust policy names a repository by a name GitHub now redirects (renamed).',
    full: 'GitHub writes the current name in the sub, so the old value no longer matches the jobs of the repository (AccessDenied), and the old name is free: a repository created again under it would be admitted.',
    fix: 'Write the new name in place of the old one (the finding gives the value); with the immutable sub form, the current owner and name beside the ids.',
    severity: 'medium',
  },
  'REPOSITORY_RENAMED/DESTINATION_NOT_VISIBLE': {
    name: 'RepositoryRenamedDestinationNotVisible',
    short:
      'A trust policy names a repository GitHub redirects to one these credentials cannot see.',
    full: 'The repository was renamed or transferred; its jobs get AccessDenied and the old name can be taken again. Where it went is not visible to the audit credentials.',
    fix: 'Look the repository id up with credentials that see it (`GET /repositories/{id}`) and write its new name.',
    severity: 'medium',
  },
  REPOSITORY_TRANSFERRED: {
    name: 'RepositoryTransferred',
    short: 'A trust policy names a repository that moved to another owner.',
    full: "The sub now carries the new owner, so the old value no longer matches the repository's jobs, and the old name can be taken again by anyone who can create repositories in the former owner.",
    fix: 'Write the new owner and name (the finding gives the value), or remove the value when the repository left on purpose.',
    severity: 'medium',
  },
  'REPOSITORY_TRANSFERRED/DESTINATION_NOT_VISIBLE': {
    name: 'RepositoryTransferredDestinationNotVisible',
    short:
      'A trust policy names a repository transferred to an owner these credentials cannot see.',
    full: 'The repository left its owner; its jobs get AccessDenied and the old name can be taken again in the former owner.',
    fix: 'Look the repository id up with credentials that see it (`GET /repositories/{id}`); write its new name or remove the value.',
    severity: 'medium',
  },
  REPOSITORY_NOT_FOUND: {
    name: 'RepositoryNotFound',
    short: 'A trust policy names a repository GitHub does not show.',
    full: 'The repository was deleted, or it is private and the audit credentials cannot see it; the finding says which is knowable.',
    fix: 'Remove the value when the repository is gone; otherwise run the audit with credentials that see it.',
    severity: 'low',
  },
  'REPOSITORY_NOT_FOUND/OWNER_NOT_FOUND': {
    name: 'RepositoryOwnerNotFound',
    short: 'A trust policy names a repository of an owner that no longer exists on GitHub.',
    full: 'Anyone can create an account with that name, then the repository, and assume the role.',
    fix: 'Remove the value (or write the owner’s new name if it was renamed).',
    severity: 'high',
  },
  'REPOSITORY_NOT_FOUND/DELETED': {
    name: 'RepositoryDeleted',
    short: 'A trust policy names a repository that was deleted.',
    full: 'No job matches it today; a name-based value can be taken again by anyone who can create repositories in the owner (medium), an immutable id never returns (low).',
    fix: 'Remove the value from the trust policy.',
    severity: 'medium',
  },
  'REPOSITORY_NOT_FOUND/NOT_VISIBLE': {
    name: 'RepositoryNotVisible',
    short: 'A trust policy names a repository the audit credentials cannot see.',
    full: 'Deleted, or private and not visible to these credentials: which of the two is not knowable with them.',
    fix: 'Run the audit with credentials that see the owner’s repositories (a GitHub App installed on all of them).',
    severity: 'low',
  },
  REPOSITORY_ID_MISMATCH: {
    name: 'RepositoryIdMismatch',
    short: 'An immutable sub names ids that no longer match the repository of that name.',
    full: 'The owner@id/repo@id subject carries ids; when the repository of that name was re-created or the owner changed, its jobs send other ids and get AccessDenied.',
    fix: 'Write the current ids (the finding gives the value), after checking the repository is the one meant.',
    severity: 'medium',
  },
  REPOSITORY_UNCHECKED: {
    name: 'RepositoryUnchecked',
    short: 'GitHub was not asked about a repository a trust policy names.',
    full: 'Rate limited, unavailable, or denied: whether the repository still exists under this name is not known.',
    fix: 'Run the audit again later, or with credentials GitHub accepts.',
    severity: 'info',
  },
};

/** Every rule, code-level rules first in `AUDIT_CODES` order, each followed by its details. */
export const AUDIT_RULES: readonly AuditRule[] = AUDIT_CODES.flatMap((code) =>
  Object.entries(RULES)
    .filter(([id]) => id === code || id.startsWith(`${code}/`))
    .map(([id, text]): AuditRule => {
      const slash = id.indexOf('/');
      return { id, code, detail: slash < 0 ? null : id.slice(slash + 1), ...text };
    })
);

const BY_ID = new Map(AUDIT_RULES.map((r) => [r.id, r]));

/**
 * The rule of a finding: its `CODE/DETAIL` rule when there is one, else the rule of its code.
 *
 * @example
 * ```ts
 * ruleOf({ code: 'OVER_PERMISSIVE_TRUST_POLICY', detail: 'NO_SUB_CONDITION' }).id;
 * // 'OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION'
 * ruleOf({ code: 'AUDIT_CHECK_FAILED', detail: 'owner-case' }).id; // 'AUDIT_CHECK_FAILED'
 * ```
 */
export function ruleOf(f: { readonly code: AuditCode; readonly detail: string | null }): AuditRule {
  return (BY_ID.get(`${f.code}/${f.detail}`) ?? BY_ID.get(f.code)) as AuditRule;
}
