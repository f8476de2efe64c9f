/**
 * The per-repository summary printed after `classify` results: totals, then one row per
 * repository with its failures, failing jobs (retries counted once), main cause and roles.
 */
import type { Report, RepositoryCause } from '../../domain/report/report-types.js';
import { causeLabel, countOf, formatCount } from '../report/format.js';
import { renderTable } from '../report/text-table.js';

const MAX_ROWS = 25;

function shortLabel(c: RepositoryCause): string {
  return causeLabel(c.cause, c.detail !== null && c.detail.length > 32 ? null : c.detail);
}

/**
 * The main cause of a repository: the cause with the most failed calls, or, when several share
 * that count, all of them named as a tie (`tie: A, B`), never one picked silently.
 */
export function mainCause(causes: readonly RepositoryCause[]): string {
  const top = causes[0];
  if (top === undefined) return '-';
  const tied = causes.filter((c) => c.failures === top.failures);
  if (tied.length === 1)
    return `${shortLabel(top)}${causes.length > 1 ? ` (+${causes.length - 1})` : ''}`;
  const shown = tied.slice(0, 2).map(shortLabel).join(', ');
  const moreTied = tied.length - 2;
  const others = causes.length - tied.length;
  return `tie: ${shown}${moreTied > 0 ? ` +${moreTied} tied` : ''}${others > 0 ? ` (+${others})` : ''}`;
}

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
    const roles = r.roles.map((arn) => arn.slice(arn.lastIndexOf('/') + 1)).join(', ');
    return [
      r.repository,
      formatCount(r.failures),
      formatCount(r.failingJobs),
      { text: mainCause(r.causes), style: 'red' as const },
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
