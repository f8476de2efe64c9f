/**
 * The AWS limits a remedy must stay within.
 * {@link https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html | IAM quotas}
 * (role trust policy length 2,048 characters by default, adjustable to at most 4,096 in the
 * quota table of awsdocs/iam-user-guide@f2ca9dd `reference_iam-quotas.md`; white space not counted),
 * {@link https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateRole.html | UpdateRole}
 * (`MaxSessionDuration` 3,600–43,200 s),
 * {@link https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html | AssumeRoleWithWebIdentity}
 * (`DurationSeconds` ≥ 900; `RoleSessionName` 2–64 characters of `[\w+=,.@-]`).
 */

/** Default quota of a role trust policy, in characters (white space not counted). */
export const TRUST_POLICY_DEFAULT_CHARS = 2_048;
/** The largest quota IAM grants a role trust policy, in characters. */
export const TRUST_POLICY_MAX_CHARS = 4_096;
/** The smallest and largest `MaxSessionDuration` IAM accepts, in seconds. */
export const MAX_SESSION_MIN = 3_600;
export const MAX_SESSION_MAX = 43_200;
/** The shortest session `AssumeRoleWithWebIdentity` grants, in seconds. */
export const DURATION_MIN = 900;
/** `RoleSessionName`: 2–64 characters of `[\w+=,.@-]`. */
export const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** What checking a value against a limit found. */
export interface LimitCheck {
  readonly ok: boolean;
  /** Why it is not within the limit (`ok: false`). */
  readonly problem: string | null;
  /** Something to know although it is (`ok: true`). */
  readonly note: string | null;
}

const OK: LimitCheck = { ok: true, problem: null, note: null };

/**
 * The patched trust policy's size against the quota. When the original is already above the
 * default, the account's quota was raised (IAM accepted it): the patch is then checked against
 * nothing more than that, and a note says so.
 */
export function checkPolicySize(originalChars: number, patchedChars: number): LimitCheck {
  if (patchedChars <= TRUST_POLICY_DEFAULT_CHARS) return OK;
  if (patchedChars > TRUST_POLICY_MAX_CHARS)
    return {
      ok: false,
      problem: `the patched trust policy would have ${patchedChars.toLocaleString('en')} characters, above the largest quota IAM grants (${TRUST_POLICY_MAX_CHARS.toLocaleString('en')}, white space not counted)`,
      note: null,
    };
  if (originalChars > TRUST_POLICY_DEFAULT_CHARS)
    return {
      ok: true,
      problem: null,
      note: `The patched trust policy has ${patchedChars.toLocaleString('en')} characters, above the default quota of ${TRUST_POLICY_DEFAULT_CHARS.toLocaleString('en')}; the current one (${originalChars.toLocaleString('en')}) is too, so this account's quota was raised: check it covers the patch.`,
    };
  return {
    ok: false,
    problem: `the patched trust policy would have ${patchedChars.toLocaleString('en')} characters, above IAM's default quota of ${TRUST_POLICY_DEFAULT_CHARS.toLocaleString('en')} (white space not counted)`,
    note: null,
  };
}

/** A `MaxSessionDuration` that covers `asked` seconds within IAM's range, or `null` if none can. */
export function maxSessionFor(asked: number): number | null {
  if (asked > MAX_SESSION_MAX) return null;
  return Math.max(MAX_SESSION_MIN, asked);
}

/** A role session name IAM accepts, derived from `name` (invalid characters become `-`). */
export function validSessionName(name: string | null): string {
  const cleaned = (name ?? '')
    .replace(/[^\w+=,.@-]/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 64);
  return SESSION_NAME.test(cleaned) ? cleaned : 'GitHubActions';
}
