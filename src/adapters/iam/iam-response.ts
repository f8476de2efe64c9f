/**
 * Checks what the IAM API returned against what IAM itself can return, before anything is judged
 * on it: a response that IAM would never produce (a role of another account, a session duration
 * outside 1–12 h, a provider without a URL, a thumbprint that is not 40 hex digits) comes from
 * something else (a proxy, an emulator, a bug) and must not turn into a confident cause.
 * Limits: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */

/** A response IAM would never give; the message names the field. */
export class InvalidIamResponseError extends Error {
  override readonly name = 'InvalidIamResponseError';
}

function fail(what: string, field: string, why: string): never {
  throw new InvalidIamResponseError(
    `${what} returned ${field} ${why}: IAM never returns that, so the answer is not used`
  );
}

/** The account of an IAM ARN of `kind` (`role`, `oidc-provider`), or `null`. */
function arnAccount(arn: string, kind: string): string | null {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):([\w-]+)\/./.exec(arn);
  return m !== null && m[2] === kind ? (m[1] as string) : null;
}

const quoted = (v: unknown) =>
  JSON.stringify(typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v);

/**
 * Checks one role of `account` as `GetRole` or `ListRoles` returned it.
 * @throws InvalidIamResponseError naming the field
 */
export function checkRole(
  what: string,
  account: string,
  role:
    | { Arn?: unknown; AssumeRolePolicyDocument?: unknown; MaxSessionDuration?: unknown }
    | undefined
): void {
  if (role === undefined) fail(what, 'no Role', 'object');
  if (typeof role.Arn !== 'string' || arnAccount(role.Arn, 'role') !== account)
    fail(what, `Role.Arn ${quoted(role.Arn)}`, `which is not a role ARN of account ${account}`);
  if (typeof role.AssumeRolePolicyDocument !== 'string' || role.AssumeRolePolicyDocument === '')
    fail(what, 'a Role without AssumeRolePolicyDocument', '(every role has a trust policy)');
  const max = role.MaxSessionDuration;
  if (
    max !== undefined &&
    (!Number.isInteger(max) || (max as number) < 3600 || (max as number) > 43_200)
  )
    fail(what, `Role.MaxSessionDuration ${quoted(max)}`, '(must be 3600–43200 seconds)');
}

/**
 * Checks an OIDC provider of `account` as `GetOpenIDConnectProvider` returned it.
 * @throws InvalidIamResponseError naming the field
 */
export function checkProvider(
  what: string,
  account: string,
  arn: string,
  p: { Url?: unknown; ClientIDList?: unknown; ThumbprintList?: unknown }
): void {
  if (arnAccount(arn, 'oidc-provider') !== account)
    fail(
      what,
      `provider ARN ${quoted(arn)}`,
      `which is not an OIDC provider ARN of account ${account}`
    );
  if (typeof p.Url !== 'string' || p.Url === '' || p.Url.length > 255)
    fail(what, `Url ${quoted(p.Url)}`, '(every provider has a URL of 1–255 characters)');
  const ids = p.ClientIDList ?? [];
  if (
    !Array.isArray(ids) ||
    ids.length > 100 ||
    !ids.every((c) => typeof c === 'string' && c.length >= 1 && c.length <= 255)
  )
    fail(what, `ClientIDList ${quoted(ids)}`, '(at most 100 client IDs of 1–255 characters)');
  const prints = p.ThumbprintList ?? [];
  if (
    !Array.isArray(prints) ||
    prints.length > 5 ||
    !prints.every((t) => typeof t === 'string' && /^[0-9a-fA-F]{40}$/.test(t))
  )
    fail(what, `ThumbprintList ${quoted(prints)}`, '(at most 5 thumbprints of 40 hex digits)');
}
