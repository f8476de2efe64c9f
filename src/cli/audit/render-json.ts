/**
 * `oidcwatch audit --json`: JSON Lines, one object per finding, in the order of the text output
 * (account, then providers, then roles by name). A clean audit prints nothing. Every line has
 * `account, roleArn, providerArn, code, detail, severity, statement, message, reason, fix`
 * (`roleArn` is `null` for provider findings); `jq -s` turns the lines into one array.
 */
import type { AuditFinding, AuditReport } from '../../domain/audit/audit-types.js';

/** One finding's line (fields in a fixed order). */
export function auditFindingJson(f: AuditFinding): string {
  return JSON.stringify({
    account: f.account,
    roleArn: f.roleArn,
    providerArn: f.providerArn,
    code: f.code,
    detail: f.detail,
    severity: f.severity,
    statement: f.statement,
    message: f.message,
    reason: f.reason,
    fix: f.fix,
  });
}

/** The whole `--json` output. */
export function renderAuditJson(report: AuditReport): string {
  return report.findings.map((f) => `${auditFindingJson(f)}\n`).join('');
}
