/**
 * `oidcwatch audit --sarif FILE` and `--junit FILE` on the bundled sample snapshot: the SARIF log
 * validates against the OASIS SARIF 2.1.0 JSON Schema (test/fixtures/sarif), has one result per
 * finding with its rule's help text, severities as SARIF levels and locations at the role ARN,
 * statement and snapshot line; the JUnit XML is well-formed, counts what it holds and fails the
 * findings at or above the threshold.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../../src/adapters/snapshot/iam-snapshot.js';
import { AUDIT_RULES, ruleOf } from '../../../src/cli/audit/audit-rules.js';
import { liveLocator } from '../../../src/cli/audit/finding-location.js';
import { renderAuditJunit } from '../../../src/cli/audit/render-junit.js';
import { renderAuditSarif, SARIF_LEVELS } from '../../../src/cli/audit/render-sarif.js';
import { run } from '../../../src/cli/commands/audit.js';
import { auditAccounts } from '../../../src/domain/audit/audit.js';
import { AUDIT_CODES, type AuditReport } from '../../../src/domain/audit/audit-types.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { githubTrustPolicy, role } from '../../helpers/iam-view.js';

const EXAMPLES = 'examples/iam-snapshot.json';
// CommonJS packages: their `default` export is the class and the plugin.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
    logicalLocations: { name: string; fullyQualifiedName?: string; kind: string }[];
  }[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}

interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
  properties: Record<string, unknown>;
}

interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; rules: SarifRule[] } }; results: SarifResult[] }[];
}

let dir = '';
let validate: (log: unknown) => boolean;
let schemaErrors: () => unknown;
let report: AuditReport;
let snapshotText = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-sarif-'));
  const schema = JSON.parse(await readFile('test/fixtures/sarif/sarif-schema-2.1.0.json', 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const check = ajv.compile(schema);
  validate = (log) => check(log) as boolean;
  schemaErrors = () => check.errors;
  report = auditAccounts((await loadSnapshot(EXAMPLES)).accounts);
  snapshotText = await readFile(EXAMPLES, 'utf8');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sarifOf(args: readonly string[]): Promise<{ code: number; log: SarifLog }> {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.sarif`);
  const io = fakeIo();
  const code = await run([...args, '--sarif', file], io);
  return { code, log: JSON.parse(await readFile(file, 'utf8')) as SarifLog };
}

describe('oidcwatch audit --sarif', () => {
  it('writes a log that validates against the SARIF 2.1.0 JSON Schema', async () => {
    // Act
    const { code, log } = await sarifOf(['--iam-snapshot', EXAMPLES]);

    // Assess
    expect(code).toBe(0);
    expect(validate(log), JSON.stringify(schemaErrors(), null, 1)).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0]?.tool.driver.name).toBe('oidcwatch');
  });

  it('has a validator that rejects what code scanning would reject (a severity as level)', async () => {
    // Prepare
    const { log } = await sarifOf(['--iam-snapshot', EXAMPLES]);
    const broken = structuredClone(log);
    (broken.runs[0]?.results[0] as SarifResult).level = 'high';

    // Act
    const valid = validate(broken);

    // Assess
    expect(valid).toBe(false);
  });

  it('gives one result per finding, with its rule, level and fix', async () => {
    // Act
    const { log } = await sarifOf(['--iam-snapshot', EXAMPLES]);

    // Assess
    const run0 = log.runs[0];
    const results = run0?.results ?? [];
    expect(results).toHaveLength(report.findings.length);
    results.forEach((r, i) => {
      const f = report.findings[i];
      if (f === undefined) throw new Error('no finding');
      expect(r.ruleId).toBe(ruleOf(f).id);
      expect(run0?.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(r.level).toBe(SARIF_LEVELS[f.severity]);
      expect(r.message.text).toBe(`${f.message} Fix: ${f.fix}`);
      expect(r.properties.severity).toBe(f.severity);
    });
    expect(results.map((r) => `${r.ruleId} ${r.level}`)).toContain(
      'OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION error'
    );
    expect(results.map((r) => r.level)).toEqual(
      expect.arrayContaining(['error', 'warning', 'note'])
    );
  });

  it('describes every rule with help text, and a severity GitHub reads', async () => {
    // Act
    const { log } = await sarifOf(['--iam-snapshot', EXAMPLES]);

    // Assess
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((r) => r.id)).toEqual(AUDIT_RULES.map((r) => r.id));
    for (const code of AUDIT_CODES) expect(rules.map((r) => r.id)).toContain(code);
    for (const r of rules) {
      expect(r.shortDescription.text.length).toBeGreaterThan(20);
      expect(r.help.text).toContain('Fix: ');
      expect(r.help.markdown).toContain('**Fix.**');
    }
    const noSub = rules.find((r) => r.id === 'OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION');
    expect(noSub?.defaultConfiguration.level).toBe('error');
    expect(noSub?.properties['security-severity']).toBe('8.0');
  });

  it('locates each result at the role ARN, its statement and the line of the role in the snapshot', async () => {
    // Act
    const { log } = await sarifOf(['--iam-snapshot', EXAMPLES]);

    // Assess
    const legacy = log.runs[0]?.results.find((r) =>
      r.locations[0]?.logicalLocations.some((l) => l.name === 'legacy-ci')
    );
    const where = legacy?.locations[0];
    expect(where?.logicalLocations).toEqual([
      {
        name: 'legacy-ci',
        fullyQualifiedName: 'arn:aws:iam::111122223333:role/legacy-ci',
        kind: 'resource',
      },
      {
        name: 'GitHubActions',
        fullyQualifiedName: 'arn:aws:iam::111122223333:role/legacy-ci/Statement/GitHubActions',
        kind: 'element',
        parentIndex: 0,
      },
    ]);
    expect(where?.physicalLocation.artifactLocation.uri).toBe(EXAMPLES);
    const line = snapshotText.split('\n')[(where?.physicalLocation.region?.startLine ?? 0) - 1];
    expect(line).toContain('"arn:aws:iam::111122223333:role/legacy-ci"');
  });

  it('keeps fingerprints stable across runs and distinct across findings', async () => {
    // Act
    const a = await sarifOf(['--iam-snapshot', EXAMPLES]);
    const b = await sarifOf(['--iam-snapshot', EXAMPLES]);

    // Assess
    const prints = (log: SarifLog) =>
      log.runs[0]?.results.map((r) => r.partialFingerprints['oidcwatchFinding/v1']) ?? [];
    expect(prints(a.log)).toEqual(prints(b.log));
    expect(new Set(prints(a.log)).size).toBe(report.findings.length);
  });

  it('locates a live audit at a stable path per account and resource', () => {
    // Prepare
    const finding = report.findings.find((f) => f.code === 'PROVIDER_MISSING_STS_AUDIENCE');
    if (finding === undefined) throw new Error('no provider finding');

    // Act
    const log = JSON.parse(
      renderAuditSarif(
        { accounts: report.accounts, findings: [finding] },
        {
          version: '0.0.0',
          locate: liveLocator,
        }
      )
    ) as SarifLog;

    // Assess
    expect(validate(log)).toBe(true);
    expect(log.runs[0]?.results[0]?.locations[0]?.physicalLocation).toEqual({
      artifactLocation: {
        uri: 'aws-iam/444455556666/oidc-provider/token.actions.githubusercontent.com',
      },
    });
  });

  it('writes an empty result list for a clean audit, still valid', async () => {
    // Prepare
    const clean = join(dir, 'clean.json');
    await writeFile(
      clean,
      JSON.stringify({
        accounts: {
          '111122223333': {
            roles: [role('deploy', githubTrustPolicy('repo:acme-corp/api:ref:refs/heads/main'))],
            oidcProviders: [],
          },
        },
      })
    );

    // Act
    const io = fakeIo();
    const code = await run(['--iam-snapshot', clean, '--sarif', '-'], io);

    // Assess
    const log = JSON.parse(io.out()) as SarifLog;
    expect(code).toBe(0);
    expect(validate(log)).toBe(true);
    expect(log.runs[0]?.results).toEqual([
      expect.objectContaining({ ruleId: 'MISSING_OIDC_PROVIDER' }),
    ]);
  });

  it('prints only the SARIF log with "-", and names a file it cannot write', async () => {
    // Prepare
    const io = fakeIo();
    const bad = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', EXAMPLES, '--sarif', '-'], io);
    const failed = await run(
      ['--iam-snapshot', EXAMPLES, '--sarif', join(dir, 'missing', 'x.sarif')],
      bad
    );

    // Assess
    expect(code).toBe(0);
    expect(() => JSON.parse(io.out())).not.toThrow();
    expect(failed).toBe(1);
    expect(bad.err()).toContain('cannot write --sarif file');
  });
});

describe('oidcwatch audit --junit', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

  it('writes well-formed JUnit XML: a suite per account, a failing case per finding', async () => {
    // Prepare
    const file = join(dir, 'audit.xml');

    // Act
    const code = await run(['--iam-snapshot', EXAMPLES, '--junit', file], fakeIo());

    // Assess
    const xml = await readFile(file, 'utf8');
    expect(code).toBe(0);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml) as {
      testsuites: {
        tests: string;
        failures: string;
        testsuite: { name: string; testcase: unknown[] }[];
      };
    };
    const failing = report.findings.filter((f) => f.severity !== 'info').length;
    expect(Number(doc.testsuites.tests)).toBe(report.findings.length + report.accounts.length);
    expect(Number(doc.testsuites.failures)).toBe(failing);
    expect(doc.testsuites.testsuite.map((s) => s.name)).toEqual(
      report.accounts.map((a) => `oidcwatch audit: account ${a.account}`)
    );
    expect(xml).toContain(
      '<testcase classname="111122223333.role/legacy-ci" name="OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION (statement GitHubActions)">'
    );
  });

  it('fails only the findings at or above --fail-on', () => {
    // Act
    const xml = renderAuditJunit(report, { failOn: 'high' });

    // Assess
    const high = report.findings.filter((f) => f.severity === 'high').length;
    expect(xml.match(/<failure /g)?.length).toBe(high);
    expect(xml).toContain('medium (below the threshold high)');
  });

  it('escapes what IAM data may hold, and drops characters XML cannot carry', () => {
    // Prepare
    const hostile: AuditReport = {
      accounts: [{ account: '111122223333', roles: 1, oidcRoles: 1, providers: 0, findings: 1 }],
      findings: [
        {
          account: '111122223333',
          roleArn: 'arn:aws:iam::111122223333:role/a<b>&"c\'',
          providerArn: null,
          code: 'SUB_NEVER_MATCHES',
          detail: 'NO_REPO_PREFIX',
          severity: 'medium',
          statement: '#0',
          message: 'value "]]></failure><x>" and \u0007 bell',
          reason: 'r',
          fix: 'f',
        },
      ],
    };

    // Act
    const xml = renderAuditJunit(hostile);

    // Assess
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain('\u0007');
    const doc = parser.parse(xml) as {
      testsuites: {
        testsuite: { testcase: { classname?: string; failure?: { message: string } }[] };
      };
    };
    const cases = doc.testsuites.testsuite.testcase;
    expect(cases[1]?.classname).toBe('111122223333.role/a<b>&"c\'');
    expect(cases[1]?.failure?.message).toBe('medium: value "]]></failure><x>" and  bell');
  });
});
