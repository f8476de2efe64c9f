import { describe, expect, it } from 'vitest';
import { renderReportText } from '../../../src/cli/report/render-text.js';
import { aggregateReport } from '../../../src/domain/report/aggregate.js';
import { diagnosis, incidentDataSet } from '../../helpers/diagnosis-factory.js';

describe('renderReportText', () => {
  it('shows the per-repository table aligned under its headings, then causes, roles and fixes', () => {
    // Prepare
    const report = aggregateReport(incidentDataSet());

    // Act
    const text = renderReportText(report, { color: false });

    // Assess
    const lines = text.split('\n');
    const header = lines.findIndex((l) => l.startsWith('REPOSITORY'));
    expect(lines[header]).toMatch(
      /^REPOSITORY\s+FAILURES\s+JOBS\s+TOP CAUSE\s+FIRST SEEN\s+LAST SEEN$/
    );
    expect(lines[header + 1]).toMatch(
      /^acme-corp\/payments-api\s+120\s+10\s+SUB_MISMATCH\/ENVIRONMENT_FORM\s+2025-03-04 08:07:00Z\s+2025-03-04 12:38:42Z$/
    );
    const failuresEnd = (lines[header] as string).indexOf('FAILURES') + 'FAILURES'.length;
    for (const row of lines.slice(header + 1, header + 6)) {
      expect(row[failuresEnd - 1]).toMatch(/\d/);
    }
    expect(text).toContain('FAILURES BY CAUSE');
    expect(text).toContain('FAILURES BY ROLE');
    expect(text).toContain('TOP FIX PER REPOSITORY');
    expect(text).toContain('195 failures in 16 failing jobs');
    expect(text).not.toContain('\x1b[');
  });

  it('styles with ANSI codes only when colour is on', () => {
    // Prepare
    const report = aggregateReport(incidentDataSet());

    // Act
    const text = renderReportText(report, { color: true });

    // Assess
    expect(text).toContain('\x1b[1mREPOSITORY');
  });

  it('neutralises control characters from the data', () => {
    // Prepare
    const report = aggregateReport([
      diagnosis({ repository: 'acme/\x1b[2Jevil', fix: 'line\x07bell' }),
    ]);

    // Act
    const text = renderReportText(report, { color: false });

    // Assess
    expect(text).not.toContain('\x1b');
    expect(text).not.toContain('\x07');
    expect(text).toContain('acme/\uFFFD[2Jevil');
  });

  it('says so when there is no failure', () => {
    // Prepare
    const report = aggregateReport([diagnosis({ cause: 'SUCCESS' })]);

    // Act
    const text = renderReportText(report, { color: false });

    // Assess
    expect(text).toContain('No failed role assumptions.');
  });
});
