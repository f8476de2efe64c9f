/**
 * `oidcwatch report --html FILE`: one self-contained page (no scripts, fonts, images or network)
 * with server-side SVG charts and a table per repository of causes, explanations and fixes.
 */
import { CAUSE_MEANING, type Cause } from '../../domain/causes.js';
import type { Report, RepositoryReport } from '../../domain/report/report-types.js';
import { formatBucketWidth, formatCount, formatTime } from './format.js';
import { escapeHtml } from './html-escape.js';
import { REPORT_CSS } from './html-style.js';
import { CAUSE_COLORS } from './palette.js';
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
    `<span>${escapeHtml(value).replace(/_/g, '_<wbr>')}</span></div>` +
    `<div class="label">${escapeHtml(label)}</div></div>`
  );
}

function swatch(cause: Cause): string {
  return `<span class="swatch" style="background:${CAUSE_COLORS[cause]}"></span>`;
}

/** Swatch and code of a cause; the code may wrap after its underscores. */
function causeName(cause: Cause): string {
  return `<span class="name">${swatch(cause)}<span>${cause.replace(/_/g, '_<wbr>')}</span></span>`;
}

/** A role as its name, the full ARN in a tooltip: ARNs are too long for a narrow column. */
function roleName(arn: string): string {
  const name = arn.startsWith('arn:') ? (arn.split('/').pop() ?? arn) : arn;
  return `<span title="${escapeHtml(arn)}">role/${escapeHtml(name)}</span>`;
}

function repositoryRows(r: RepositoryReport): string {
  const name = escapeHtml(r.repository);
  const rows = r.causes.map((c, i) => {
    const isTop = r.topFix !== null && c.fix === r.topFix.fix && c.cause === r.topFix.cause;
    const head =
      i === 0
        ? `<td class="repo" rowspan="${r.causes.length}">${name}` +
          `<span class="roles">${r.roles.map(roleName).join('<br>')}</span></td>` +
          `<td class="num" rowspan="${r.causes.length}">${formatCount(r.failures)}</td>` +
          `<td class="num" rowspan="${r.causes.length}">${formatCount(r.failingJobs)}</td>`
        : '';
    const detail = c.detail === null ? '' : `<span class="detail">${escapeHtml(c.detail)}</span>`;
    const fix =
      c.fix === null
        ? '<span class="muted">—</span>'
        : `${escapeHtml(c.fix)}${isTop ? '<span class="badge">top fix</span>' : ''}`;
    return (
      `<tr data-repository="${name}" data-cause="${c.cause}" data-detail="${escapeHtml(c.detail ?? '')}" data-count="${c.failures}">` +
      `${head}<td class="cause" title="${escapeHtml(CAUSE_MEANING[c.cause])}">${causeName(c.cause)}${detail}</td>` +
      `<td class="num">${formatCount(c.failures)}</td>` +
      `<td class="explanation">${escapeHtml(c.explanation)}</td><td class="fix">${fix}</td></tr>`
    );
  });
  return `<tbody class="repo" data-repository="${name}" data-count="${r.failures}" data-jobs="${r.failingJobs}">${rows.join('')}</tbody>`;
}

function repositoryTable(report: Report): string {
  if (report.repositories.length === 0) {
    return '<p class="empty">No failed role assumptions.</p>';
  }
  return (
    '<table class="repositories"><colgroup><col style="width:21%"><col style="width:7%"><col style="width:5%">' +
    '<col style="width:19%"><col style="width:6%"><col style="width:21%"><col style="width:21%"></colgroup>' +
    '<thead><tr><th>Repository · roles</th><th class="num">Failures</th>' +
    '<th class="num">Jobs</th><th>Cause</th><th class="num">Count</th><th>Explanation</th><th>Fix</th></tr></thead>' +
    `${report.repositories.map(repositoryRows).join('')}</table>`
  );
}

function causeTable(report: Report): string {
  const rows = report.causes.map(
    (c) =>
      `<tr data-cause="${c.cause}" data-count="${c.failures}"><td class="cause">${causeName(c.cause)}</td>` +
      `<td>${escapeHtml(CAUSE_MEANING[c.cause])}</td><td class="num">${formatCount(c.failures)}</td>` +
      `<td class="num">${formatCount(c.failingJobs)}</td><td class="num">${formatCount(c.repositories)}</td>` +
      `<td>${c.details
        .filter((d) => d.detail !== null)
        .map(
          (d) =>
            `${escapeHtml(d.detail ?? '')} <span class="muted">${formatCount(d.failures)}</span>`
        )
        .join('<br>')}</td></tr>`
  );
  return (
    '<table class="causes"><thead><tr><th>Cause</th><th>Meaning</th><th class="num">Failures</th>' +
    `<th class="num">Jobs</th><th class="num">Repos</th><th>Details</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function roleTable(report: Report): string {
  const rows = report.roles.map(
    (r) =>
      `<tr data-role="${escapeHtml(r.role)}" data-count="${r.failures}"><td class="mono">${escapeHtml(r.role)}</td>` +
      `<td class="num">${formatCount(r.failures)}</td><td class="num">${formatCount(r.failingJobs)}</td>` +
      `<td>${r.causes.map((c) => `${swatch(c.cause)} ${c.cause} <span class="muted">${formatCount(c.failures)}</span>`).join('<br>')}</td>` +
      `<td>${r.repositories.map(escapeHtml).join('<br>')}</td></tr>`
  );
  return (
    '<table class="roles"><thead><tr><th>Role</th><th class="num">Failures</th><th class="num">Jobs</th>' +
    `<th>Causes</th><th>Repositories</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  );
}

function changeSection(report: Report): string {
  if (report.changes.length === 0) return '';
  const rows = report.changes.map(
    (c) =>
      `<tr data-change="${escapeHtml(c.eventId ?? c.at)}" data-count="${c.failures}">` +
      `<td class="mono">${escapeHtml(formatTime(c.at))}</td>` +
      `<td>${escapeHtml(c.kind)}${c.verdict === 'unverified' ? ' <span class="muted">(unverified)</span>' : ''}</td>` +
      `<td class="mono">${escapeHtml(c.by ?? '—')}</td>` +
      `<td class="num">${formatCount(c.failures)}</td><td class="num">${formatCount(c.failingJobs)}</td>` +
      `<td class="explanation">${escapeHtml(c.summary)}</td></tr>`
  );
  return (
    '<section id="changes">\n<h2>Configuration changes behind failures</h2>\n' +
    '<p class="note">IAM changes of a failing role or OIDC provider, made before the failures, whose old configuration admitted the recorded claims and whose new one does not.</p>\n' +
    '<table class="changes"><thead><tr><th>Changed</th><th>Change</th><th>By</th><th class="num">Failures</th>' +
    `<th class="num">Jobs</th><th>What</th></tr></thead><tbody>${rows.join('')}</tbody></table>\n</section>\n`
  );
}

/**
 * Renders the report as one self-contained HTML page: summary cards, failures over time stacked
 * by cause, the top repositories, the configuration changes behind failures (when results carry
 * them), then tables per repository, cause and role. All text from the
 * data is escaped; the page loads nothing (a Content-Security-Policy forbids it).
 *
 * @example
 * ```ts
 * await writeFile('report.html', renderReportHtml(report, { title: 'OIDC failures', generatedAt: new Date() }));
 * ```
 */
export function renderReportHtml(report: Report, opts: HtmlReportOptions): string {
  const t = report.totals;
  const title = escapeHtml(opts.title);
  const series = report.timeSeries;
  const untimed =
    series.untimed > 0
      ? ` ${formatCount(series.untimed)} failures without a readable time are not drawn.`
      : '';
  const more =
    report.repositories.length > TOP_REPOSITORIES
      ? `The ${TOP_REPOSITORIES} of ${formatCount(report.repositories.length)} repositories with the most failed calls`
      : 'Repositories by failed calls';
  const topCause = report.causes[0];
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
<main>
<header>
<h1>${title}</h1>
<p>Failed GitHub Actions → AWS OIDC role assumptions · records from ${escapeHtml(formatTime(t.firstSeen))} to ${escapeHtml(formatTime(t.lastSeen))} · generated ${escapeHtml(formatTime(opts.generatedAt.toISOString()))}</p>
</header>
<div class="cards">
${card('Failed calls', formatCount(t.failures), t.failures > 0 ? 'alert' : 'number')}
${card('Failing jobs', formatCount(t.failingJobs), t.failingJobs > 0 ? 'alert' : 'number')}
${card('Repositories affected', formatCount(t.repositories))}
${card('Top cause', topCause === undefined ? '—' : topCause.cause, 'text')}
${card('Successful calls', formatCount(t.successes))}
${card('Ignored · malformed', `${formatCount(t.ignored)} · ${formatCount(t.malformed)}`)}
</div>
<section id="over-time">
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
<p class="note">Each cause with the explanation of its first occurrence and its most frequent fix.</p>
${repositoryTable(report)}
</section>
<section id="causes">
<h2>By cause</h2>
${causeTable(report)}
</section>
<section id="roles">
<h2>By role</h2>
${roleTable(report)}
</section>
<footer>oidcwatch · ${formatCount(t.records)} records read</footer>
</main>
</body>
</html>
`;
}
