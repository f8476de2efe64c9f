/**
 * The stable cause, detail and finding codes of docs/causes.md.
 *
 * These strings are a public contract: they are metric dimension values, CLI output and the words
 * used in the docs. Add to them; never rename one.
 */

/** Every cause a result can carry. Low-cardinality: safe as a metric dimension value. */
export const CAUSES = [
  'SUB_MISMATCH',
  'AUDIENCE_MISMATCH',
  'MISSING_OIDC_PROVIDER',
  'THUMBPRINT_MISMATCH',
  'WRONG_PROVIDER_PRINCIPAL',
  'WRONG_ACTION',
  'EXPLICIT_DENY',
  'UNVERIFIABLE_CONDITION',
  'DENIED_OUTSIDE_TRUST_POLICY',
  'ROLE_NOT_FOUND',
  'ROLE_UNRESOLVED',
  'EXPIRED_TOKEN',
  'IDP_ERROR',
  'INVALID_TOKEN',
  'INVALID_REQUEST',
  'MISSING_TAG_SESSION',
  'ENRICHMENT_FAILED',
  'SUCCESS',
  'IGNORED',
  'MALFORMED_EVENT',
] as const;

/** A cause code. */
export type Cause = (typeof CAUSES)[number];

/** Details that refine `SUB_MISMATCH`. */
export const SUB_MISMATCH_DETAILS = [
  'BRANCH',
  'TAG',
  'PULL_REQUEST',
  'ENVIRONMENT_FORM',
  'WRONG_ENVIRONMENT',
  'CASE',
  'IMMUTABLE_FORMAT',
  'CUSTOM_TEMPLATE',
  'REPOSITORY',
  'OTHER',
] as const;

/** A `SUB_MISMATCH` detail. */
export type SubMismatchDetail = (typeof SUB_MISMATCH_DETAILS)[number];

/** Details that refine `AUDIENCE_MISMATCH`. */
export const AUDIENCE_MISMATCH_DETAILS = ['TRUST_POLICY', 'PROVIDER_CLIENT_ID'] as const;

/** Details that refine `IDP_ERROR`. */
export const IDP_ERROR_DETAILS = ['COMMUNICATION', 'REJECTED_CLAIM', 'VERIFICATION_KEY'] as const;

/** Details that refine `INVALID_REQUEST`. */
export const INVALID_REQUEST_DETAILS = [
  'DURATION_EXCEEDS_MAX_SESSION',
  'INVALID_SESSION_NAME',
  'REGION_DISABLED',
] as const;

/** Finding codes, reported beside the cause (successes included). */
export const FINDINGS = ['OVER_PERMISSIVE_TRUST_POLICY', 'LITERAL_WILDCARD'] as const;

/** A finding code. */
export type FindingCode = (typeof FINDINGS)[number];

/** Details of `OVER_PERMISSIVE_TRUST_POLICY`. */
export const OVER_PERMISSIVE_DETAILS = [
  'NO_SUB_CONDITION',
  'WILDCARD_OWNER',
  'FOR_ALL_VALUES_IN_ALLOW',
  'FOREIGN_OWNER',
] as const;

/** One-line meaning of each cause, for help text, docs and the dashboard legend. */
export const CAUSE_MEANING: Readonly<Record<Cause, string>> = {
  SUB_MISMATCH: "the trust policy's sub condition rejects the recorded sub",
  AUDIENCE_MISMATCH: "aud is rejected by the trust policy or not in the provider's client IDs",
  MISSING_OIDC_PROVIDER: "no IAM OIDC provider for the token's issuer in the account",
  THUMBPRINT_MISMATCH: "the provider's certificate thumbprint does not match",
  WRONG_PROVIDER_PRINCIPAL: 'Principal.Federated names another provider',
  WRONG_ACTION: 'no statement allows sts:AssumeRoleWithWebIdentity for this principal',
  EXPLICIT_DENY: 'a Deny statement matches',
  UNVERIFIABLE_CONDITION: 'a condition on a claim CloudTrail does not record decides',
  DENIED_OUTSIDE_TRUST_POLICY: 'the trust policy admits the claims, yet STS denied (SCP, RCP)',
  ROLE_NOT_FOUND: 'the role does not exist',
  ROLE_UNRESOLVED: 'the record names no role; candidates were evaluated',
  EXPIRED_TOKEN: 'the web identity token had expired',
  IDP_ERROR: 'the identity provider could not be reached or refused',
  INVALID_TOKEN: 'STS rejected the token',
  INVALID_REQUEST: 'request-level validation failed',
  MISSING_TAG_SESSION: 'a chained AssumeRole from a web-identity session needs sts:TagSession',
  ENRICHMENT_FAILED: 'IAM could not be read; classified from errorCode alone',
  SUCCESS: 'a successful call',
  IGNORED: 'not an OIDC role assumption',
  MALFORMED_EVENT: 'the record could not be read',
};

/**
 * Causes that are failures of the role assumption itself (counted in `AssumeRoleFailures`).
 * `SUCCESS`, `IGNORED` and `MALFORMED_EVENT` are not.
 */
export const FAILURE_CAUSES: readonly Cause[] = CAUSES.filter(
  (c) => c !== 'SUCCESS' && c !== 'IGNORED' && c !== 'MALFORMED_EVENT'
);
