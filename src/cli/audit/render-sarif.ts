/**
 * `oidcwatch audit --sarif FILE`: the findings as a SARIF 2.1.0 log, ready for GitHub code
 * scanning (`github/codeql-action/upload-sarif`) and other SARIF readers. One result per finding;
 * every rule of the audit with its help text; severities as SARIF levels (and GitHub's
 * `security-severity`); each result located at the role (or provider) ARN and its statement, and
 * at a file: the snapshot it was read from, or a stable path for a live audit.
 * {@link https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html | SARIF 2.1.0}
 * {@link https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning | SARIF support for code scanning}
 */
import { createHash } from 'node:crypto';
import type { AuditFinding, AuditReport, Severity } from '../../domain/audit/audit-types.js';
import { AUDIT_RULES, type AuditRule, ruleOf } from './audit-rules.js';
import type { FindingLocator } from './finding-location.js';

/** The schema the log names (GitHub's documentation uses this address). */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF `level` of each severity. */
export const SARIF_LEVELS: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub's `security-severity` (0–10) of each severity; `info` has none (not a vulnerability). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string | null>> = {
  high: '8.0',
  medium: '5.0',
  low: '3.0',
  info: null,
};

/** Options of {@link renderAuditSarif}. */
export interface SarifOptions {
  /** The oidcwatch version (the tool's `version`). */
  readonly version: string;
  /** The file each finding is shown at. */
  readonly locate: FindingLocator;
}

function ruleDescriptor(rule: AuditRule): Record<string, unknown> {
  const securitySeverity = SECURITY_SEVERITY[rule.severity];
  return {
    id: rule.id,
    name: rule.name,
    shortDescription: { text: rule.short },
    fullDescription: { text: rule.full },
    help: {
      text: `${rule.full}\n\nFix: ${rule.fix.replace(/```json\n|```/g, '')}`,
      markdown: `${rule.full}\n\n**Fix.** ${rule.fix}`,
    },
    defaultConfiguration: { level: SARIF_LEVELS[rule.severity] },
    properties: {
      tags: ['security', 'aws-iam', 'oidc', 'github-actions'],
      precision: 'very-high',
      severity: rule.severity,
      ...(securitySeverity === null ? {} : { 'security-severity': securitySeverity }),
    },
  };
}

/** A fingerprint that stays the same while the finding does (GitHub matches alerts by it). */
function fingerprint(f: AuditFinding): string {
  return createHash('sha256')
    .update(
      [
        f.account,
        f.roleArn ?? '',
        f.providerArn ?? '',
        f.code,
        f.detail ?? '',
        f.statement ?? '',
      ].join('\u0000')
    )
    .digest('hex');
}

function logicalLocations(f: AuditFinding): Record<string, unknown>[] {
  const arn = f.roleArn ?? f.providerArn;
  if (arn === null) return [{ name: f.account, kind: 'namespace' }];
  const resource = {
    name: arn.slice(arn.lastIndexOf('/') + 1),
    fullyQualifiedName: arn,
    kind: 'resource',
  };
  if (f.statement === null) return [resource];
  return [
    resource,
    {
      name: f.statement,
      fullyQualifiedName: `${arn}/Statement/${f.statement}`,
      kind: 'element',
      parentIndex: 0,
    },
  ];
}

function result(
  f: AuditFinding,
  ruleIndex: number,
  locate: FindingLocator
): Record<string, unknown> {
  const rule = AUDIT_RULES[ruleIndex] as AuditRule;
  const artifact = locate(f);
  return {
    ruleId: rule.id,
    ruleIndex,
    level: SARIF_LEVELS[f.severity],
    message: { text: `${f.message} Fix: ${f.fix}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: artifact.uri },
          ...(artifact.startLine === null ? {} : { region: { startLine: artifact.startLine } }),
        },
        logicalLocations: logicalLocations(f),
      },
    ],
    partialFingerprints: { 'oidcwatchFinding/v1': fingerprint(f) },
    properties: {
      severity: f.severity,
      account: f.account,
      roleArn: f.roleArn,
      providerArn: f.providerArn,
      statement: f.statement,
      detail: f.detail,
      reason: f.reason,
      fix: f.fix,
    },
  };
}

/**
 * The audit as a SARIF 2.1.0 log (JSON text). A clean audit is a log with no results, which code
 * scanning reads as "every alert fixed".
 *
 * @example
 * ```ts
 * await writeFile('oidcwatch.sarif', renderAuditSarif(report, { version: '0.1.0', locate: liveLocator }));
 * ```
 */
export function renderAuditSarif(report: AuditReport, opts: SarifOptions): string {
  const indexOf = new Map(AUDIT_RULES.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'oidcwatch',
            version: opts.version,
            semanticVersion: opts.version,
            rules: AUDIT_RULES.map(ruleDescriptor),
          },
        },
        automationDetails: { id: 'oidcwatch/audit/' },
        results: report.findings.map((f) =>
          result(f, indexOf.get(ruleOf(f).id) as number, opts.locate)
        ),
        properties: {
          accounts: report.accounts.map((a) => ({
            account: a.account,
            roles: a.roles,
            oidcRoles: a.oidcRoles,
            providers: a.providers,
            findings: a.findings,
          })),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
