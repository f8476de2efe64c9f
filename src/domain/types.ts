/**
 * Shared value types of the pure core. No behaviour lives here.
 */
import type { Cause, FindingCode } from './causes.js';
import type { Remedy } from './remedy/remedy-types.js';

/** The CI systems (and EKS) whose subjects we recognise. */
export type IssuerKind =
  | 'github'
  | 'gitlab'
  | 'terraform-cloud'
  | 'circleci'
  | 'buildkite'
  | 'bitbucket'
  | 'eks'
  | 'other';

/** The token issuer as IAM names it. */
export interface Issuer {
  /** Which CI system the issuer belongs to. */
  readonly kind: IssuerKind;
  /**
   * The provider URL without scheme, exactly the prefix of its IAM condition keys:
   * `token.actions.githubusercontent.com`, `token.actions.githubusercontent.com/acme`,
   * `oidc.eks.us-east-1.amazonaws.com/id/ABC`.
   */
  readonly url: string;
  /** `true` for GitHub Enterprise Server / GHE.com / enterprise-slug issuers. */
  readonly enterprise: boolean;
}

/** One `key:value` segment of a subject. `value` is `null` for bare keys such as `pull_request`. */
export interface SubjectPair {
  readonly key: string;
  readonly value: string | null;
}

/** The shape a GitHub subject takes (other issuers use `project`, `service-account` or `unknown`). */
export type SubjectForm =
  | 'branch'
  | 'tag'
  | 'pull_request'
  | 'environment'
  | 'ref'
  | 'custom'
  | 'repo-only'
  | 'project'
  | 'service-account'
  | 'unknown';

/** A parsed `sub` claim. */
export interface Subject {
  /** The `sub` exactly as recorded. */
  readonly raw: string;
  readonly issuerKind: IssuerKind;
  readonly form: SubjectForm;
  /** The `key:value` segments in order (empty when the subject has no such grammar). */
  readonly pairs: readonly SubjectPair[];
  /** `owner/name` (ids stripped from the immutable form), or `null` when the subject names none. */
  readonly repository: string | null;
  readonly owner: string | null;
  readonly ownerId: string | null;
  readonly repositoryId: string | null;
  /** `true` for GitHub's immutable `repo:owner@ID/name@ID:…` form. */
  readonly immutable: boolean;
  /** Full ref (`refs/heads/main`) when the subject carries one. */
  readonly ref: string | null;
  /** Environment name (`%3A` decoded) when the subject carries one. */
  readonly environment: string | null;
  /**
   * Token claims that the subject proves, by claim name (`repository`, `repository_owner`, `ref`,
   * `ref_type`, `environment`, `job_workflow_ref`, …). Only what `sub` encodes; never guessed.
   */
  readonly claims: Readonly<Record<string, string>>;
}

/** How the role of a record was found. */
export type RoleSource = 'requestParameters' | 'resources' | 'responseElements' | 'errorMessage';

/** An in-scope CloudTrail record, reduced to what the classifier needs. Never holds a token. */
export interface OidcCall {
  readonly eventId: string | null;
  readonly eventTime: string | null;
  readonly eventName: 'AssumeRoleWithWebIdentity' | 'AssumeRole';
  /** The role's account (`recipientAccountId`, else the role ARN's, else the provider ARN's). */
  readonly account: string | null;
  readonly region: string | null;
  /** `null` on success. */
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  /** `userIdentity.identityProvider`: a provider ARN, or a bare issuer for built-in IdPs. */
  readonly provider: string | null;
  readonly issuer: Issuer | null;
  readonly aud: string | null;
  readonly sub: string | null;
  readonly subject: Subject | null;
  readonly roleArn: string | null;
  readonly roleSource: RoleSource | null;
  readonly roleSessionName: string | null;
  readonly durationSeconds: number | null;
  readonly userAgent: string | null;
  /** Only for a chained `AssumeRole` made by a web-identity session. */
  readonly chained: ChainedCall | null;
}

/** The web-identity session behind a chained `AssumeRole`. */
export interface ChainedCall {
  /** The role the web-identity session is a session of (`sessionIssuer.arn`). */
  readonly sessionRoleArn: string | null;
  /** `userIdentity.arn`, the assumed-role session ARN. */
  readonly sessionArn: string | null;
  /** Tag keys the call asked to set (`requestParameters.tags[].key`). */
  readonly tagKeys: readonly string[];
  readonly transitiveTagKeys: readonly string[];
}

/** What reading one input record gave. */
export type ReadOutcome =
  | { readonly kind: 'call'; readonly call: OidcCall }
  | {
      readonly kind: 'ignored';
      readonly eventId: string | null;
      readonly eventTime: string | null;
      readonly reason: string;
    }
  | {
      readonly kind: 'malformed';
      readonly eventId: string | null;
      readonly eventTime: string | null;
      readonly reason: string;
    };

/** A role as IAM (or the snapshot) describes it. */
export interface RoleInfo {
  readonly arn: string;
  /** The trust policy: an object, a JSON string, or the URL-encoded string `GetRole` returns. */
  readonly trustPolicy: unknown;
  readonly maxSessionDuration?: number | undefined;
}

/** An IAM OIDC identity provider. */
export interface OidcProviderInfo {
  readonly arn: string;
  /** Provider URL without scheme, e.g. `token.actions.githubusercontent.com`. */
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
}

/**
 * What enrichment learnt about the account of one call. `role` is `null` when IAM says the role
 * does not exist and `undefined` when the call names no role.
 */
export type IamView =
  | {
      readonly status: 'ok';
      readonly role: RoleInfo | null | undefined;
      readonly providers: readonly OidcProviderInfo[];
      /** Every role of the account whose trust policy names the call's provider (for `ROLE_UNRESOLVED`). */
      readonly rolesTrustingProvider?: readonly RoleInfo[] | undefined;
      /**
       * Roles the role's trust policy names as AWS principals (a role reached by role chaining):
       * read so that a remedy can point the job at one of them, verified.
       */
      readonly relatedRoles?: readonly RoleInfo[] | undefined;
      /** Owners the account's roles are meant for, as configured by the operator (never guessed). */
      readonly knownOwners?: readonly string[] | undefined;
      /** `true` when some of this came from an expired cache entry served during throttling. */
      readonly stale?: boolean | undefined;
      /** Where the view came from. */
      readonly source: 'snapshot' | 'iam';
    }
  | {
      readonly status: 'failed';
      readonly reason: string;
      readonly source: 'snapshot' | 'iam' | 'none';
    };

/** One finding beside a cause. */
export interface Finding {
  readonly code: FindingCode;
  readonly detail: string | null;
  readonly roleArn: string | null;
  /** `Sid`, or `#<index>` when the statement has none. */
  readonly statement: string | null;
  readonly message: string;
}

/** A role considered for a record that names none. */
export interface Candidate {
  readonly roleArn: string;
  readonly cause: Cause;
  readonly detail: string | null;
  readonly explanation: string;
  readonly fix: string | null;
  /** `true` when the role's trust policy names the record's repository. */
  readonly sameRepository: boolean;
}

/** The answer for one input record: the `classify --json` line and the Lambda's log line. */
export interface Diagnosis {
  readonly eventId: string | null;
  readonly eventTime: string | null;
  readonly eventName: string | null;
  readonly account: string | null;
  readonly region: string | null;
  readonly errorCode: string | null;
  readonly roleArn: string | null;
  readonly provider: string | null;
  readonly issuer: IssuerKind | null;
  readonly aud: string | null;
  readonly sub: string | null;
  readonly repository: string | null;
  readonly cause: Cause;
  readonly detail: string | null;
  readonly explanation: string;
  readonly fix: string | null;
  readonly findings: readonly Finding[];
  readonly candidates: readonly Candidate[];
  /** How IAM was consulted: `snapshot`, `iam`, or `none` (not enriched). */
  readonly enrichment: 'snapshot' | 'iam' | 'none';
  /** `true` when part of the IAM data was stale (served during throttling). */
  readonly stale: boolean;
  /** The policy evaluation behind the cause, when a trust policy was evaluated. */
  readonly trace: EvaluationTrace | null;
  /**
   * The configuration change that explains this failure, when change correlation ran (processor,
   * `classify --changes`): `null` when it ran and no change explains it; absent when it did not run.
   */
  readonly change?: ChangeAnnotation | null;
  /**
   * The fix as data (kind, patched policy, diff, verification, blast radius): `null` when there is
   * nothing to remedy (success, ignored, malformed); absent in lines written before remedies existed.
   */
  readonly remedy?: Remedy | null;
}

// ---- configuration changes ---------------------------------------------------------------

/**
 * One element of a trust policy (or provider) that a change altered: the values added and removed
 * per effect × operator × key, taken over all statements of that effect.
 */
export interface PolicyDelta {
  /** `Condition`, `Principal.Federated`, `Action`, `ClientIDList` or `ThumbprintList`. */
  readonly element: string;
  /** The statement effect (`null` for provider elements). */
  readonly effect: 'Allow' | 'Deny' | null;
  /** The condition operator as written (`null` outside conditions). */
  readonly operator: string | null;
  /** The condition key, lowercase (`null` outside conditions). */
  readonly key: string | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** The configuration change a failure is annotated with (`Diagnosis.change`). */
export interface ChangeAnnotation {
  /** The change type (`TRUST_POLICY_UPDATED`, `PROVIDER_DELETED`, …; the `ChangeType` dimension). */
  readonly kind: string;
  /** The IAM API call (`UpdateAssumeRolePolicy`, …). */
  readonly eventName: string;
  readonly eventId: string | null;
  /** When the change was made (its CloudTrail `eventTime`). */
  readonly at: string;
  /** Who made it: the caller's ARN (or the AWS service that called on its behalf). */
  readonly by: string | null;
  /** The role changed, for role changes. */
  readonly roleArn: string | null;
  /** The provider changed, for provider changes. */
  readonly providerArn: string | null;
  /** Whole minutes between the change and this failure. */
  readonly minutesBefore: number;
  /**
   * `explains`: the configuration before the change admitted the recorded claims and the one after
   * it does not. `unverified`: the one after it does not, and the one before it is unknown to
   * oidcwatch, so whether the change caused the failure cannot be told.
   */
  readonly verdict: 'explains' | 'unverified';
  /** Every value the change removed (conditions, principals, client IDs), as written. */
  readonly removed: readonly string[];
  /** Every value the change added. */
  readonly added: readonly string[];
  /** The change element by element (`null` when the configuration before it is unknown). */
  readonly diff: readonly PolicyDelta[] | null;
  /** One sentence for on-call: what changed, when, by whom, and what that removed. */
  readonly summary: string;
}

// ---- trust-policy evaluation -------------------------------------------------------------

/** A condition's verdict. `unknown`: it reads a claim CloudTrail does not record. */
export type Verdict = 'pass' | 'fail' | 'unknown';

/** One condition (operator × key) as evaluated. */
export interface ConditionTrace {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The key as written. */
  readonly key: string;
  /** The policy's values. */
  readonly values: readonly string[];
  /** The request values tested; `null` when the key is absent or not recorded. */
  readonly tested: readonly string[] | null;
  readonly verdict: Verdict;
  /** Why, in words: `not recorded in CloudTrail`, `derived from sub`, `unknown operator`, … */
  readonly note: string | null;
}

/** One statement as evaluated. */
export interface StatementTrace {
  readonly index: number;
  readonly sid: string | null;
  readonly effect: 'Allow' | 'Deny';
  readonly principalMatches: boolean;
  readonly actionMatches: boolean;
  readonly conditions: readonly ConditionTrace[];
  /** `match` only when principal, action and every condition pass. */
  readonly verdict: 'match' | 'no-match' | 'unknown';
}

/** The whole evaluation, in IAM's terms. */
export interface EvaluationTrace {
  /**
   * `allow`: an Allow matches and no Deny can. `explicit-deny`: a Deny matches. `implicit-deny`:
   * no Allow matches. `unknown`: the outcome depends on claims CloudTrail does not record.
   */
  readonly decision: 'allow' | 'explicit-deny' | 'implicit-deny' | 'unknown';
  readonly statements: readonly StatementTrace[];
}
