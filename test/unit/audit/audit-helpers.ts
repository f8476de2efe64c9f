/**
 * Builds accounts for the audit tests and reads findings back as short labels.
 */
import { auditAccounts } from '../../../src/domain/audit/audit.js';
import type { AuditFinding, AuditReport } from '../../../src/domain/audit/audit-types.js';
import type { OidcProviderInfo, RoleInfo } from '../../../src/domain/types.js';
import { ACCOUNT } from '../../helpers/cloudtrail-records.js';
import { githubProvider } from '../../helpers/iam-view.js';

/** Audits one account ({@link ACCOUNT} with its GitHub provider unless told otherwise). */
export function auditOne(
  roles: readonly RoleInfo[],
  options: {
    providers?: readonly OidcProviderInfo[];
    account?: string;
    owners?: readonly string[];
  } = {}
): AuditReport {
  const account = options.account ?? ACCOUNT;
  return auditAccounts(
    { [account]: { roles, oidcProviders: options.providers ?? [githubProvider({ account })] } },
    options.owners === undefined ? {} : { owners: options.owners }
  );
}

/** `role-name CODE/DETAIL severity` (or `provider-url …` for provider findings). */
export function label(f: AuditFinding): string {
  const who =
    f.roleArn !== null
      ? f.roleArn.slice(f.roleArn.lastIndexOf('/') + 1)
      : (f.providerArn ?? '').slice((f.providerArn ?? '').indexOf(':oidc-provider/') + 15);
  return `${who} ${f.code}${f.detail === null ? '' : `/${f.detail}`} ${f.severity}`;
}

/** The labels of a report's findings with `code`. */
export function labelsOf(report: AuditReport, code?: string): string[] {
  return report.findings.filter((f) => code === undefined || f.code === code).map(label);
}
