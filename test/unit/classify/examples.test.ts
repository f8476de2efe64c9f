/**
 * The bundled sample data (`examples/`, written by scripts/generate-examples.ts) run through the
 * whole pipeline the CLI runs: together the records show every cause of docs/causes.md, and each
 * scenario gets exactly the cause and detail it was written to demonstrate. This pins the sample
 * output of the README (`npm start`).
 */
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/adapters/input/read-inputs.js';
import { createLogger, logResult } from '../../../src/adapters/log/result-logger.js';
import { loadSnapshot, SnapshotIamReader } from '../../../src/adapters/snapshot/iam-snapshot.js';
import { diagnosisJson, formatDiagnosisText } from '../../../src/cli/common/diagnosis-text.js';
import { styleFor } from '../../../src/cli/common/style.js';
import { escapeHtml } from '../../../src/cli/report/html-escape.js';
import { CAUSES, type Cause } from '../../../src/domain/causes.js';
import { diagnoseUnread } from '../../../src/domain/classify/classify.js';
import {
  compactRemedy,
  remedyDiff,
  verificationText,
} from '../../../src/domain/remedy/remedy-text.js';
import type { Remedy } from '../../../src/domain/remedy/remedy-types.js';
import { parseSubject } from '../../../src/domain/subject/parse-subject.js';
import type { Diagnosis, IssuerKind, Subject } from '../../../src/domain/types.js';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import { lineCollector } from '../../helpers/capture.js';
import { sampleReportHtml } from '../../helpers/sample-report.js';

/** Every cause of docs/causes.md, written out so that a cause dropped from CAUSES fails too. */
const DESIGN_CAUSES: readonly Cause[] = [
  'SUB_MISMATCH',
  'AUDIENCE_MISMATCH',
  'MISSING_OIDC_PROVIDER',
  'THUMBPRINT_MISMATCH',
  'WRONG_PROVIDER_PRINCIPAL',
  'WRONG_ACTION',
  'EXPLICIT_DENY',
  'UNVERIFIABLE_CONDITION',
  'DENIED_OUTSIDE_TRUST_POLICY',
  'ROLE_NOT_FOUND',
  'ROLE_UNRESOLVED',
  'EXPIRED_TOKEN',
  'IDP_ERROR',
  'INVALID_TOKEN',
  'INVALID_REQUEST',
  'MISSING_TAG_SESSION',
  'ENRICHMENT_FAILED',
  'SUCCESS',
  'IGNORED',
  'MALFORMED_EVENT',
];

/** Each scenario, keyed by role name and sub, with its results in input order. */
const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'payments-deploy repo:acme-corp/payments-api:ref:refs/heads/main': [
    'SUCCESS',
    'EXPIRED_TOKEN',
    'IDP_ERROR/VERIFICATION_KEY',
    'IDP_ERROR/COMMUNICATION',
    'IDP_ERROR/REJECTED_CLAIM',
    'INVALID_TOKEN/Missing a required claim: aud',
  ],
  'legacy-ci repo:acme-corp/legacy-app:ref:refs/heads/main': ['SUCCESS'],
  'sandbox repo:someone-else/fork:ref:refs/heads/main': ['SUCCESS'],
  'metrics-deploy repo:acme-corp/metrics:ref:refs/heads/main': ['SUCCESS'],
  'vendor-sync repo:octo-org/octo-repo:ref:refs/heads/main': ['SUCCESS'],
  'gha-base repo:acme-corp/platform:ref:refs/heads/main': ['SUCCESS'],
  'payments-deploy repo:acme-corp/payments-api:environment:production': Array(24).fill(
    'SUB_MISMATCH/ENVIRONMENT_FORM'
  ),
  'payments-deploy repo:acme-corp/payments-api:ref:refs/heads/feature/retry-logic': [
    'SUB_MISMATCH/BRANCH',
  ],
  'web-deploy repo:acme-corp/web:environment:production': ['SUB_MISMATCH/WRONG_ENVIRONMENT'],
  'web-preview repo:acme-corp/web:pull_request': ['SUB_MISMATCH/PULL_REQUEST'],
  'cli-release repo:acme-corp/cli:ref:refs/tags/release-2026.11': ['SUB_MISMATCH/TAG'],
  'infra-deploy repo:acme-corp/infra:ref:refs/heads/main': ['SUB_MISMATCH/CASE'],
  'billing-deploy repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main': [
    'SUB_MISMATCH/IMMUTABLE_FORMAT',
  ],
  'api-deploy repo:acme-corp/api:environment:prod': ['SUB_MISMATCH/CUSTOM_TEMPLATE'],
  'data-pipeline repo:acme-corp/analytics:ref:refs/heads/main': ['SUB_MISMATCH/REPOSITORY'],
  'tools-deploy repo:acme-corp/tools:ref:refs/heads/main': ['SUB_MISMATCH/OTHER'],
  'eks-external-dns system:serviceaccount:kube-system:external-dns-v2': ['SUB_MISMATCH/OTHER'],
  'gitlab-deploy project_path:acme-corp/platform/api:ref_type:branch:ref:feature-x': [
    'SUB_MISMATCH/BRANCH',
  ],
  'gitlab-deploy project_path:acme-corp/platform/api:ref_type:branch:ref:main': ['EXPIRED_TOKEN'],
  'docs-publish repo:acme-corp/docs:ref:refs/heads/main': ['AUDIENCE_MISMATCH/TRUST_POLICY'],
  'analytics-deploy repo:acme-corp/analytics:ref:refs/heads/main': [
    'AUDIENCE_MISMATCH/PROVIDER_CLIENT_ID',
    'AUDIENCE_MISMATCH/PROVIDER_CLIENT_ID',
  ],
  'copied-deploy repo:acme-corp/mobile:ref:refs/heads/main': ['WRONG_PROVIDER_PRINCIPAL'],
  'search-deploy repo:acme-corp/search:ref:refs/heads/main': ['WRONG_ACTION'],
  'prod-guarded repo:acme-corp/checkout:ref:refs/heads/hotfix/cart': ['EXPLICIT_DENY'],
  'shared-deploy repo:acme-corp/orders:ref:refs/heads/main': [
    'UNVERIFIABLE_CONDITION/job_workflow_ref',
  ],
  'ledger-deploy repo:acme-corp/ledger:ref:refs/heads/main': ['DENIED_OUTSIDE_TRUST_POLICY'],
  'payments-deploy-prod repo:acme-corp/payments-api:ref:refs/heads/main': ['ROLE_NOT_FOUND'],
  '(no role) repo:acme-corp/web:ref:refs/heads/main': ['ROLE_UNRESOLVED'],
  'reports-deploy repo:acme-corp/reports:ref:refs/heads/main': [
    'INVALID_REQUEST/DURATION_EXCEEDS_MAX_SESSION',
    'INVALID_REQUEST/INVALID_SESSION_NAME',
  ],
  'web-preview repo:acme-corp/web:ref:refs/heads/main': ['INVALID_REQUEST/REGION_DISABLED'],
  'staging-deploy repo:acme-corp/payments-api:ref:refs/heads/main': [
    'MISSING_OIDC_PROVIDER',
    'MISSING_OIDC_PROVIDER',
  ],
  'ghes-deploy repo:platform/deployer:ref:refs/heads/main': ['THUMBPRINT_MISMATCH'],
  'warehouse-deploy repo:acme-corp/warehouse:ref:refs/heads/main': [
    'ENRICHMENT_FAILED/ACCOUNT_NOT_IN_SNAPSHOT',
  ],
  'cross-deploy (no sub)': ['MISSING_TAG_SESSION'],
  // Remedies (issue 10): the cases where the obvious fix is wrong.
  'platform-tools repo:acme-corp/platform-tools:ref:refs/heads/main': ['SUB_MISMATCH/CASE'],
  'portal-deploy repo:acme-corp/portal:ref:refs/heads/develop': ['SUB_MISMATCH/BRANCH'],
  'preview-sandbox repo:acme-corp/web:environment:production': ['SUB_MISMATCH/OTHER'],
  'portal-env repo:acme-corp/portal:ref:refs/heads/main': ['SUB_MISMATCH/OTHER'],
  'release-deploy repo:acme-corp/release:environment:prod:job_workflow_ref:acme-corp/release/.github/workflows/hotfix.yml@refs/heads/main':
    ['SUB_MISMATCH/CUSTOM_TEMPLATE'],
  'monorepo-ci repo:acme-corp/monorepo:ref:refs/heads/gh-readonly-queue/main/pr-4821-3f9c2d7e8a1b4c6d9e0f1a2b3c4d5e6f7a8b9c0d':
    ['SUB_MISMATCH/BRANCH'],
  'payroll-deploy repo:acme-corp/payroll:ref:refs/heads/main': ['WRONG_PROVIDER_PRINCIPAL'],
  'eks-cert-manager system:serviceaccount:cert-manager:cert-manager': ['WRONG_PROVIDER_PRINCIPAL'],
  'cross-deploy repo:acme-corp/platform:ref:refs/heads/main': ['WRONG_PROVIDER_PRINCIPAL'],
  'tf-network-plan organization:acme-corp:project:infra:workspace:network:run_phase:apply': [
    'SUB_MISMATCH/OTHER',
  ],
  'ledger-v2-deploy repo:acme-corp@41235811/ledger-v2@555000999:ref:refs/heads/main': [
    'SUB_MISMATCH/REPOSITORY',
  ],
  'reports-export repo:acme-corp/reports:ref:refs/heads/main': ['SUB_MISMATCH/OTHER'],
  'storefront-deploy repo:acme-corp/storefront:ref:refs/heads/hotfix/checkout-total': [
    'SUB_MISMATCH/BRANCH',
  ],
  'importer-deploy repo:acme-corp/importer:ref:refs/heads/main': [
    'ENRICHMENT_FAILED/TRUST_POLICY_INVALID',
  ],
  'batch-export repo:acme-corp/batch:ref:refs/heads/main': [
    'INVALID_REQUEST/DURATION_EXCEEDS_MAX_SESSION',
  ],
  'web-preview repo:acme-corp/web:ref:refs/tags/v2.3.0': ['SUB_MISMATCH/TAG'],
  'analytics-admin (no sub)': ['MISSING_TAG_SESSION'],
};

/**
 * `true` when a probe's subject is of the job's repository (ids and letter case aside), or of its
 * owner when the policy already admits the owner.
 */
function within(d: Diagnosis, probeSub: string, ownerAdmitted: boolean): boolean {
  const kind = d.issuer as IssuerKind | null;
  const job = d.sub === null ? null : parseSubject(d.sub, kind);
  const probe = parseSubject(probeSub, kind);
  const repo = (s: Subject | null) =>
    s?.repository === null || s?.repository === undefined
      ? null
      : s.repository.replace(/@\d+/g, '').toLowerCase();
  const owner = (s: Subject | null) =>
    s === null ? null : (s.issuerKind === 'eks' ? s.claims.namespace : s.owner)?.toLowerCase();
  if (repo(job) !== null && repo(job) === repo(probe)) return true;
  return ownerAdmitted && owner(job) !== undefined && owner(job) === owner(probe);
}

function keyOf(d: Diagnosis): string {
  const role = d.roleArn === null ? '(no role)' : d.roleArn.slice(d.roleArn.lastIndexOf('/') + 1);
  return `${role} ${d.sub ?? '(no sub)'}`;
}

function labelOf(d: Diagnosis): string {
  return d.detail === null ? d.cause : `${d.cause}/${d.detail}`;
}

/** The reader over the bundled IAM snapshot. */
async function exampleReader(): Promise<SnapshotIamReader> {
  return new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
}

/** Runs every record of `examples/events` through the pipeline `oidcwatch classify` runs. */
async function diagnoseExamples(
  reader: SnapshotIamReader,
  owners?: readonly string[]
): Promise<Diagnosis[]> {
  const results: Diagnosis[] = [];
  for await (const item of readInputs(['examples/events'])) {
    if (item.kind === 'record')
      results.push(
        await diagnoseRecord(item.value, reader, owners === undefined ? {} : { owners })
      );
    else if (item.kind === 'malformed')
      results.push(
        diagnoseUnread({ kind: 'malformed', eventId: null, eventTime: null, reason: item.reason })
      );
    else throw new Error(`examples must all be readable: ${item.reason}`);
  }
  return results;
}

describe('examples/', () => {
  it('gives one result per record: 85 records', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    expect(results).toHaveLength(85);
  });

  it('shows every cause of docs/causes.md', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const shown = new Set(results.map((d) => d.cause));
    expect([...CAUSES].sort()).toEqual([...DESIGN_CAUSES].sort());
    expect(DESIGN_CAUSES.filter((c) => !shown.has(c))).toEqual([]);
  });

  it('shows every SUB_MISMATCH detail', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const details = new Set(results.filter((d) => d.cause === 'SUB_MISMATCH').map((d) => d.detail));
    expect([...details].sort()).toEqual([
      'BRANCH',
      'CASE',
      'CUSTOM_TEMPLATE',
      'ENVIRONMENT_FORM',
      'IMMUTABLE_FORMAT',
      'OTHER',
      'PULL_REQUEST',
      'REPOSITORY',
      'TAG',
      'WRONG_ENVIRONMENT',
    ]);
  });

  it('gives each scenario the cause and detail it demonstrates', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const actual: Record<string, string[]> = {};
    for (const d of results) {
      if (d.cause === 'IGNORED' || d.cause === 'MALFORMED_EVENT') continue;
      const key = keyOf(d);
      actual[key] = [...(actual[key] ?? []), labelOf(d)];
    }

    expect(actual).toEqual(EXPECTED);
  });

  it('gives every failure a verified remedy whose summary is the fix', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const failures = results.filter(
      (d) => !['SUCCESS', 'IGNORED', 'MALFORMED_EVENT'].includes(d.cause)
    );
    const unverified = failures
      .filter((d) => d.remedy === null || d.remedy === undefined || !d.remedy.verified)
      .map(keyOf);
    expect(unverified).toEqual([]);
    for (const d of failures) expect(d.fix).toBe(d.remedy?.summary);
    for (const d of results.filter((x) => x.cause === 'SUCCESS')) expect(d.remedy).toBeNull();
  });

  it('offers trust-policy patches only when the patched policy admits the call within the repository', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const patched = results.filter((d) => d.remedy?.kind === 'trust-policy');
    expect(patched.length).toBeGreaterThan(10);
    for (const d of patched) {
      const r = d.remedy as Remedy;
      expect(r.verified).toBe(true);
      expect(r.policy).not.toBeNull();
      expect(r.edits.length).toBeGreaterThan(0);
      expect(r.verification?.admitsCall).toBe(true);
      expect(r.verification?.newFindings).toEqual([]);
      expect(r.verification?.withinLimits).toBe(true);
      expect(r.command).toMatch(
        /^aws iam update-assume-role-policy --role-name [\w+=,.@-]+ --policy-document file:\/\/trust-policy\.json$/
      );
      // Every patch has a computed blast radius, and what it newly admits is checked here again,
      // probe by probe, from the probes' own subjects.
      const radius = r.blastRadius;
      expect(radius, keyOf(d)).not.toBeNull();
      if (radius === null) continue;
      expect(['call', 'repository', 'owner'], keyOf(d)).toContain(radius.scope);
      if (radius.scope === 'owner') expect(radius.ownerAdmitted, keyOf(d)).toBe(true);
      const gained = radius.probes.filter((p) => p.after !== 'deny' && p.before === 'deny');
      for (const label of radius.newlyAdmitted) expect(gained.map((p) => p.label)).toContain(label);
      for (const p of gained) expect(within(d, p.sub, radius.ownerAdmitted), p.sub).toBe(true);
    }
  });

  it('offers no patched policy that is not verified: declined patches carry no document', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader, ['acme-corp']);

    // Assess
    const remedies = results.flatMap((d) => (d.remedy ? [d.remedy] : []));
    for (const r of remedies) {
      if (r.policy !== null) expect([r.kind, r.verified]).toEqual(['trust-policy', true]);
      if (r.declined !== null) {
        expect(r.kind).not.toBe('trust-policy');
        expect(r.policy).toBeNull();
        expect(r.declined.problems.length).toBeGreaterThan(0);
      }
    }
    expect(remedies.filter((r) => !r.verified)).toEqual([]);
  });

  it('carries every remedy into the classify text, the --json line and the processor log line', async () => {
    // Prepare
    const reader = await exampleReader();
    const results = await diagnoseExamples(reader);
    const failures = results.filter((d) => d.remedy !== null && d.remedy !== undefined);
    const sink = lineCollector();
    const logger = createLogger('info', sink.stream);

    // Act
    const texts = failures.map((d) => formatDiagnosisText(d, styleFor({ isTTY: false }, {})));
    const json = failures.map((d) => JSON.parse(diagnosisJson(d)) as { remedy: Remedy });
    for (const d of failures) logResult(logger, d);

    // Assess
    failures.forEach((d, i) => {
      const r = d.remedy as Remedy;
      const text = texts[i] as string;
      expect(text, keyOf(d)).toContain(`    remedy: ${r.kind} · ${verificationText(r)}`);
      for (const line of remedyDiff(r)) expect(text, keyOf(d)).toContain(`      ${line}\n`);
      if (r.kind === 'trust-policy') expect(text).toContain(`    apply: ${r.command}`);
      expect(json[i]?.remedy, keyOf(d)).toEqual(r);
      const logged = sink.lines[i] as { remedy: Remedy };
      expect(logged.remedy, keyOf(d)).toEqual({ ...compactRemedy(r) });
      expect(logged.remedy.policy).toBeNull();
      expect(logged.remedy.edits).toEqual(r.edits);
    });
  });

  it("draws every remedy's diff in the HTML report of the sample data", async () => {
    // Prepare
    const reader = await exampleReader();
    const results = await diagnoseExamples(reader);

    // Act
    const html = await sampleReportHtml();

    // Assess
    const line = (cls: string, mark: string, v: string) =>
      `<span class="${cls}"><span class="mark">${mark}</span> ${escapeHtml(JSON.stringify(v))}</span>`;
    const missing: string[] = [];
    for (const d of results) {
      const r = d.remedy;
      if (r === null || r === undefined) continue;
      for (const e of r.edits) {
        for (const v of e.added) if (!html.includes(line('add', '+', v))) missing.push(`+ ${v}`);
        for (const v of e.removed) if (!html.includes(line('del', '−', v))) missing.push(`− ${v}`);
      }
      for (const w of r.workflow)
        if (!html.includes(escapeHtml(`${w.key}: ${w.value}`))) missing.push(`${w.key}`);
    }
    expect(missing).toEqual([]);
    expect(html).toContain('data-remedy-kind="trust-policy" data-verified="true"');
  });

  it('reports the out-of-scope and unreadable records of export.jsonl, with their reasons', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const unread = results.filter((d) => d.cause === 'IGNORED' || d.cause === 'MALFORMED_EVENT');
    expect(unread.map((d) => d.cause)).toEqual(['IGNORED', 'MALFORMED_EVENT', 'MALFORMED_EVENT']);
    expect(unread[0]?.detail).toBe(
      'eventSource "signin.amazonaws.com" (eventName "ConsoleLogin") is not sts.amazonaws.com'
    );
    expect(unread[1]?.detail).toMatch(/^examples\/events\/export\.jsonl, record 1: invalid JSON/);
    expect(unread[2]?.detail).toMatch(/^record [0-9a-f-]{36} has no "userIdentity"$/);
  });

  it('shows every finding on the sample successes, FOREIGN_OWNER against the configured owners', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader, ['acme-corp']);

    // Assess
    const findings = new Set(
      results
        .filter((d) => d.cause === 'SUCCESS')
        .flatMap((d) =>
          d.findings.map((f) => `${f.roleArn?.split('/').pop()} ${f.code}/${f.detail ?? ''}`)
        )
    );
    expect([...findings].sort()).toEqual([
      'legacy-ci OVER_PERMISSIVE_TRUST_POLICY/NO_SUB_CONDITION',
      'metrics-deploy OVER_PERMISSIVE_TRUST_POLICY/FOR_ALL_VALUES_IN_ALLOW',
      'sandbox OVER_PERMISSIVE_TRUST_POLICY/WILDCARD_OWNER',
      'vendor-sync OVER_PERMISSIVE_TRUST_POLICY/FOREIGN_OWNER',
    ]);
    expect(results.some((d) => d.findings.some((f) => f.code === 'LITERAL_WILDCARD'))).toBe(true);
  });

  it('ranks web-preview first among the candidates of the unresolved call', async () => {
    // Prepare
    const reader = await exampleReader();

    // Act
    const results = await diagnoseExamples(reader);

    // Assess
    const unresolved = results.find((d) => d.cause === 'ROLE_UNRESOLVED');
    expect(
      unresolved?.candidates
        .slice(0, 2)
        .map((c) => [c.roleArn.split('/').pop(), c.cause, c.detail, c.sameRepository])
    ).toEqual([
      ['web-preview', 'DENIED_OUTSIDE_TRUST_POLICY', null, true],
      ['web-deploy', 'SUB_MISMATCH', 'BRANCH', true],
    ]);
    expect(unresolved?.candidates.slice(2).every((c) => !c.sameRepository)).toBe(true);
  });
});
