/**
 * `oidcwatch audit`'s text output: per account a header, then its providers' findings and each
 * role's: per finding one aligned line (severity, code, statement), then what is wrong, why it has
 * its severity and the fix, indented below it; a summary at the end. Colour (severity) only on a terminal; every value
 * from IAM is cleaned of control characters so data cannot drive the terminal.
 */
import { countBySeverity } from '../../domain/audit/audit.js';
import type { AuditFinding, AuditReport, Severity } from '../../domain/audit/audit-types.js';
import type { Style } from '../common/style.js';
import { sanitizeTerminalText as clean } from '../report/text-table.js';

const INDENT = '    ';
const SEVERITY_WIDTH = 8;
const MAX_CODE_WIDTH = 56;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width);
}

function codeLabel(f: AuditFinding): string {
  return f.detail === null ? f.code : `${f.code}/${f.detail}`;
}

/** A statement as prose names it: a `Sid` in quotes, `#index` as it is. */
function statementText(id: string): string {
  return id.startsWith('#') ? id : `"${id}"`;
}

function subject(f: AuditFinding): string {
  if (f.roleArn !== null) return `role ${f.roleArn.slice(f.roleArn.indexOf(':role/') + 6)}`;
  const arn = f.providerArn ?? '';
  return `provider ${arn.slice(arn.indexOf(':oidc-provider/') + 15)}`;
}

function severityText(s: Severity, style: Style): string {
  const text = pad(s, SEVERITY_WIDTH);
  if (s === 'high') return style.red(style.bold(text));
  if (s === 'medium') return style.yellow(text);
  if (s === 'info') return style.dim(text);
  return text;
}

/** The summary line, e.g. `15 findings: 5 high, 9 medium, 0 low, 1 info`. */
export function auditSummary(report: AuditReport): string {
  const c = countBySeverity(report.findings);
  const roles = report.accounts.reduce((n, a) => n + a.oidcRoles, 0);
  const head =
    report.findings.length === 0 ? 'No findings' : plural(report.findings.length, 'finding');
  return `${head}: ${c.high} high, ${c.medium} medium, ${c.low} low, ${c.info} info (${plural(report.accounts.length, 'account')}, ${plural(roles, 'role')} trusting an OIDC provider)`;
}

/**
 * The text report.
 *
 * @example
 * ```ts
 * io.stdout.write(renderAuditText(auditAccounts(snapshot.accounts), styleFor(io.stdout, io.env)));
 * ```
 */
export function renderAuditText(report: AuditReport, style: Style): string {
  const codeWidth = Math.min(
    MAX_CODE_WIDTH,
    Math.max(0, ...report.findings.map((f) => codeLabel(f).length)) + 2
  );
  const under = ' '.repeat(INDENT.length + SEVERITY_WIDTH);
  const lines: string[] = [];
  for (const account of report.accounts) {
    if (lines.length > 0) lines.push('');
    lines.push(
      style.bold(`Account ${account.account}`) +
        style.dim(
          ` · ${plural(account.roles, 'role')}, ${account.oidcRoles} trusting an OIDC provider · ${plural(account.providers, 'OIDC provider')}`
        )
    );
    const findings = report.findings.filter((f) => f.account === account.account);
    if (findings.length === 0) lines.push(`  ${style.green('no findings')}`);
    let current = '';
    for (const f of findings) {
      const s = clean(subject(f));
      if (s !== current) {
        lines.push(`  ${style.bold(s)}`);
        current = s;
      }
      const statement =
        f.statement === null ? '' : style.dim(`statement ${clean(statementText(f.statement))}`);
      lines.push(
        `${INDENT}${severityText(f.severity, style)}${pad(codeLabel(f), codeWidth)}${statement}`.trimEnd()
      );
      lines.push(`${under}${clean(f.message)}`);
      lines.push(`${under}${style.dim('why:')} ${clean(f.reason)}`);
      lines.push(`${under}${style.bold('fix:')} ${clean(f.fix)}`);
    }
  }
  if (report.accounts.length === 0) lines.push('No accounts to audit.');
  lines.push('', auditSummary(report));
  return `${lines.join('\n')}\n`;
}
