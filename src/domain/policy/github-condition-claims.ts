/**
 * The GitHub token claims STS turns into trust-policy condition keys.
 */

/**
 * The claims of a GitHub Actions token that STS makes condition keys (`<issuer>:<claim>`).
 * `aud` and `sub` always; the others since STS began validating identity-provider claims for
 * GitHub (January 2026,
 * {@link https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/ | AWS announcement};
 * `repository_owner_id` from one secondary source). A condition on any other claim
 * (`repository_owner`, `run_id`, …, or a misspelling such as `subject`) finds its key absent.
 */
export const GITHUB_CONDITION_CLAIMS: readonly string[] = [
  'aud',
  'sub',
  'actor',
  'actor_id',
  'enterprise_id',
  'environment',
  'job_workflow_ref',
  'ref',
  'repository',
  'repository_id',
  'repository_owner_id',
  'workflow',
];
