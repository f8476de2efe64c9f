/**
 * `oidcwatch audit --junit FILE`: the findings as JUnit XML, the test-report format CI systems
 * read (GitLab, Jenkins, Azure Pipelines, CircleCI, Buildkite). One test suite per account; one
 * test case per finding, named by rule and statement under the role (or provider) it concerns,
 * failing when its severity is at or above the threshold; and one passing case per account saying
 * what was audited, so a clean audit still reports its tests.
 */

import type { AuditFinding, AuditReport, Severity } from '../../domain/audit/audit-types.js';
import { isAtOrAbove } from '../../domain/audit/severity.js';
import { ruleOf } from './audit-rules.js';

/** Options of {@link renderAuditJunit}. */
export interface JunitOptions {
  /**
   * Findings at or above this severity are failures; below it they pass with their text in
   * `<system-out>`.
   *
   * @default 'low'
   */
  readonly failOn?: Severity;
}

/** Characters XML 1.0 does not allow, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters removed
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text as XML character data or an attribute value. */
export function xmlEscape(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');
}

/** `111122223333.role/deploy`, `111122223333.oidc-provider/token.actions.githubusercontent.com`. */
function className(f: AuditFinding): string {
  const arn = f.roleArn ?? f.providerArn;
  return arn === null ? f.account : `${f.account}.${arn.split(':').slice(5).join(':')}`;
}

function testName(f: AuditFinding): string {
  return f.statement === null ? ruleOf(f).id : `${ruleOf(f).id} (statement ${f.statement})`;
}

function testCase(f: AuditFinding, failOn: Severity): string {
  const body = `${f.message}\nwhy: ${f.reason}\nfix: ${f.fix}`;
  const head = `    <testcase${attrs({ classname: className(f), name: testName(f) })}>`;
  if (isAtOrAbove(f.severity, failOn))
    return `${head}\n      <failure${attrs({ type: f.severity, message: `${f.severity}: ${f.message}` })}>${xmlEscape(body)}</failure>\n    </testcase>`;
  return `${head}\n      <system-out>${xmlEscape(`${f.severity} (below the threshold ${failOn}): ${body}`)}</system-out>\n    </testcase>`;
}

/**
 * The audit as JUnit XML.
 *
 * @example
 * ```ts
 * await writeFile('oidcwatch-audit.xml', renderAuditJunit(report, { failOn: 'medium' }));
 * ```
 */
export function renderAuditJunit(report: AuditReport, opts: JunitOptions = {}): string {
  const failOn = opts.failOn ?? 'low';
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const account of report.accounts) {
    const findings = report.findings.filter((f) => f.account === account.account);
    const failed = findings.filter((f) => isAtOrAbove(f.severity, failOn)).length;
    const audited = `    <testcase${attrs({
      classname: account.account,
      name: `audited ${account.oidcRoles} roles trusting an OIDC provider and ${account.providers} OIDC providers`,
    })}/>`;
    suites.push(
      `  <testsuite${attrs({ name: `oidcwatch audit: account ${account.account}`, tests: findings.length + 1, failures: failed, errors: 0, skipped: 0 })}>\n` +
        [audited, ...findings.map((f) => testCase(f, failOn))].join('\n') +
        '\n  </testsuite>'
    );
    tests += findings.length + 1;
    failures += failed;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites${attrs({ name: 'oidcwatch audit', tests, failures, errors: 0, skipped: 0 })}>\n` +
    (suites.length > 0 ? `${suites.join('\n')}\n` : '') +
    '</testsuites>\n'
  );
}
