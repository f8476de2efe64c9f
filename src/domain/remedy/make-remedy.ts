/**
 * Builds remedies that change no trust policy (`provider`, `workflow`, `role`, `none`,
 * `intentional`), with every field present.
 */
import type { Remedy, RemedyKind, RemedyVerification, WorkflowEdit } from './remedy-types.js';

/** The optional parts of a remedy. */
export type RemedyParts = Partial<Omit<Remedy, 'kind' | 'summary'>>;

/**
 * A remedy of `kind` saying `summary`; unspecified fields are empty, and `verified` is `true`
 * unless a verification with problems is given (a remedy with nothing to check is safe to show).
 *
 * @example
 * ```ts
 * makeRemedy('none', 'Re-run the job: the identity provider could not be reached.');
 * ```
 */
export function makeRemedy(kind: RemedyKind, summary: string, parts: RemedyParts = {}): Remedy {
  const verification = parts.verification ?? null;
  return {
    kind,
    summary,
    roleArn: parts.roleArn ?? null,
    policy: parts.policy ?? null,
    command: parts.command ?? null,
    edits: parts.edits ?? [],
    workflow: parts.workflow ?? [],
    useRoleArn: parts.useRoleArn ?? null,
    statement: parts.statement ?? null,
    verified: parts.verified ?? (verification === null || verification.problems.length === 0),
    verification,
    blastRadius: parts.blastRadius ?? null,
    declined: parts.declined ?? null,
  };
}

/** A verification of a remedy that changes no trust policy. */
export function checked(
  admitsCall: boolean,
  problems: readonly string[] = [],
  notes: readonly string[] = [],
  withinLimits = true
): RemedyVerification {
  return { admitsCall, newFindings: [], withinLimits, problems, notes };
}

/** One workflow edit. */
export function setInWorkflow(key: string, value: string | null): WorkflowEdit {
  return { key, value };
}

/** A remedy with `summary` prefixed by `why` (a sentence on why no patch is offered). */
export function withReason(remedy: Remedy, why: string | null): Remedy {
  return why === null || why === '' ? remedy : { ...remedy, summary: `${remedy.summary} ${why}` };
}
