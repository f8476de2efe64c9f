/**
 * `oidcwatch audit`'s core: every role that trusts an OIDC provider and every provider of every
 * account, through the checks of `checks/`. Pure: it reads an IAM snapshot's accounts (docs/iam-snapshot.md), whether they came from a file or from live IAM, and returns the findings in a stable order.
 */
import { type AccountView, accountView } from './account-view.js';
import type {
  AuditAccountInput,
  AuditedAccount,
  AuditFinding,
  AuditOptions,
  AuditReport,
  FindingDraft,
  Severity,
} from './audit-types.js';
import type { NamedCheck, ProviderCheck, RoleCheck } from './checks/check.js';
import { PROVIDER_CHECKS, ROLE_CHECKS } from './checks/index.js';
import { isAtOrAbove, severityRank, statementId } from './severity.js';

/** The checks to run (tests pass their own). */
export interface AuditChecks {
  readonly roles: readonly NamedCheck<RoleCheck>[];
  readonly providers: readonly NamedCheck<ProviderCheck>[];
}

const DEFAULT_CHECKS: AuditChecks = { roles: ROLE_CHECKS, providers: PROVIDER_CHECKS };

/** Runs one check; a check that throws becomes an `AUDIT_CHECK_FAILED` finding, never a crash. */
function runCheck(name: string, run: () => readonly FindingDraft[]): readonly FindingDraft[] {
  try {
    return run();
  } catch (e) {
    return [
      {
        code: 'AUDIT_CHECK_FAILED',
        detail: name,
        severity: 'medium',
        statement: null,
        message: `The check "${name}" failed: ${e instanceof Error ? e.message : String(e)}`,
        reason: 'The audit of this role or provider is incomplete.',
        fix: 'Report this with the trust policy or provider concerned.',
      },
    ];
  }
}

function auditAccount(view: AccountView, checks: AuditChecks): AuditFinding[] {
  const out: AuditFinding[] = [];
  const providers = [...view.providers].sort((a, b) => a.arn.localeCompare(b.arn));
  for (const provider of providers)
    for (const check of checks.providers)
      for (const d of runCheck(check.name, () => check.run(provider, view)))
        out.push({
          ...d,
          statement: statementId(d.statement),
          account: view.account,
          roleArn: null,
          providerArn: d.providerArn ?? provider.arn,
        });
  const roles: { arn: string; name: string; findings: FindingDraft[] }[] = view.unreadable.map(
    (u) => ({
      arn: u.arn,
      name: u.arn.slice(u.arn.indexOf(':role/') + 6),
      findings: [
        {
          code: 'TRUST_POLICY_UNREADABLE',
          detail: null,
          severity: 'medium',
          statement: null,
          message: `The trust policy mentions OIDC federation but cannot be read: ${u.reason}.`,
          reason: 'The role cannot be audited, and IAM would not accept the document as it is.',
          fix: 'Correct the trust policy document (or the snapshot that holds it).',
        },
      ],
    })
  );
  for (const role of view.roles)
    roles.push({
      arn: role.arn,
      name: role.name,
      findings: checks.roles.flatMap((check) => [
        ...runCheck(check.name, () => check.run(role, view)),
      ]),
    });
  roles.sort((a, b) => a.name.localeCompare(b.name));
  for (const role of roles) {
    const ranked = role.findings
      .map((d, i) => ({ d, i }))
      .sort((a, b) => severityRank(a.d.severity) - severityRank(b.d.severity) || a.i - b.i);
    for (const { d } of ranked)
      out.push({
        ...d,
        statement: statementId(d.statement),
        account: view.account,
        roleArn: role.arn,
        providerArn: d.providerArn ?? null,
      });
  }
  return out;
}

/**
 * Audits the accounts of an IAM snapshot.
 *
 * @param accounts - by account id, as in an IAM snapshot (docs/iam-snapshot.md)
 * @param options - `owners`: the GitHub owners the roles are meant for, spelled as on GitHub
 * @returns the audited accounts (ordered by id) and the findings: per account, provider findings
 *   first, then roles by name, most severe first within a role
 *
 * @example
 * ```ts
 * const report = auditAccounts((await loadSnapshot('iam.json')).accounts, { owners: ['acme-corp'] });
 * for (const f of report.findings) print(f.severity, f.code, f.detail, f.roleArn);
 * ```
 */
export function auditAccounts(
  accounts: Readonly<Record<string, AuditAccountInput>>,
  options: AuditOptions = {},
  checks: AuditChecks = DEFAULT_CHECKS
): AuditReport {
  const audited: AuditedAccount[] = [];
  const findings: AuditFinding[] = [];
  for (const id of Object.keys(accounts).sort()) {
    const view = accountView(id, accounts[id] as AuditAccountInput, options);
    const found = auditAccount(view, checks);
    audited.push({
      account: id,
      roles: view.allRoles.length,
      oidcRoles: view.roles.length + view.unreadable.length,
      providers: view.providers.length,
      findings: found.length,
    });
    findings.push(...found);
  }
  return { accounts: audited, findings };
}

/** The findings at or above `threshold` (`--fail-on`). */
export function findingsAtOrAbove(report: AuditReport, threshold: Severity): AuditFinding[] {
  return report.findings.filter((f) => isAtOrAbove(f.severity, threshold));
}

/** How many findings have each severity. */
export function countBySeverity(findings: readonly AuditFinding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
