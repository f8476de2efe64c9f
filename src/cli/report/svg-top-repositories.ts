/**
 * The "top repositories" chart: one horizontal bar per repository, stacked by cause, as inline
 * SVG. Each bar (`g.repo-bar`) carries `data-repository`, `data-count` and `data-rank`; each
 * segment `data-repository`, `data-cause` and `data-count`; all with a `<title>`.
 */
import type { Cause } from '../../domain/causes.js';
import type { RepositoryReport } from '../../domain/report/report-types.js';
import { formatCount } from './format.js';
import { escapeHtml } from './html-escape.js';
import { causeFill } from './palette.js';
import { px } from './svg-scale.js';

const WIDTH = 960;
const ROW = 28;
const BAR = 18;
const LABEL_W = 260;
const VALUE_W = 130;
const TOP = 8;
const MAX_LABEL_CHARS = 34;

/** How many repositories the chart shows. */
export const TOP_REPOSITORIES = 15;

function shorten(name: string): string {
  return name.length > MAX_LABEL_CHARS ? `…${name.slice(-(MAX_LABEL_CHARS - 1))}` : name;
}

/** Failures per cause of one repository (details merged), largest first. */
function byCause(r: RepositoryReport): [Cause, number][] {
  const totals = new Map<Cause, number>();
  for (const c of r.causes) {
    totals.set(c.cause, (totals.get(c.cause) ?? 0) + c.failures);
  }
  return [...totals].sort(([ca, a], [cb, b]) => b - a || (ca < cb ? -1 : 1));
}

/** Renders the bars of the first {@link TOP_REPOSITORIES} repositories (already ordered). */
export function renderTopRepositoriesSvg(repositories: readonly RepositoryReport[]): string {
  const shown = repositories.slice(0, TOP_REPOSITORIES);
  if (shown.length === 0) {
    return '<p class="empty">No repository had a failure.</p>';
  }
  const height = TOP * 2 + shown.length * ROW;
  const plotW = WIDTH - LABEL_W - VALUE_W;
  const max = Math.max(...shown.map((r) => r.failures), 1);
  const parts: string[] = [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="top-title" data-chart="top-repositories">`,
    '<title id="top-title">Repositories with the most failed calls</title>',
  ];
  shown.forEach((r, i) => {
    const rowY = TOP + i * ROW;
    const barY = rowY + (ROW - BAR) / 2;
    const name = escapeHtml(r.repository);
    parts.push(
      `<g class="repo-bar" data-repository="${name}" data-count="${r.failures}" data-jobs="${r.failingJobs}" data-rank="${i + 1}">`,
      `<title>${name}: ${formatCount(r.failures)} failed calls in ${formatCount(r.failingJobs)} failing jobs</title>`,
      `<text class="label" x="${LABEL_W - 10}" y="${px(rowY + ROW / 2)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(shorten(r.repository))}</text>`
    );
    let x = LABEL_W;
    for (const [cause, n] of byCause(r)) {
      const w = (n / max) * plotW;
      parts.push(
        `<rect class="segment" x="${px(x)}" y="${px(barY)}" width="${px(Math.max(w, 0.5))}" height="${BAR}" fill="${causeFill(cause)}" data-repository="${name}" data-cause="${cause}" data-count="${n}">` +
          `<title>${name} · ${cause}: ${formatCount(n)}</title></rect>`
      );
      x += w;
    }
    parts.push(
      `<text class="value" x="${px(x + 8)}" y="${px(rowY + ROW / 2)}" dominant-baseline="middle">${formatCount(r.failures)} <tspan class="muted">· ${formatCount(r.failingJobs)} ${r.failingJobs === 1 ? 'job' : 'jobs'}</tspan></text>`,
      '</g>'
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}
