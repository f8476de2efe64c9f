/**
 * `--account-role NAME --accounts LIST`, shared by `snapshot` and live `audit`: which other
 * accounts to read, and through which role.
 */
import { OidcwatchError } from '../domain/errors.js';

/** The accounts to read besides the caller's own. */
export interface LiveAccounts {
  readonly accountRole: string | undefined;
  readonly accounts: readonly string[];
}

/**
 * Validates the two options: account ids are 12 digits, and `--accounts` needs `--account-role`.
 *
 * @throws OidcwatchError `ERR_USAGE` naming the option and value
 */
export function liveAccounts(
  command: string,
  accountRole: string | undefined,
  accountsText: string | undefined
): LiveAccounts {
  const accounts = (accountsText ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const bad = accounts.find((a) => !/^\d{12}$/.test(a));
  if (bad !== undefined)
    throw new OidcwatchError(
      'ERR_USAGE',
      `${command}: --accounts: "${bad}" is not a 12-digit account id`
    );
  if (accounts.length > 0 && (accountRole === undefined || accountRole === ''))
    throw new OidcwatchError(
      'ERR_USAGE',
      `${command}: --accounts needs --account-role NAME (the role to assume in each account)`
    );
  if (accountRole !== undefined && !/^[\w+=,.@-]{1,64}$/.test(accountRole))
    throw new OidcwatchError(
      'ERR_USAGE',
      `${command}: --account-role must be a role name (not an ARN), got "${accountRole}"`
    );
  return { accountRole, accounts };
}
