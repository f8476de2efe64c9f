/**
 * `oidcwatch report` (default output): aligned tables readable at a glance in a terminal.
 */
import type { Report } from '../../domain/report/report-types.js';
import { boundsNote, mainCause } from '../common/summary-text.js';
import { causeLabel, countOf, formatCount, formatTime } from './format.js';
import { renderTable, sanitizeTerminalText, styled, type TextCell, wrap } from './text-table.js';

/** Options of {@link renderReportText}. */
export interface TextReportOptions {
  /** ANSI styling; only when the output stream is a TTY. */
  readonly color: boolean;
}

const WIDTH = 100;
const MAX_LISTED = 3;

/** `  Why: text…` wrapped with a hanging indent under the text. */
function labelled(label: string, text: string): string {
  const lines = wrap(text, WIDTH, ' '.repeat(label.length + 4));
  return `${lines.map((l, i) => (i === 0 ? `  ${label}: ${l.trimStart()}` : l)).join('\n')}\n`;
}

function listed(items: readonly string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${shown} +${items.length - MAX_LISTED} more` : shown;
}

/**
 * Renders the report for a terminal: a summary, then failures per repository (repository,
 * failures, failing jobs, top cause/detail, first and last seen), per cause and per role, the
 * configuration changes behind failures (when results carry them), then the top fix of each
 * repository.
 *
 * @example
 * ```ts
 * io.stdout.write(renderReportText(report, { color: io.stdout.isTTY === true }));
 * ```
 */
export function renderReportText(report: Report, opts: TextReportOptions): string {
  const { color } = opts;
  const t = report.totals;
  const heading = (text: string): string => `${styled(text, 'bold', color)}\n`;
  const out: string[] = [];

  out.push(heading('oidcwatch report'));
  const failures = countOf(t.failures, 'failure');
  out.push(
    `  ${countOf(t.records, 'record')} · ${styled(failures, t.failures > 0 ? 'red' : 'plain', color)}` +
      ` in ${countOf(t.failingJobs, 'failing job')} · ${countOf(t.successes, 'success', 'successes')}` +
      ` · ${formatCount(t.ignored)} ignored · ${formatCount(t.malformed)} malformed\n`
  );
  out.push(
    `  ${countOf(t.repositories, 'repository', 'repositories')} with failures · seen ${formatTime(t.firstSeen)} → ${formatTime(t.lastSeen)}\n`
  );
  out.push(boundsNote(report));
  if (report.repositories.length === 0) {
    out.push('\nNo failed role assumptions.\n');
    return out.join('');
  }

  out.push(`\n${heading('FAILURES BY REPOSITORY')}`);
  out.push(
    renderTable(
      [
        { heading: 'REPOSITORY' },
        { heading: 'FAILURES', align: 'right' },
        { heading: 'JOBS', align: 'right' },
        { heading: 'TOP CAUSE' },
        { heading: 'FIRST SEEN' },
        { heading: 'LAST SEEN' },
      ],
      report.repositories.map((r): TextCell[] => {
        return [
          r.repository,
          { text: formatCount(r.failures), style: 'red' },
          formatCount(r.failingJobs),
          r.causes.length === 0 ? '—' : { text: mainCause(r.causes), style: 'yellow' },
          { text: formatTime(r.firstSeen), style: 'dim' },
          { text: formatTime(r.lastSeen), style: 'dim' },
        ];
      }),
      color
    )
  );

  out.push(`\n${heading('FAILURES BY CAUSE')}`);
  out.push(
    renderTable(
      [
        { heading: 'CAUSE' },
        { heading: 'FAILURES', align: 'right' },
        { heading: 'JOBS', align: 'right' },
        { heading: 'REPOS', align: 'right' },
        { heading: 'DETAILS' },
      ],
      report.causes.map((c): TextCell[] => [
        { text: c.cause, style: 'yellow' },
        formatCount(c.failures),
        formatCount(c.failingJobs),
        formatCount(c.repositories),
        listed(
          c.details
            .filter((d) => d.detail !== null)
            .map((d) => `${d.detail} ${formatCount(d.failures)}`)
        ),
      ]),
      color
    )
  );

  out.push(`\n${heading('FAILURES BY ROLE')}`);
  out.push(
    renderTable(
      [
        { heading: 'ROLE' },
        { heading: 'FAILURES', align: 'right' },
        { heading: 'JOBS', align: 'right' },
        { heading: 'REPOSITORIES' },
      ],
      report.roles.map((r): TextCell[] => [
        r.role,
        formatCount(r.failures),
        formatCount(r.failingJobs),
        listed(r.repositories),
      ]),
      color
    )
  );

  if (report.changes.length > 0) {
    out.push(`\n${heading('CONFIGURATION CHANGES BEHIND FAILURES')}`);
    out.push(
      renderTable(
        [
          { heading: 'CHANGED' },
          { heading: 'CHANGE' },
          { heading: 'OF' },
          { heading: 'FAILURES', align: 'right' },
          { heading: 'JOBS', align: 'right' },
          { heading: 'REPOSITORIES' },
        ],
        report.changes.map((c): TextCell[] => [
          { text: formatTime(c.at), style: 'dim' },
          { text: c.verdict === 'explains' ? c.kind : `${c.kind}?`, style: 'yellow' },
          (c.roleArn ?? c.providerArn ?? '—').replace(/^arn:[^:]*:iam::\d{12}:/, ''),
          formatCount(c.failures),
          formatCount(c.failingJobs),
          listed(c.repositories),
        ]),
        color
      )
    );
    for (const c of report.changes) out.push(labelled('What', c.summary));
  }

  out.push(`\n${heading('TOP FIX PER REPOSITORY')}`);
  for (const r of report.repositories) {
    const fix = r.topFix;
    const name = styled(sanitizeTerminalText(r.repository), 'bold', color);
    const most = r.causes[0]?.failures ?? 0;
    const tied = r.causes.filter((c) => c.failures === most && c.fix !== null);
    if (tied.length > 1) {
      // No fix is "the" top one: each tied cause with its own.
      out.push(
        `${name}  a tie: ${tied.length} causes with ${countOf(most, 'failure')} each, of ${countOf(r.failures, 'failure')}\n`
      );
      for (const c of tied)
        out.push(
          `  ${styled(causeLabel(c.cause, c.detail), 'yellow', color)}\n`,
          labelled('Why', c.explanation),
          labelled('Fix', c.fix ?? '')
        );
      continue;
    }
    if (fix === null) {
      out.push(`${name}  no fix suggested for its ${countOf(r.failures, 'failure')}\n`);
      continue;
    }
    out.push(
      `${name}  ${styled(causeLabel(fix.cause, fix.detail), 'yellow', color)}, ${formatCount(fix.count)} of ${countOf(r.failures, 'failure')}\n`
    );
    out.push(labelled('Why', fix.explanation), labelled('Fix', fix.fix));
  }
  return out.join('');
}
