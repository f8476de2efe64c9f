/**
 * Where a remedy goes: the classify text (the diff under the fix, what verification found), the
 * `--json` line (the whole remedy, patched policy included), the processor's log line (the remedy
 * without the patched document, so a line stays small), and `report` reading both back.
 */
import { describe, expect, it } from 'vitest';
import { createLogger, logResult } from '../../../src/adapters/log/result-logger.js';
import { diagnosisJson, formatDiagnosisText } from '../../../src/cli/common/diagnosis-text.js';
import { styleFor } from '../../../src/cli/common/style.js';
import { parseDiagnosisLine } from '../../../src/domain/report/parse-diagnosis.js';
import { lineCollector } from '../../helpers/capture.js';
import { githubTrustPolicy } from '../../helpers/iam-view.js';
import { deniedBy } from './remedy-helpers.js';

const sub = 'repo:acme-corp/payments-api:environment:production';

function environmentForm() {
  return deniedBy(githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main'), {
    sub,
    role: 'payments-deploy',
  });
}

describe('remedy output', () => {
  it('shows the diff under the fix and what verification found, in the classify text', () => {
    // Prepare
    const d = environmentForm();

    // Act
    const text = formatDiagnosisText(d, styleFor({ isTTY: false }, {}));

    // Assess
    expect(text).toContain(
      '      statement "GitHubActions" · StringEquals token.actions.githubusercontent.com:sub\n' +
        `      + "${sub}"\n` +
        "    remedy: trust-policy · verified: admits the call · no new audit finding · within AWS limits · blast radius: nothing beyond this job's own subject\n" +
        '    apply: aws iam update-assume-role-policy --role-name payments-deploy --policy-document file://trust-policy.json (trust-policy.json: .remedy.policy of --json)\n'
    );
  });

  it('carries the whole remedy in the --json line, and report reads it back', () => {
    // Prepare
    const d = environmentForm();

    // Act
    const parsed = parseDiagnosisLine(diagnosisJson(d));

    // Assess
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.diagnosis.remedy).toEqual(d.remedy);
    expect(parsed.diagnosis.remedy?.policy).not.toBeNull();
  });

  it("carries the remedy without the patched document in the processor's log line", () => {
    // Prepare
    const d = environmentForm();
    const sink = lineCollector();
    const logger = createLogger('info', sink.stream);

    // Act
    logResult(logger, d);

    // Assess
    const line = sink.lines[0] as { remedy: Record<string, unknown>; fix: string };
    expect(line.fix).toBe(d.remedy?.summary);
    expect(line.remedy.kind).toBe('trust-policy');
    expect(line.remedy.policy).toBeNull();
    expect(line.remedy.edits).toEqual(d.remedy?.edits);
    expect((line.remedy.blastRadius as { scope: string; probes: unknown[] }).scope).toBe('call');
    expect((line.remedy.blastRadius as { probes: unknown[] }).probes).toEqual([]);
    const back = parseDiagnosisLine(sink.raw[0] as string);
    expect(back.ok && back.diagnosis.remedy?.edits).toEqual(d.remedy?.edits);
  });

  it('drops a remedy that is not one when report reads a line, and keeps the rest of the line', () => {
    // Prepare
    const line = JSON.stringify({ cause: 'SUB_MISMATCH', remedy: { kind: 'loosen-everything' } });

    // Act
    const parsed = parseDiagnosisLine(line);

    // Assess
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && parsed.diagnosis.remedy).toBeUndefined();
  });
});
