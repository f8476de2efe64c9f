/**
 * Builds the trust-policy document of a request: one Allow statement for the issuer's provider,
 * `sts:AssumeRoleWithWebIdentity`, the audience exactly, the subjects asked for (a value per
 * repository and context), and the workflow pin where it is a condition. Exact values go under
 * `StringEquals`; a key with a pattern goes under `StringLike` whole (two operators on one key
 * would both have to hold).
 */
import { askedJobs, jobSubject, policyLiteral } from './job-subject.js';
import type { PolicyRequest } from './policy-request.js';

/** A trust-policy document as IAM takes it. */
export interface TrustPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly TrustPolicyStatement[];
}

/** One statement of a generated trust policy. */
export interface TrustPolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Principal: { readonly Federated: string };
  readonly Action: 'sts:AssumeRoleWithWebIdentity';
  readonly Condition: Readonly<Record<string, Readonly<Record<string, string | string[]>>>>;
}

const WILDCARD = /[*?]/;

function one(values: readonly string[]): string | string[] {
  return values.length === 1 ? (values[0] as string) : [...values];
}

/** The statement's `Sid` (letters and digits, as IAM requires). */
function sidOf(request: PolicyRequest): string {
  if (request.issuer.kind === 'gitlab') return 'GitLabCI';
  return request.issuer.enterprise ? 'GitHubEnterpriseActions' : 'GitHubActions';
}

/**
 * The subject values the policy lists, in request order: repositories, then contexts.
 *
 * @example
 * ```ts
 * subjectValues(readPolicyRequest({ repositories: ['acme-corp/api'], environments: ['production'] }));
 * // ['repo:acme-corp/api:environment:production']
 * ```
 */
export function subjectValues(request: PolicyRequest): string[] {
  const values: string[] = [];
  for (const job of askedJobs(request)) {
    const value = policyLiteral(jobSubject(request, job));
    if (!values.includes(value)) values.push(value);
  }
  return values;
}

/**
 * The trust policy of `request`, trusting `request.providerArn`.
 *
 * @example
 * ```ts
 * buildTrustPolicy(readPolicyRequest({ repositories: ['acme-corp/api'], environments: ['production'], account: '111122223333' }));
 * // { Version: '2012-10-17', Statement: [{ Sid: 'GitHubActions', Effect: 'Allow', …,
 * //   Condition: { StringEquals: { '…:aud': 'sts.amazonaws.com', '…:sub': 'repo:acme-corp/api:environment:production' } } }] }
 * ```
 */
export function buildTrustPolicy(request: PolicyRequest): TrustPolicyDocument {
  const prefix = request.issuer.url;
  const equals: Record<string, string | string[]> = {
    [`${prefix}:aud`]: policyLiteral(request.audience),
  };
  const like: Record<string, string | string[]> = {};
  const subjects = subjectValues(request);
  (subjects.some((s) => WILDCARD.test(s)) ? like : equals)[`${prefix}:sub`] = one(subjects);
  if (request.workflow?.placement === 'condition') {
    const ref = policyLiteral(request.workflow.ref);
    (WILDCARD.test(ref) ? like : equals)[`${prefix}:job_workflow_ref`] = ref;
  }
  const condition: Record<string, Record<string, string | string[]>> = { StringEquals: equals };
  if (Object.keys(like).length > 0) condition.StringLike = like;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: sidOf(request),
        Effect: 'Allow',
        Principal: { Federated: request.providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
    ],
  };
}
