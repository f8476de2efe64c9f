/**
 * `oidcwatch audit` on the bundled sample data (`examples/iam-snapshot.json`, written by
 * scripts/generate-examples.ts): every planted problem is found, with its severity, and the clean
 * roles have no finding.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../../src/adapters/snapshot/iam-snapshot.js';
import { auditAccounts } from '../../../src/domain/audit/audit.js';
import type { AuditReport } from '../../../src/domain/audit/audit-types.js';
import { label } from './audit-helpers.js';

/** Every planted problem: `account subject CODE[/DETAIL] severity`, in the audit's order. */
const EXPECTED = [
  '111122223333 app.terraform.io THUMBPRINT_ONLY_PROVIDER info',
  '111122223333 copied-deploy WRONG_PROVIDER_PRINCIPAL/OTHER_ACCOUNT medium',
  '111122223333 enterprise-deploy CONDITION_KEY_PROVIDER_MISMATCH/ENTERPRISE_SLUG medium',
  '111122223333 importer-deploy TRUST_POLICY_UNREADABLE medium',
  '111122223333 infra-deploy SUB_NEVER_MATCHES/OWNER_CASE medium',
  '111122223333 legacy-ci OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION high',
  '111122223333 metrics-deploy OVER_PERMISSIVE_TRUST_POLICY/FOR_ALL_VALUES_IN_ALLOW low',
  '111122223333 mirror-sync CONDITION_KEY_PROVIDER_MISMATCH/OTHER_PROVIDER medium',
  '111122223333 pages-deploy SUB_NEVER_MATCHES/NO_REPO_PREFIX medium',
  '111122223333 platform-tools SUB_NEVER_MATCHES/OWNER_CASE medium',
  // A misspelled key (`…:subject`) never matches: not an over-permissive statement.
  '111122223333 reports-export SUB_NEVER_MATCHES/UNKNOWN_CONDITION_KEY medium',
  '111122223333 sandbox OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER high',
  '111122223333 search-deploy WRONG_ACTION medium',
  '111122223333 tools-deploy LITERAL_WILDCARD medium',
  '222233334444 staging-deploy MISSING_OIDC_PROVIDER high',
  '444455556666 token.actions.githubusercontent.com PROVIDER_MISSING_STS_AUDIENCE high',
  '555566667777 github.acme-internal.example/_services/token THUMBPRINT_ONLY_PROVIDER info',
];

/** Roles with nothing wrong in IAM (their sample failures come from the workflow side). */
const CLEAN_ROLES = [
  'payments-deploy',
  'web-deploy',
  'web-preview',
  'cli-release',
  'billing-deploy',
  'api-deploy',
  'data-pipeline',
  'docs-publish',
  'prod-guarded',
  'shared-deploy',
  'ledger-deploy',
  'reports-deploy',
  'gha-base',
  'eks-external-dns',
  'gitlab-deploy',
  'analytics-deploy',
  'ghes-deploy',
  // Clean in IAM; `audit --github` finds their repositories renamed and deleted.
  'reporting-deploy',
  'billing-v1-deploy',
];

let report: AuditReport;

beforeAll(async () => {
  report = auditAccounts((await loadSnapshot('examples/iam-snapshot.json')).accounts);
});

describe('audit on examples/', () => {
  it('finds every planted problem, and nothing else', () => {
    // Assess
    expect(report.findings.map((f) => `${f.account} ${label(f)}`)).toEqual(EXPECTED);
  });

  it('finds nothing on the clean roles', () => {
    // Prepare
    const names = report.findings.map((f) => f.roleArn?.slice(f.roleArn.lastIndexOf('/') + 1));

    // Act
    const flagged = CLEAN_ROLES.filter((r) => names.includes(r));

    // Assess
    expect(flagged).toEqual([]);
  });

  it('audits the roles that trust an OIDC provider in every account (cross-deploy trusts a role)', () => {
    // Assess
    expect(report.accounts).toEqual([
      { account: '111122223333', roles: 43, oidcRoles: 42, providers: 7, findings: 14 },
      { account: '222233334444', roles: 1, oidcRoles: 1, providers: 0, findings: 1 },
      { account: '444455556666', roles: 2, oidcRoles: 1, providers: 1, findings: 1 },
      { account: '555566667777', roles: 1, oidcRoles: 1, providers: 1, findings: 1 },
    ]);
  });

  it('finds foreign owners only with --owners (never guessed): the vendor role and the GHES role\'s "platform"', async () => {
    // Prepare
    const { accounts } = await loadSnapshot('examples/iam-snapshot.json');

    // Act
    const withOwners = auditAccounts(accounts, { owners: ['acme-corp'] });

    // Assess
    expect(withOwners.findings.map((f) => `${f.account} ${label(f)}`)).toEqual([
      ...EXPECTED.slice(0, 14),
      '111122223333 vendor-sync OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER medium',
      ...EXPECTED.slice(14),
      '555566667777 ghes-deploy OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER medium',
    ]);
  });
});
