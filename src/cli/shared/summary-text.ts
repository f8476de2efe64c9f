/**
 * The per-repository summary printed after `classify` results: totals, then one row per
 * repository with its failures, failing jobs (retries counted once), main cause and roles.
 */
import type { Report } from '../../domain/report/report-types.js';
import { causeLabel, countOf, formatCount } from '../report/format.js';
import { renderTable } from '../report/text-table.js';

const MAX_ROWS = 25;

/** The compact summary of a classify run. */
export function renderClassifySummary(report: Report, color: boolean): string {
  const t = report.totals;
  const bold = (s: string) => (color ? `\u001b[1m${s}\u001b[22m` : s);
  const lines = [
    '',
    bold('Summary'),
    `  ${countOf(t.records, 'record')}: ${countOf(t.failures, 'failure')} in ${countOf(t.failingJobs, 'failing job')}, ` +
      `${countOf(t.successes, 'success', 'successes')}, ${formatCount(t.ignored)} ignored, ${formatCount(t.malformed)} malformed`,
    '',
  ];
  if (report.repositories.length === 0) return `${lines.join('\n')}  No failed role assumptions.\n`;
  const rows = report.repositories.slice(0, MAX_ROWS).map((r) => {
    const top = r.causes[0];
    const more = r.causes.length > 1 ? ` (+${r.causes.length - 1})` : '';
    const roles = r.roles.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)).join(', ');
    return [
      r.repository,
      formatCount(r.failures),
      formatCount(r.failingJobs),
      {
        text:
          top === undefined
            ? '-'
            : `${causeLabel(top.cause, top.detail !== null && top.detail.length > 32 ? null : top.detail)}${more}`,
        style: 'red' as const,
      },
      roles,
    ];
  });
  const table = renderTable(
    [
      { heading: 'REPOSITORY' },
      { heading: 'FAILURES', align: 'right' },
      { heading: 'JOBS', align: 'right' },
      { heading: 'MAIN CAUSE' },
      { heading: 'ROLES' },
    ],
    rows,
    color
  );
  const hidden = report.repositories.length - MAX_ROWS;
  const bounded = boundsNote(report);
  return `${lines.join('\n')}${table
    .split('\n')
    .map((l) => (l === '' ? l : `  ${l}`))
    .join(
      '\n'
    )}${hidden > 0 ? `  … and ${hidden} more (oidcwatch report shows them all)\n` : ''}${bounded}`;
}

/**
 * What the memory budget left out or estimated, as `  Bounded: …` lines; `''` when every figure
 * is exact.
 */
export function boundsNote(report: Report): string {
  const notes = report.bounds?.notes ?? [];
  return notes.map((n) => `  Bounded: ${n}.\n`).join('');
}
