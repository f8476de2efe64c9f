/**
 * `oidcwatch audit --github`: the composition of the GitHub lookups. The API is `GITHUB_API_URL`
 * (default `https://api.github.com`); the credentials are the annotator's (GitHub App, else
 * `GITHUB_TOKEN`, else none). Only repositories of the issuer that API serves are looked up; the
 * summary on stderr says what was, and what was not.
 */

import { githubApiUrlFromEnv } from '../../adapters/github/github-api-url.js';
import { GitHubConnection } from '../../adapters/github/github-connection.js';
import { GitHubRepositoryDirectory } from '../../adapters/github/github-repository-directory.js';
import type { AuditAccountInput, AuditReport } from '../../domain/audit/audit-types.js';
import { mergeFindings } from '../../domain/audit/github/merge-findings.js';
import { servedIssuers } from '../../domain/audit/github/served-issuers.js';
import {
  auditRepositoriesOnGitHub,
  type GitHubAuditSummary,
} from '../../usecases/audit-github-repositories.js';
import { githubCredentialsFromEnv } from '../common/github-credentials.js';
import type { CliIo } from '../io.js';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The summary line (stderr), e.g. `github: 21 repositories named by 24 roles looked up on …`. */
export function githubSummary(
  summary: GitHubAuditSummary,
  api: string,
  credentials: string,
  issuer: string
): string {
  const parts = [
    `github: ${plural(summary.repositories, 'repository', 'repositories')} named by ${plural(summary.roles, 'role')} looked up on ${api} (${credentials}, issuer ${issuer})`,
  ];
  if (summary.unchecked > 0)
    parts.push(`${summary.unchecked} not answered (see REPOSITORY_UNCHECKED)`);
  const wild = summary.wildcards.owner + summary.wildcards.name;
  if (wild > 0)
    parts.push(
      `${plural(wild, 'value')} with a wildcard owner or name not looked up (${summary.wildcards.owner} owner, ${summary.wildcards.name} name)`
    );
  for (const [other, n] of summary.otherIssuers)
    parts.push(`${plural(n, 'value')} of issuer ${other} not looked up (another GitHub)`);
  return `oidcwatch: ${parts.join('; ')}\n`;
}

/**
 * The report with the GitHub findings of `accounts` merged in; the summary is written to stderr.
 *
 * @example
 * ```ts
 * report = await withGitHubFindings(report, snapshot.accounts, io);
 * ```
 */
export async function withGitHubFindings(
  report: AuditReport,
  accounts: Readonly<Record<string, AuditAccountInput>>,
  io: CliIo
): Promise<AuditReport> {
  const baseUrl = githubApiUrlFromEnv(io.env);
  const credentials = await githubCredentialsFromEnv('audit', io.env);
  const connection = new GitHubConnection({ baseUrl, credentials });
  const served = servedIssuers(baseUrl);
  const { findings, summary } = await auditRepositoriesOnGitHub(
    accounts,
    new GitHubRepositoryDirectory(connection),
    { serves: served.serves }
  );
  const who =
    credentials.kind === 'app'
      ? `GitHub App ${credentials.appId}`
      : credentials.kind === 'token'
        ? 'GITHUB_TOKEN'
        : 'no credentials';
  io.stderr.write(githubSummary(summary, baseUrl, who, served.issuer));
  return mergeFindings(report, findings);
}
