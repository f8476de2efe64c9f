/**
 * What is shown on a repository's run must be about that repository's own call: its role, its
 * account, its repository. Explanations and fixes are written for the platform team and may name
 * other roles (a similarly named one, the candidates of an unresolved call), other accounts (the
 * account a policy was copied from), the people who changed a policy, or the subjects other
 * repositories are trusted with. Before anything is posted, each such name is replaced by a
 * placeholder that still reads as a sentence.
 *
 * Allowed: the call's role ARN (and a role verified to admit the call, that the fix points at), the
 * call's account, the job's own repository (by name or ids),
 * wildcard patterns (they describe the policy's shape, not another repository), and
 * `job_workflow_ref` values (the reusable workflow the policy asks this job to call).
 */

/** Whose call it is. */
export interface CallOwner {
  readonly account: string | null;
  readonly roleArn: string | null;
  /** `owner/name`. */
  readonly repository: string | null;
  /**
   * Other roles that may be named: a role the remedy points the job at, whose trust policy
   * oidcwatch verified admits this very call (the job could assume it today).
   */
  readonly admittingRoles?: readonly string[];
}

/** Placeholders. */
export const WITHHELD = {
  role: '[another role]',
  account: '[another account]',
  principal: '[an IAM principal]',
  repository: '[another repository]',
} as const;

const ARN = /arn:aws[\w-]*:([\w-]+):[\w-]*:(\d{12}|):([^\s"'`,;()<>[\]{}]+)/g;
const ACCOUNT_ID = /(?<![\w@.-])\d{12}(?![\w@-])/g;
/** A GitHub subject (`repo:owner/name…`, also `owner@id/name@id`) up to its end. */
const SUBJECT = /repo:([^\s"'`:,;()[\]{}]+)(?::[^\s"'`,;()[\]{}]*)?/g;

function sameRepository(ownerName: string, repository: string | null): boolean {
  if (repository === null) return false;
  const stripped = ownerName.replace(/@\d+/g, '').toLowerCase();
  return stripped === repository.toLowerCase();
}

/**
 * `text` with every role, account, principal and repository that is not the call's own replaced
 * by a placeholder.
 *
 * @example
 * ```ts
 * redactForeign('names "arn:aws:iam::999988887777:oidc-provider/token.actions.githubusercontent.com"', owner);
 * // 'names "arn:aws:iam::[another account]:oidc-provider/token.actions.githubusercontent.com"'
 * ```
 */
export function redactForeign(text: string, owner: CallOwner): string {
  const out = text.replace(ARN, (whole, service: string, account: string, resource: string) => {
    // Sentence punctuation after an ARN is not part of it.
    const trail = resource.match(/[.:]+$/)?.[0] ?? '';
    const arn = whole.slice(0, whole.length - trail.length);
    const name = resource.slice(0, resource.length - trail.length);
    if (arn === owner.roleArn || owner.admittingRoles?.includes(arn)) return whole;
    if (account !== '' && account !== owner.account)
      return `${arn.replace(`:${account}:`, `:${WITHHELD.account}:`)}${trail}`;
    if (service === 'iam' && name.startsWith('role/')) return `${WITHHELD.role}${trail}`;
    if ((service === 'iam' && name.startsWith('user/')) || service === 'sts')
      return `${WITHHELD.principal}${trail}`;
    return whole;
  });
  const subjects = out.replace(SUBJECT, (whole, ownerName: string) => {
    if (/[*?]/.test(ownerName) || sameRepository(ownerName, owner.repository)) return whole;
    // A job_workflow_ref value inside a custom subject names the workflow, not a repository.
    if (!ownerName.includes('/')) return whole;
    return WITHHELD.repository;
  });
  return subjects.replace(ACCOUNT_ID, (id) =>
    owner.account !== null && id === owner.account ? id : WITHHELD.account
  );
}

/** `true` when `text` names nothing foreign (redaction would not change it). */
export function isOwnOnly(text: string, owner: CallOwner): boolean {
  return redactForeign(text, owner) === text;
}
