/**
 * The cause of a failure in a few words for a developer, as the title of what is posted on their
 * run: what AWS objected to, not the code (the code follows in the body).
 */
import type { Cause } from '../causes.js';

const BY_DETAIL: Readonly<Record<string, string>> = {
  'SUB_MISMATCH/BRANCH': 'this branch is not trusted by the role',
  'SUB_MISMATCH/TAG': 'this tag is not trusted by the role',
  'SUB_MISMATCH/PULL_REQUEST': 'pull-request runs are not trusted by the role',
  'SUB_MISMATCH/ENVIRONMENT_FORM':
    "the job's environment changes its subject, which the role does not trust",
  'SUB_MISMATCH/WRONG_ENVIRONMENT': 'this environment is not trusted by the role',
  'SUB_MISMATCH/CASE': "the role's trust policy spells the repository in another letter case",
  'SUB_MISMATCH/IMMUTABLE_FORMAT': "the repository's id-based subject is not trusted by the role",
  'SUB_MISMATCH/CUSTOM_TEMPLATE': "the repository's custom subject is not trusted by the role",
  'SUB_MISMATCH/REPOSITORY': 'this repository is not trusted by the role',
  'AUDIENCE_MISMATCH/TRUST_POLICY': "the token's audience is not the one the role expects",
  'AUDIENCE_MISMATCH/PROVIDER_CLIENT_ID':
    "the token's audience is not registered with the AWS account",
  'INVALID_REQUEST/DURATION_EXCEEDS_MAX_SESSION':
    'the session asked for is longer than the role allows',
  'INVALID_REQUEST/INVALID_SESSION_NAME': 'the role session name is invalid',
  'INVALID_REQUEST/REGION_DISABLED': 'STS is not active in this AWS Region',
};

const BY_CAUSE: Readonly<Partial<Record<Cause, string>>> = {
  SUB_MISMATCH: "the role's trust policy does not admit this job's subject",
  AUDIENCE_MISMATCH: "the token's audience is not accepted",
  MISSING_OIDC_PROVIDER: 'the AWS account has no OIDC provider for GitHub Actions',
  THUMBPRINT_MISMATCH: "the AWS account's OIDC provider has a stale thumbprint",
  WRONG_PROVIDER_PRINCIPAL: "the role trusts another account's OIDC provider",
  WRONG_ACTION: 'the role does not allow sts:AssumeRoleWithWebIdentity',
  EXPLICIT_DENY: "a Deny in the role's trust policy excludes this job",
  UNVERIFIABLE_CONDITION: "a condition on a claim of the job's token is not met",
  DENIED_OUTSIDE_TRUST_POLICY: 'an organization policy denied it, not the trust policy',
  ROLE_NOT_FOUND: 'the role does not exist',
  ROLE_UNRESOLVED: 'the role could not be identified',
  EXPIRED_TOKEN: "the job's token had expired",
  IDP_ERROR: "AWS could not verify the token with GitHub's identity provider",
  INVALID_TOKEN: 'AWS rejected the token',
  INVALID_REQUEST: 'AWS rejected the request',
  MISSING_TAG_SESSION: 'the next role does not allow sts:TagSession',
  ENRICHMENT_FAILED: 'AWS refused it (the role could not be read to say why)',
};

/**
 * A few words for the cause.
 *
 * @example
 * ```ts
 * causePhrase('SUB_MISMATCH', 'BRANCH'); // 'this branch is not trusted by the role'
 * ```
 */
export function causePhrase(cause: Cause, detail: string | null): string {
  return BY_DETAIL[`${cause}/${detail ?? ''}`] ?? BY_CAUSE[cause] ?? 'AWS refused the role';
}
