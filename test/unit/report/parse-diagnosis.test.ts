import { describe, expect, it } from 'vitest';
import {
  malformedDiagnosis,
  parseDiagnosisLine,
} from '../../../src/domain/report/parse-diagnosis.js';
import { diagnosis } from '../../helpers/diagnosis-factory.js';

describe('parseDiagnosisLine', () => {
  it('reads back a classify --json line unchanged', () => {
    // Prepare
    const d = diagnosis();

    // Act
    const parsed = parseDiagnosisLine(JSON.stringify(d));

    // Assess
    expect(parsed).toEqual({ ok: true, diagnosis: d });
  });

  it('reads absent optional fields as null or empty', () => {
    // Prepare
    const line = '{"cause":"SUCCESS","repository":"acme/api"}';

    // Act
    const parsed = parseDiagnosisLine(line);

    // Assess
    expect(parsed.ok && parsed.diagnosis).toMatchObject({
      cause: 'SUCCESS',
      repository: 'acme/api',
      eventTime: null,
      explanation: '',
      findings: [],
    });
  });

  it.each([
    ['not json', /^not JSON/],
    ['[1,2]', /not a JSON object/],
    ['{"repository":"acme/api"}', /missing "cause"/],
    ['{"cause":"NOPE"}', /known cause code, got "NOPE"/],
    ['{"cause":"SUCCESS","repository":42}', /"repository" must be a string or null, got number/],
    ['{"cause":"SUCCESS","explanation":{}}', /"explanation" must be a string/],
  ])('rejects %j with a reason', (line, reason) => {
    // Prepare
    const input = line;

    // Act
    const parsed = parseDiagnosisLine(input);

    // Assess
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(reason);
  });
});

describe('malformedDiagnosis', () => {
  it('stands for an unreadable line as MALFORMED_EVENT carrying the reason', () => {
    // Prepare
    const reason = 'a.jsonl:3: missing "cause"';

    // Act
    const d = malformedDiagnosis(reason);

    // Assess
    expect(d).toMatchObject({ cause: 'MALFORMED_EVENT', detail: reason, repository: null });
  });
});
