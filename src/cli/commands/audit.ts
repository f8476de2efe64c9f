/**
 * `oidcwatch audit [--iam-snapshot FILE] [--json] [--fail-on SEVERITY] [--owners LIST]`: finds the
 * broken and dangerous OIDC trust in IAM before it fails, including what CloudTrail may never show
 * (cloudtrail-oidc-facts §1.6, §4.5). Reads a snapshot file, or live IAM (the caller's account and,
 * with `--account-role`/`--accounts`, others) through the same snapshot reader `oidcwatch snapshot`
 * uses, so live and offline audits of the same IAM agree.
 */
import { readLiveSnapshotFromEnv } from '../../adapters/iam/live-snapshot.js';
import { type IamSnapshot, loadSnapshot } from '../../adapters/snapshot/iam-snapshot.js';
import { auditAccounts, findingsAtOrAbove } from '../../domain/audit/audit.js';
import type { Severity } from '../../domain/audit/audit-types.js';
import { parseSeverity } from '../../domain/audit/severity.js';
import { OidcwatchError } from '../../domain/errors.js';
import { withGitHubFindings } from '../audit/github-repositories.js';
import { renderAuditJson } from '../audit/render-json.js';
import { renderAuditText } from '../audit/render-text.js';
import { REPORT_FILES_HELP, reportsUseStdout, writeAuditReports } from '../audit/write-reports.js';
import { parseCommandArgs } from '../common/args.js';
import { reportError } from '../common/exit-code.js';
import { styleFor } from '../common/style.js';
import type { Command } from '../io.js';
import { EXIT } from '../io.js';
import { liveAccounts } from '../live-accounts.js';

/**
 * The exit code of `--fail-on` when a finding is at or above the threshold. Not 1 (unusable input)
 * nor 2 (AWS unreachable): a CI gate must tell "the audit found problems" from "the audit could not
 * run". Only `--fail-on` produces it; without it the audit exits 0 whatever it finds (README, "Conventions").
 */
export const EXIT_FINDINGS = EXIT.GATE;

const HELP = `usage: oidcwatch audit [--iam-snapshot FILE] [options]

Finds broken and dangerous OIDC trust before it fails. Every role that trusts an OIDC provider:
over-permissive trust (no sub condition, wildcard owner, ForAllValues, foreign owner), sub values
that can never match (StringEquals with wildcards, no "repo:" prefix, an owner in the wrong case),
condition keys of another provider (enterprise slug), the wrong action or a provider of another
account. Every account: roles trusting a provider the account lacks, GitHub providers without
"sts.amazonaws.com", thumbprint-only issuers: failures CloudTrail may never record.

options:
  --iam-snapshot FILE   audit an IAM snapshot (default: live IAM, default credentials,
                        AWS_ENDPOINT_URL honoured)
  --account-role NAME   live: the role to assume in each of --accounts
  --accounts LIST       live: comma-separated account ids to audit besides the credentials' own
  --owners LIST         comma-separated GitHub owners the roles are meant for, spelled as on
                        GitHub (FOREIGN_OWNER needs them: owners are never guessed;
                        OWNER_CASE otherwise takes the spelling most roles use)
  --fail-on SEVERITY    exit ${EXIT_FINDINGS} when a finding is at or above SEVERITY (high, medium, low, info)
  --json                print JSON Lines: one object per finding (account, roleArn, providerArn,
                        code, detail, severity, statement, message, reason, fix)
  --github              also look up every repository the trust policies name on GitHub:
                        renamed, transferred, deleted (or not visible), an immutable id
                        that no longer matches. GITHUB_API_URL (default https://api.github.com),
                        credentials: OIDCWATCH_GITHUB_APP_ID + OIDCWATCH_GITHUB_PRIVATE_KEY_FILE
                        (a GitHub App), else GITHUB_TOKEN, else none (public repositories)
${REPORT_FILES_HELP}  -h, --help            show this help

severity: high = someone outside your repositories can assume the role, or every assumption
fails in a way CloudTrail may not record; medium = part of a policy can never match, or an owner
outside the account's; low = depends on how workflows are written; info = nothing wrong now.

exit codes: 0 done (whatever was found, unless --fail-on), 1 unusable input or arguments,
2 AWS unreachable or not permitted (also when some accounts could not be read),
${EXIT_FINDINGS} findings at or above --fail-on.
`;

/** Runs `oidcwatch audit`. */
export const run: Command = async (argv, io) => {
  try {
    const { values, positionals } = parseCommandArgs('audit', argv, {
      'iam-snapshot': { type: 'string' },
      'account-role': { type: 'string' },
      accounts: { type: 'string' },
      owners: { type: 'string' },
      'fail-on': { type: 'string' },
      json: { type: 'boolean', default: false },
      github: { type: 'boolean', default: false },
      sarif: { type: 'string' },
      junit: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT.OK;
    }
    if (positionals.length > 0)
      throw new OidcwatchError(
        'ERR_USAGE',
        `audit: unexpected argument "${positionals[0]}" (use --iam-snapshot FILE)`
      );
    let failOn: Severity | null = null;
    if (values['fail-on'] !== undefined) {
      failOn = parseSeverity(values['fail-on']);
      if (failOn === null)
        throw new OidcwatchError(
          'ERR_USAGE',
          `audit: --fail-on must be high, medium, low or info, got "${values['fail-on']}"`
        );
    }
    const live = liveAccounts('audit', values['account-role'], values.accounts);
    const file = values['iam-snapshot'];
    if (file !== undefined && (live.accounts.length > 0 || live.accountRole !== undefined))
      throw new OidcwatchError(
        'ERR_USAGE',
        'audit: --account-role and --accounts read live IAM; they cannot be used with --iam-snapshot'
      );
    const owners = (values.owners ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== '');

    let snapshot: IamSnapshot;
    let failures: readonly { account: string; reason: string }[] = [];
    if (file !== undefined) snapshot = await loadSnapshot(file);
    else ({ snapshot, failures } = await readLiveSnapshotFromEnv(io.env, live));

    let report = auditAccounts(snapshot.accounts, { owners });
    if (values.github) report = await withGitHubFindings(report, snapshot.accounts, io);
    const files = { sarif: values.sarif, junit: values.junit };
    if (!reportsUseStdout(files))
      io.stdout.write(
        values.json ? renderAuditJson(report) : renderAuditText(report, styleFor(io.stdout, io.env))
      );
    await writeAuditReports(report, files, { snapshotFile: file, failOn }, io);
    for (const f of failures)
      io.stderr.write(`oidcwatch audit: account ${f.account} not audited: ${f.reason}\n`);
    if (failures.length > 0) return EXIT.AWS;
    if (failOn !== null) {
      const over = findingsAtOrAbove(report, failOn);
      if (over.length > 0) {
        io.stderr.write(
          `oidcwatch audit: ${over.length} finding${over.length === 1 ? '' : 's'} at or above ${failOn} (--fail-on ${failOn})\n`
        );
        return EXIT_FINDINGS;
      }
    }
    return EXIT.OK;
  } catch (e) {
    return reportError(e, io, 'audit');
  }
};
