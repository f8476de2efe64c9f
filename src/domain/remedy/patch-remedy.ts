/**
 * Turns a planned trust-policy change into a remedy: the change is applied to a copy of the
 * original document, verified (`verify-patch.ts`), and offered only when verification passes;
 * otherwise the plan's fallback (a `role`, `workflow` or `intentional` remedy, or advice) is
 * offered, carrying the declined patch and why.
 */
import { copyDocument, type PolicyDocument } from './document-patch.js';
import { makeRemedy } from './make-remedy.js';
import type { Remedy, RemedyEdit } from './remedy-types.js';
import { type PatchEnv, verifyPatch } from './verify-patch.js';

/** A trust-policy change to try. */
export interface PatchPlan {
  /** What the change does, in one or two sentences: the fix when it is offered. */
  readonly summary: string;
  /** Applies the change to a copy of the document; returns the edits (none: nothing to change). */
  readonly apply: (doc: PolicyDocument) => readonly (RemedyEdit | null)[];
  /** What to offer when the change is declined. */
  readonly fallback: () => Remedy;
  /**
   * `true` when the change only adds (values to a positive condition of an Allow, an action, a
   * statement): the patched policy admits everything the original did, so a probe it denies the
   * original denied too, and is not evaluated twice.
   */
  readonly additive?: boolean;
}

/** The role name `update-assume-role-policy` takes (no path). */
export function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/** The command that applies a patched trust policy saved as `trust-policy.json`. */
export function updatePolicyCommand(roleArn: string): string {
  return `aws iam update-assume-role-policy --role-name ${roleName(roleArn)} --policy-document file://trust-policy.json`;
}

function declined(
  fallback: Remedy,
  problems: readonly string[],
  edits: readonly RemedyEdit[],
  patch: ReturnType<typeof verifyPatch> | null
): Remedy {
  const why = problems.length > 0 ? problems.join('; ') : 'no change was needed';
  return {
    ...fallback,
    summary: `${fallback.summary} (No trust-policy change is offered: ${why}.)`,
    declined: { problems, edits, blastRadius: patch?.blastRadius ?? null },
  };
}

/**
 * Tries `plan` on the original document of `env`.
 *
 * @example
 * ```ts
 * const remedy = patchRemedy(env, {
 *   summary: 'Add "repo:acme/api:environment:prod" to StringEquals[…:sub] in statement "GitHub".',
 *   apply: (doc) => [addConditionValues(doc, 0, 'StringEquals', subKey, [sub])],
 *   fallback: () => makeRemedy('workflow', 'Point role-to-assume at the role meant for it.'),
 * });
 * remedy.kind; // 'trust-policy' when verified, else the fallback's kind
 * ```
 */
export function patchRemedy(env: PatchEnv, plan: PatchPlan): Remedy {
  // Without the document as written (doctor, a bare evaluation) there is nothing to patch: the
  // fallback's words are the remedy.
  if (env.document === null) return plan.fallback();
  const doc = copyDocument(env.document);
  const edits = plan.apply(doc).filter((e): e is RemedyEdit => e !== null);
  if (edits.length === 0) return declined(plan.fallback(), [], [], null);
  const check = verifyPatch(plan.additive === true ? { ...env, additive: true } : env, doc);
  if (!check.verified) return declined(plan.fallback(), check.verification.problems, edits, check);
  return makeRemedy('trust-policy', plan.summary, {
    roleArn: env.roleArn,
    policy: doc,
    command: updatePolicyCommand(env.roleArn),
    edits,
    verification: check.verification,
    blastRadius: check.blastRadius,
    verified: true,
  });
}

/**
 * The first plan whose patch verifies; when none does, the first plan's outcome (its fallback,
 * with why it was declined).
 */
export function firstVerified(env: PatchEnv, plans: readonly PatchPlan[]): Remedy | null {
  let first: Remedy | null = null;
  for (const plan of plans) {
    const remedy = patchRemedy(env, plan);
    if (remedy.kind === 'trust-policy') return remedy;
    first ??= remedy;
  }
  return first;
}
