/**
 * The remedy of a failure, as data (docs/causes.md): what to change, the complete patched
 * trust policy where the change is to a trust policy, and what verification found. Consumers (the
 * CLI text and `--json`, the processor's log line, the HTML report, the GitHub annotator) read this
 * shape; the `fix` sentence of a diagnosis is written from `summary`.
 *
 * No behaviour lives here.
 */

/**
 * What a remedy asks someone to change.
 * - `trust-policy`: the role's trust policy (a patched document is given);
 * - `provider`: the account's IAM OIDC provider (create it, add a client ID, …);
 * - `workflow`: the job's YAML (`permissions`, `environment`, `audience`, `role-to-assume`);
 * - `role`: use another existing role, named;
 * - `none`: nothing to change in AWS (an expired token, a provider outage);
 * - `intentional`: the policy deliberately excludes this call (a `Deny`, a negated condition, a
 *   pinned workflow, a separate role for another phase); no loosening is offered.
 */
export type RemedyKind = 'trust-policy' | 'provider' | 'workflow' | 'role' | 'none' | 'intentional';

/** Every remedy kind, in the order the docs list them. */
export const REMEDY_KINDS: readonly RemedyKind[] = [
  'trust-policy',
  'provider',
  'workflow',
  'role',
  'none',
  'intentional',
];

/** One element a trust-policy remedy changes, statement by statement. */
export interface RemedyEdit {
  /**
   * The statement: `"Sid"` or `#index` as in the original document; a statement the remedy adds
   * is named the same way (its new `Sid`) with `element: 'Statement'`.
   */
  readonly statement: string;
  /** `Condition`, `Principal.Federated`, `Action`, `Effect` or `Statement` (a statement added). */
  readonly element: string;
  /** The condition operator as written (`null` outside conditions). */
  readonly operator: string | null;
  /** The condition key as written (`null` outside conditions). */
  readonly key: string | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** A change to the workflow file of the failing job. */
export interface WorkflowEdit {
  /** Where in the job: `permissions.id-token`, `environment`, `with.audience`, `with.role-to-assume`, … */
  readonly key: string;
  /** The value to set (`null`: remove the key). */
  readonly value: string | null;
}

/** The widest thing a patch newly admits (see {@link BlastRadius}). */
export type BlastScope = 'call' | 'repository' | 'owner' | 'wider';

/** The outcome of evaluating one probe subject, before and after a patch. */
export type ProbeOutcome = 'allow' | 'deny' | 'unknown';

/** A subject tried against the policy before and after the patch. */
export interface BlastProbe {
  /** What the probe stands for, in words: `another repository of acme-corp`, `a pull request`, … */
  readonly label: string;
  readonly sub: string;
  readonly before: ProbeOutcome;
  readonly after: ProbeOutcome;
}

/**
 * What a patch newly admits, computed by evaluating the original and the patched policy on probe
 * subjects. `scope` is the widest thing newly admitted: `call` (only subjects like the recorded
 * one), `repository` (other subjects of the job's repository), `owner` (other repositories of an
 * owner the policy already admits), `wider` (anything beyond: never offered).
 */
export interface BlastRadius {
  readonly scope: BlastScope;
  readonly probes: readonly BlastProbe[];
  /** The labels of the probes the patch newly admits. */
  readonly newlyAdmitted: readonly string[];
  /**
   * `true` when the original policy already admits other repositories of the job's owner (an
   * owner-wide pattern): then a patch may newly admit the owner's repositories (`scope: 'owner'`).
   */
  readonly ownerAdmitted: boolean;
}

/** What verification of a remedy found. */
export interface RemedyVerification {
  /** The patched policy, re-evaluated on the recorded claims, admits the call. */
  readonly admitsCall: boolean;
  /** Audit findings on the patched policy that the original did not have (`code::detail`). */
  readonly newFindings: readonly string[];
  /** Every value is within AWS limits (policy size, `MaxSessionDuration`, session-name rules). */
  readonly withinLimits: boolean;
  /** Why verification failed, in words; empty when it passed. */
  readonly problems: readonly string[];
  /**
   * What the reader should know although verification passed: a condition on a claim CloudTrail
   * does not record that the original policy already had (the patch admits the call as far as
   * the record can tell), a trust policy already above the default size quota, …
   */
  readonly notes: readonly string[];
}

/** The remedy of one failure. */
export interface Remedy {
  readonly kind: RemedyKind;
  /** What to do, in one or two sentences; the diagnosis' `fix` is written from it. */
  readonly summary: string;
  /** The role whose trust policy the remedy patches (`trust-policy`), else `null`. */
  readonly roleArn: string | null;
  /** The complete patched trust-policy document (`trust-policy` only, and only when verified). */
  readonly policy: Readonly<Record<string, unknown>> | null;
  /**
   * The command that applies the remedy: `aws iam update-assume-role-policy …` for `policy`
   * (which the user saves as `trust-policy.json`), `aws iam add-client-id-to-open-id-connect-provider …`
   * for a provider, …; `null` when there is none.
   */
  readonly command: string | null;
  /** The trust-policy change, element by element (empty for other kinds). */
  readonly edits: readonly RemedyEdit[];
  /** The workflow change (`workflow` kind; may accompany others), else empty. */
  readonly workflow: readonly WorkflowEdit[];
  /** The role to use instead (`role` kind), else `null`. */
  readonly useRoleArn: string | null;
  /** The statement that decides (`intentional`: the one that deliberately excludes the call). */
  readonly statement: string | null;
  /**
   * `true` when every check that applies to what is offered passed: for `trust-policy`, the
   * patched policy admits the recorded call, adds no audit finding, is within AWS limits, and its
   * blast radius stays within the job's repository (or an owner the policy already admits); for
   * `role`, the other role's trust policy admits the call; for `provider` and `workflow`, the
   * trust policy admits the call once the change is made, and values are within AWS limits. A
   * remedy with nothing to check (`none`, `intentional`, advice) is `true`; `false` means
   * something could not be checked (`verification.problems` says what).
   */
  readonly verified: boolean;
  /** The checks behind `verified` (`null` when the kind has nothing to check). */
  readonly verification: RemedyVerification | null;
  /** What the patch newly admits (`trust-policy` only), else `null`. */
  readonly blastRadius: BlastRadius | null;
  /**
   * A trust-policy patch that was considered and NOT offered, and why (it did not admit the call,
   * the audit found something new on it, it broke an AWS limit, or its blast radius went beyond
   * the job's repository); `null` when none was declined.
   */
  readonly declined: DeclinedPatch | null;
}

/** A trust-policy patch oidcwatch built, checked and refused to offer. */
export interface DeclinedPatch {
  /** Why it is not offered, in words. */
  readonly problems: readonly string[];
  /** The change it would have made. */
  readonly edits: readonly RemedyEdit[];
  /** What it would have newly admitted, when that was computed. */
  readonly blastRadius: BlastRadius | null;
}
