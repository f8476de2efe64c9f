/**
 * `oidcwatch report --html FILE`: one self-contained page (no scripts, fonts, images or network)
 * with server-side SVG charts and, per repository, each cause with its explanation, its fix and
 * the remedy as a diff. Laid out to read at 1280–1600 px (text at a readable measure beside the
 * cause) and on a phone (one column, tables as stacked rows), with no horizontal scroll; ARNs wrap
 * at `/` and `:`. Causes are drawn in colour-blind-safe colours with patterns, and named in text.
 */
import { CAUSE_MEANING, type Cause } from '../../domain/causes.js';
import type {
  Report,
  RepositoryCause,
  RepositoryReport,
} from '../../domain/report/report-types.js';
import { countOf, formatBucketWidth, formatCount, formatTime } from './format.js';
import { breakableArn, escapeHtml, escapeProse } from './html-escape.js';
import { renderRemedy } from './html-remedy.js';
import { REPORT_CSS } from './html-style.js';
import { causePatternDefs, causeSwatch } from './palette.js';
import { renderTimeSeriesLegend, renderTimeSeriesSvg } from './svg-time-series.js';
import { renderTopRepositoriesSvg, TOP_REPOSITORIES } from './svg-top-repositories.js';

/** Options of {@link renderReportHtml}. */
export interface HtmlReportOptions {
  /** Page title and heading. */
  readonly title: string;
  /** When the report was made (shown in the header). */
  readonly generatedAt: Date;
}

function card(label: string, value: string, kind: 'number' | 'alert' | 'text' = 'number'): string {
  return (
    `<div class="card${kind === 'alert' ? ' alert' : ''}"><div class="value${kind === 'text' ? ' text' : ''}">` +
    `<span>${value}</span></div>` +
    `<div class="label">${escapeHtml(label)}</div></div>`
  );
}

/** A cause code that may wrap after its underscores. */
function code(cause: string): string {
  return escapeHtml(cause).replace(/_/g, '_<wbr>');
}

/** Swatch and code of a cause. */
function causeName(cause: Cause): string {
  return `<span class="name">${causeSwatch(cause)}<span class="code">${code(cause)}</span></span>`;
}

/** The entries with the largest count: one is a winner, several are a tie. */
function leaders<T>(items: readonly T[], count: (t: T) => number): T[] {
  const top = Math.max(0, ...items.map(count));
  return top === 0 ? [] : items.filter((i) => count(i) === top);
}

/** The "Top cause" card: one cause, or every cause tied at the top, said as a tie. */
function topCauseCard(report: Report): string {
  const top = leaders(report.causes, (c) => c.failures);
  if (top.length === 0) return card('Top cause', '—', 'text');
  if (top.length === 1) return card('Top cause', code((top[0] as { cause: Cause }).cause), 'text');
  const n = top[0]?.failures ?? 0;
  return card(
    `Top causes: a ${top.length}-way tie, ${countOf(n, 'call')} each`,
    top.map((c) => code(c.cause)).join('<br>'),
    'text'
  );
}

/** `2026-11-27 14:03:12Z → 14:04:55Z` (the date once when both are on the same day). */
function spanText(first: string, last: string | null): string {
  const a = formatTime(first);
  if (last === null || last === first) return a;
  const b = formatTime(last);
  return a.slice(0, 10) === b.slice(0, 10) ? `${a} → ${b.slice(11)}` : `${a} → ${b}`;
}

function causeBlock(c: RepositoryCause, mark: string): string {
  const detail = c.detail === null ? '' : `<span class="detail">${escapeHtml(c.detail)}</span>`;
  const fix =
    c.fix === null
      ? '<p class="fix"><span class="fix-label">Fix</span> <span class="muted">none offered</span></p>'
      : `<p class="fix"><span class="fix-label">Fix</span> ${escapeProse(c.fix)}</p>`;
  const seen =
    c.firstSeen === null
      ? ''
      : `<span class="seen">${escapeHtml(spanText(c.firstSeen, c.lastSeen))}</span>`;
  return (
    `<div class="cause-block" data-cause="${c.cause}" data-detail="${escapeHtml(c.detail ?? '')}" data-count="${c.failures}">` +
    `<div class="cause-head" title="${escapeHtml(CAUSE_MEANING[c.cause])}">${causeName(c.cause)}${detail}` +
    `<span class="count">${countOf(c.failures, 'failed call')}</span>${seen}${mark}</div>` +
    `<div class="cause-body"><p class="explanation">${escapeProse(c.explanation)}</p>${fix}${renderRemedy(c.remedy)}</div></div>`
  );
}

function repositoryBlock(r: RepositoryReport): string {
  const name = escapeHtml(r.repository);
  const top = leaders(r.causes, (c) => c.failures);
  const tied = top.length > 1;
  const blocks = r.causes.map((c) => {
    const mark =
      !top.includes(c) || r.causes.length === 1
        ? ''
        : tied
          ? `<span class="badge tie" title="${top.length} causes share the most failed calls">tied: most failures</span>`
          : '<span class="badge">most failures</span>';
    return causeBlock(c, mark);
  });
  const roles = r.roles.map((arn) => `<span class="arn">${breakableArn(arn)}</span>`).join(', ');
  return (
    `<article class="repo" data-repository="${name}" data-count="${r.failures}" data-jobs="${r.failingJobs}">` +
    `<header class="repo-head"><h3>${name}</h3>` +
    `<p class="repo-stats">${countOf(r.failures, 'failed call')} in ${countOf(r.failingJobs, 'failing job')}` +
    `${r.firstSeen === null ? '' : ` · ${escapeHtml(formatTime(r.firstSeen))} → ${escapeHtml(formatTime(r.lastSeen))}`}</p>` +
    `<p class="roles">${r.roles.length === 1 ? 'Role' : 'Roles'}: ${roles}</p></header>` +
    `${blocks.join('')}</article>`
  );
}

function causeTable(report: Report): string {
  const rows = report.causes.map(
    (c) =>
      `<tr data-cause="${c.cause}" data-count="${c.failures}"><td data-label="Cause" class="cause">${causeName(c.cause)}</td>` +
      `<td data-label="Meaning" class="text">${escapeHtml(CAUSE_MEANING[c.cause])}</td><td data-label="Failures" class="num">${formatCount(c.failures)}</td>` +
      `<td data-label="Jobs" class="num">${formatCount(c.failingJobs)}</td><td data-label="Repos" class="num">${formatCount(c.repositories)}</td>` +
      `<td data-label="Details" class="details">${c.details
        .filter((d) => d.detail !== null)
        .map(
          (d) =>
            `${escapeHtml(d.detail ?? '')} <span class="muted">${formatCount(d.failures)}</span>`
        )
        .join('<br>')}</td></tr>`
  );
  return (
    '<table class="causes stack"><thead><tr><th>Cause</th><th>Meaning</th><th class="num">Failures</th>' +
    `<th class="num">Jobs</th><th class="num">Repos</th><th>Details</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function roleTable(report: Report): string {
  const rows = report.roles.map(
    (r) =>
      `<tr data-role="${escapeHtml(r.role)}" data-count="${r.failures}"><td data-label="Role" class="arn-cell"><span class="arn">${breakableArn(r.role)}</span></td>` +
      `<td data-label="Failures" class="num">${formatCount(r.failures)}</td><td data-label="Jobs" class="num">${formatCount(r.failingJobs)}</td>` +
      `<td data-label="Causes">${r.causes.map((c) => `<span class="name">${causeSwatch(c.cause)}<span class="code">${code(c.cause)}</span> <span class="muted">${formatCount(c.failures)}</span></span>`).join('')}</td>` +
      `<td data-label="Repositories">${r.repositories.map(escapeHtml).join('<br>')}</td></tr>`
  );
  return (
    '<table class="roles stack"><thead><tr><th>Role</th><th class="num">Failures</th><th class="num">Jobs</th>' +
    `<th>Causes</th><th>Repositories</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function changeSection(report: Report): string {
  if (report.changes.length === 0) return '';
  const rows = report.changes.map(
    (c) =>
      `<tr data-change="${escapeHtml(c.eventId ?? c.at)}" data-count="${c.failures}">` +
      `<td data-label="Changed" class="time">${escapeHtml(formatTime(c.at))}</td>` +
      `<td data-label="Change">${code(c.kind)}${c.verdict === 'unverified' ? ' <span class="muted">(unverified)</span>' : ''}</td>` +
      `<td data-label="By" class="arn-cell"><span class="arn">${c.by === null ? '—' : breakableArn(c.by)}</span></td>` +
      `<td data-label="Failures" class="num">${formatCount(c.failures)}</td><td data-label="Jobs" class="num">${formatCount(c.failingJobs)}</td>` +
      `<td data-label="What" class="text">${escapeProse(c.summary)}</td></tr>`
  );
  return (
    '<section id="changes">\n<h2>Configuration changes behind failures</h2>\n' +
    '<p class="note">IAM changes of a failing role or OIDC provider, made before the failures, whose old configuration admitted the recorded claims and whose new one does not.</p>\n' +
    '<table class="changes stack"><thead><tr><th>Changed</th><th>Change</th><th>By</th><th class="num">Failures</th>' +
    `<th class="num">Jobs</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n</section>\n`
  );
}

/** What the page says when there is nothing to chart: no records, or no failures among them. */
function emptyState(report: Report): string {
  const t = report.totals;
  if (t.records === 0)
    return (
      '<section id="empty" class="empty-state"><h2>No records were read</h2>' +
      '<p>The input held no CloudTrail records and no <code>oidcwatch classify --json</code> lines, so there is nothing to report. Check the files or the pipe given to <code>oidcwatch report</code>.</p></section>'
    );
  const span =
    t.firstSeen === null
      ? 'none of them with a readable time'
      : `from ${escapeHtml(formatTime(t.firstSeen))} to ${escapeHtml(formatTime(t.lastSeen))}`;
  return (
    '<section id="empty" class="empty-state"><h2>No failed role assumptions</h2>' +
    `<p>${countOf(t.records, 'record')} read, ${span}: ${countOf(t.successes, 'successful call')}, ${formatCount(t.ignored)} ignored, ${formatCount(t.malformed)} unreadable. None of them is a failed OIDC role assumption.</p></section>`
  );
}

function recordSpan(report: Report): string {
  const t = report.totals;
  if (t.records === 0) return 'no records read';
  if (t.firstSeen === null) return `${countOf(t.records, 'record')}, none with a readable time`;
  return `records from ${escapeHtml(formatTime(t.firstSeen))} to ${escapeHtml(formatTime(t.lastSeen))}`;
}

function failureSections(report: Report): string {
  const series = report.timeSeries;
  const untimed =
    series.untimed > 0
      ? ` ${formatCount(series.untimed)} failures without a readable time are not drawn.`
      : '';
  const more =
    report.repositories.length > TOP_REPOSITORIES
      ? `The ${TOP_REPOSITORIES} of ${formatCount(report.repositories.length)} repositories with the most failed calls`
      : 'Repositories by failed calls';
  return `<section id="over-time">
<h2>Failures over time</h2>
<p class="note">Failed calls per ${escapeHtml(formatBucketWidth(series.bucketMinutes))} (UTC), stacked by cause. A failing job retries up to 12 times, so one job shows as up to 12 calls.${untimed}</p>
${renderTimeSeriesLegend(series)}
${renderTimeSeriesSvg(series)}
</section>
<section id="top-repositories">
<h2>Top repositories</h2>
<p class="note">${more}, stacked by cause; the number after each bar counts failing jobs.</p>
${renderTopRepositoriesSvg(report.repositories)}
</section>
${changeSection(report)}<section id="repositories">
<h2>Per repository: causes and fixes</h2>
<p class="note">Each cause with the explanation of its first occurrence, its most frequent fix and, where oidcwatch computed one, the remedy as a diff. Causes with equally many failed calls are marked as tied.</p>
${report.repositories.map(repositoryBlock).join('\n')}
</section>
<section id="causes">
<h2>By cause</h2>
${causeTable(report)}
</section>
<section id="roles">
<h2>By role</h2>
${roleTable(report)}
</section>`;
}

/**
 * Renders the report as one self-contained HTML page: summary cards, failures over time stacked
 * by cause, the top repositories, the configuration changes behind failures (when results carry
 * them), each repository's causes with explanation, fix and remedy, then tables per cause and
 * role. All text from the data is escaped; the page loads nothing (a Content-Security-Policy
 * forbids it). Without failures it says so instead of drawing empty charts.
 *
 * @example
 * ```ts
 * await writeFile('report.html', renderReportHtml(report, { title: 'OIDC failures', generatedAt: new Date() }));
 * ```
 */
export function renderReportHtml(report: Report, opts: HtmlReportOptions): string {
  const t = report.totals;
  const title = escapeHtml(opts.title);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="oidcwatch report">
<title>${title}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
${causePatternDefs()}
<main>
<header>
<h1>${title}</h1>
<p>Failed GitHub Actions → AWS OIDC role assumptions · ${recordSpan(report)} · generated ${escapeHtml(formatTime(opts.generatedAt.toISOString()))}</p>
</header>
<div class="cards">
${card('Failed calls', formatCount(t.failures), t.failures > 0 ? 'alert' : 'number')}
${card('Failing jobs', formatCount(t.failingJobs), t.failingJobs > 0 ? 'alert' : 'number')}
${card('Repositories affected', formatCount(t.repositories))}
${topCauseCard(report)}
${card('Successful calls', formatCount(t.successes))}
${card('Ignored · malformed', `${formatCount(t.ignored)} · ${formatCount(t.malformed)}`)}
</div>
${t.failures === 0 ? emptyState(report) : failureSections(report)}
<footer>oidcwatch · ${countOf(t.records, 'record')} read</footer>
</main>
</body>
</html>
`;
}
