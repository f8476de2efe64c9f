/**
 * The remedy of a failure, as data (DESIGN.md §5 "Remedies"): what to change, the complete patched
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
  /** The statement: `"Sid"`, `#index`, or `new` for a statement the remedy adds. */
  readonly statement: string;
  /** `Condition`, `Principal.Federated`, `Action` or `Statement`. */
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
  readonly scope: 'call' | 'repository' | 'owner' | 'wider';
  readonly probes: readonly BlastProbe[];
  /** The labels of the probes the patch newly admits. */
  readonly newlyAdmitted: readonly string[];
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
  /** The command that applies `policy` (`aws iam update-assume-role-policy …`), else `null`. */
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
   * `true` when every check that applies passed: for `trust-policy`, the patched policy admits the
   * recorded call, adds no audit finding, is within AWS limits, and its blast radius stays within
   * the job's repository (or an owner the policy already admits).
   */
  readonly verified: boolean;
  /** The checks behind `verified` (`null` when the kind has nothing to check). */
  readonly verification: RemedyVerification | null;
  /** What the patch newly admits (`trust-policy` only), else `null`. */
  readonly blastRadius: BlastRadius | null;
}
