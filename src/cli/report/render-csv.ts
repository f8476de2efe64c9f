/**
 * `oidcwatch report --csv`: one row per repository × cause (and detail), RFC 4180.
 */
import type { Report } from '../../domain/report/report-types.js';

/** The CSV header, in column order. */
export const CSV_COLUMNS = [
  'repository',
  'cause',
  'detail',
  'failures',
  'repository_failures',
  'repository_failing_jobs',
  'first_seen',
  'last_seen',
  'explanation',
  'fix',
] as const;

/** Quotes a field when it holds a comma, a quote, CR or LF (RFC 4180 §2.6–2.7). */
export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Renders the report as CSV with a header row and CRLF line breaks. Rows follow the report's
 * order: repositories by failures, then their causes by failures.
 *
 * @example
 * ```ts
 * await writeFile('report.csv', renderReportCsv(report));
 * ```
 */
export function renderReportCsv(report: Report): string {
  const rows: (string | number | null)[][] = [[...CSV_COLUMNS]];
  for (const r of report.repositories) {
    for (const c of r.causes) {
      rows.push([
        r.repository,
        c.cause,
        c.detail,
        c.failures,
        r.failures,
        r.failingJobs,
        c.firstSeen,
        c.lastSeen,
        c.explanation,
        c.fix,
      ]);
    }
  }
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
