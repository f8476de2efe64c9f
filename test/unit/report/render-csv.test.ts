import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, renderReportCsv } from '../../../src/cli/report/render-csv.js';
import { aggregateReport } from '../../../src/domain/report/aggregate.js';
import { diagnosis, incidentDataSet } from '../../helpers/diagnosis-factory.js';
import { parseCsv } from './parse-csv.js';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('quotes %j as RFC 4180 requires', (value, expected) => {
    // Prepare
    const input = value;

    // Act
    const field = csvField(input);

    // Assess
    expect(field).toBe(expected);
  });
});

describe('renderReportCsv', () => {
  it('writes a header and one row per repository × cause, in report order', () => {
    // Prepare
    const report = aggregateReport(incidentDataSet());

    // Act
    const rows = parseCsv(renderReportCsv(report));

    // Assess
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => r.slice(0, 6))).toEqual([
      ['acme-corp/payments-api', 'SUB_MISMATCH', 'ENVIRONMENT_FORM', '120', '120', '10'],
      ['acme-corp/data-pipeline', 'AUDIENCE_MISMATCH', 'TRUST_POLICY', '36', '36', '2'],
      ['acme-corp/web-frontend', 'SUB_MISMATCH', 'PULL_REQUEST', '24', '24', '2'],
      ['acme-corp/infra-modules', 'ROLE_NOT_FOUND', '', '12', '12', '1'],
      ['(unknown)', 'MISSING_OIDC_PROVIDER', '', '3', '3', '1'],
    ]);
  });

  it('round-trips fields holding commas, quotes and line breaks', () => {
    // Prepare
    const fix = 'Set "audience: sts.amazonaws.com",\nthen re-run the job';
    const explanation = 'aud was "sts", not "sts.amazonaws.com"\r\n(see the trust policy)';
    const report = aggregateReport([
      diagnosis({ repository: 'acme,corp/"quoted"-repo', fix, explanation }),
    ]);

    // Act
    const csv = renderReportCsv(report);
    const rows = parseCsv(csv);

    // Assess
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(rows).toHaveLength(2);
    expect(rows[1]?.[0]).toBe('acme,corp/"quoted"-repo');
    expect(rows[1]?.[8]).toBe(explanation);
    expect(rows[1]?.[9]).toBe(fix);
  });

  it('writes only the header when there is no failure', () => {
    // Prepare
    const report = aggregateReport([diagnosis({ cause: 'SUCCESS' })]);

    // Act
    const rows = parseCsv(renderReportCsv(report));

    // Assess
    expect(rows).toEqual([[...CSV_COLUMNS]]);
  });
});
