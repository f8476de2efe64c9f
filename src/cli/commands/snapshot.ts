/**
 * `oidcwatch snapshot [--out FILE] [--account-role NAME --accounts LIST]`: writes the IAM snapshot
 * of docs/iam-snapshot.md from live IAM, so that analysis can be shared and rerun offline with
 * `--iam-snapshot`. The file is written whole or not at all.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { readLiveSnapshotFromEnv } from '../../adapters/iam/live-snapshot.js';
import { validateSnapshot } from '../../adapters/snapshot/iam-snapshot.js';
import { OidcwatchError } from '../../domain/errors.js';
import { parseCommandArgs } from '../common/args.js';
import { reportError } from '../common/exit-code.js';
import type { Command } from '../io.js';
import { EXIT } from '../io.js';
import { liveAccounts } from '../live-accounts.js';

const HELP = `usage: oidcwatch snapshot [--out FILE] [--account-role NAME --accounts LIST]

Writes an IAM snapshot (the format "--iam-snapshot FILE" reads) from live IAM: every OIDC
provider (IAM providers are global: one list covers every Region) and every role with its trust
policy (URL-decoded) and maximum session duration, for the account of the credentials and, with
--accounts, for other accounts through a read role. Default credential chain; AWS_ENDPOINT_URL
honoured.

options:
  --out FILE            write the snapshot to FILE (default: stdout)
  --account-role NAME   the role to assume in each of --accounts (needs iam:ListRoles,
                        iam:ListOpenIDConnectProviders, iam:GetOpenIDConnectProvider)
  --accounts LIST       comma-separated account ids to read besides the credentials' own
  -h, --help            show this help

exit codes: 0 written, 1 unusable arguments or FILE not writable, 2 AWS unreachable or not
permitted (accounts that could not be read are left out of the file and named on stderr).
`;

async function writeWhole(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, 'utf8');
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new OidcwatchError(
      'ERR_USAGE',
      `snapshot: cannot write ${file}: ${(e as Error).message}`,
      { cause: e }
    );
  }
}

/** Runs `oidcwatch snapshot`. */
export const run: Command = async (argv, io) => {
  try {
    const { values, positionals } = parseCommandArgs('snapshot', argv, {
      out: { type: 'string' },
      'account-role': { type: 'string' },
      accounts: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    if (positionals.length > 0)
      throw new OidcwatchError(
        'ERR_USAGE',
        `snapshot: unexpected argument "${positionals[0]}" (use --out FILE)`
      );
    const live = liveAccounts('snapshot', values['account-role'], values.accounts);
    const { snapshot, failures } = await readLiveSnapshotFromEnv(io.env, live);
    const text = `${JSON.stringify(snapshot, null, 2)}\n`;
    // What is written must read back: validate the very text, as `--iam-snapshot` will.
    validateSnapshot(JSON.parse(text), values.out ?? 'snapshot');
    if (values.out === undefined) io.stdout.write(text);
    else await writeWhole(values.out, text);
    const accounts = Object.entries(snapshot.accounts);
    const roles = accounts.reduce((n, [, a]) => n + a.roles.length, 0);
    const providers = accounts.reduce((n, [, a]) => n + a.oidcProviders.length, 0);
    io.stderr.write(
      `oidcwatch snapshot: ${values.out === undefined ? 'printed' : `wrote ${values.out}:`} ${accounts.length} account${accounts.length === 1 ? '' : 's'} (${accounts.map(([id]) => id).join(', ')}), ${roles} role${roles === 1 ? '' : 's'}, ${providers} OIDC provider${providers === 1 ? '' : 's'}\n`
    );
    for (const f of failures)
      io.stderr.write(`oidcwatch snapshot: account ${f.account} left out: ${f.reason}\n`);
    return failures.length > 0 ? EXIT.AWS : EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'snapshot');
  }
};
