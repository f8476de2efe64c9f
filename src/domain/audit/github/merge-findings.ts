/**
 * Adds findings made outside the IAM audit (`audit --github`) to its report, in the report's own
 * order: per account, the providers' findings first, then roles by name, most severe first within
 * a role (findings of equal severity keep their order, the IAM audit's first).
 */
import { roleNameOf } from '../account-view.js';
import type { AuditFinding, AuditReport } from '../audit-types.js';
import { severityRank } from '../severity.js';

/**
 * The report with `extra` findings merged in.
 *
 * @example
 * ```ts
 * const report = mergeFindings(auditAccounts(snapshot.accounts), githubFindings);
 * ```
 */
export function mergeFindings(report: AuditReport, extra: readonly AuditFinding[]): AuditReport {
  if (extra.length === 0) return report;
  const findings: AuditFinding[] = [];
  const accounts = report.accounts.map((account) => {
    const all = [...report.findings, ...extra].filter((f) => f.account === account.account);
    const providers = all.filter((f) => f.roleArn === null);
    const byRole = new Map<string, AuditFinding[]>();
    for (const f of all)
      if (f.roleArn !== null) byRole.set(f.roleArn, [...(byRole.get(f.roleArn) ?? []), f]);
    const roles = [...byRole.entries()]
      .sort(([a], [b]) => roleNameOf(a).localeCompare(roleNameOf(b)))
      .flatMap(([, list]) =>
        list
          .map((f, i) => ({ f, i }))
          .sort((a, b) => severityRank(a.f.severity) - severityRank(b.f.severity) || a.i - b.i)
          .map(({ f }) => f)
      );
    findings.push(...providers, ...roles);
    return { ...account, findings: providers.length + roles.length };
  });
  return { accounts, findings };
}
