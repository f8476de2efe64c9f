/**
 * The "failures over time" chart: one column per time bucket, stacked by cause, drawn as inline
 * SVG. Every segment carries `data-bucket`, `data-cause` and `data-count` and a `<title>`.
 */
import { CAUSE_MEANING } from '../../domain/causes.js';
import type { TimeSeries } from '../../domain/report/report-types.js';
import { formatBucketAdjective, formatBucketWidth, formatCount } from './format.js';
import { escapeHtml } from './html-escape.js';
import { causeFill, causeSwatch } from './palette.js';
import { niceTicks, px } from './svg-scale.js';

const WIDTH = 960;
const HEIGHT = 320;
const MARGIN = { top: 12, right: 16, bottom: 52, left: 60 } as const;
const MAX_X_LABELS = 8;

/** `2025-03-04T10:15:00.000Z` → `10:15`, `03-04 10:15` or `03-04`, as the span requires. */
function bucketLabel(iso: string, sameDay: boolean, bucketMinutes: number): string {
  const date = iso.slice(5, 10);
  const time = iso.slice(11, 16);
  if (bucketMinutes >= 1440) {
    return date;
  }
  return sameDay ? time : `${date} ${time}`;
}

/** `2025-03-04T10:15:00.000Z` → `2025-03-04 10:15Z`. */
function bucketTitle(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}

/** The legend: one entry per cause present, with its total. */
export function renderTimeSeriesLegend(series: TimeSeries): string {
  const totals = new Map<string, number>();
  for (const b of series.buckets) {
    for (const [cause, n] of Object.entries(b.byCause)) {
      totals.set(cause, (totals.get(cause) ?? 0) + (n ?? 0));
    }
  }
  const items = series.causes.map(
    (cause) =>
      `<li data-cause="${cause}" data-count="${totals.get(cause) ?? 0}" title="${escapeHtml(CAUSE_MEANING[cause])}">` +
      `${causeSwatch(cause)}<span class="code">${cause}</span>` +
      ` <span class="muted">${formatCount(totals.get(cause) ?? 0)}</span></li>`
  );
  return `<ul class="legend" aria-label="Causes">${items.join('')}</ul>`;
}

/**
 * Renders the stacked column chart of failures per bucket, with axes, gridlines and axis titles.
 * Causes stack in `series.causes` order (largest at the bottom).
 */
export function renderTimeSeriesSvg(series: TimeSeries): string {
  const buckets = series.buckets;
  if (buckets.length === 0) {
    return '<p class="empty">No failures with a readable event time.</p>';
  }
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = Math.max(...buckets.map((b) => b.failures));
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const band = plotW / buckets.length;
  const barW = Math.max(1, band * (buckets.length > 1 ? 0.8 : 0.4));
  const y = (v: number): number => MARGIN.top + plotH - (v / top) * plotH;
  const width = formatBucketWidth(series.bucketMinutes);
  const first = buckets[0]?.start ?? '';
  const last = buckets[buckets.length - 1]?.start ?? '';
  const sameDay = first.slice(0, 10) === last.slice(0, 10);

  const parts: string[] = [];
  parts.push(
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="ts-title" data-chart="failures-over-time" data-bucket-minutes="${series.bucketMinutes}">`,
    `<title id="ts-title">Failed calls per ${escapeHtml(width)}, stacked by cause</title>`
  );
  // Gridlines and y-axis labels.
  for (const v of ticks) {
    const yy = px(y(v));
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${yy}" y2="${yy}"/>`,
      `<text class="tick" x="${MARGIN.left - 8}" y="${yy}" text-anchor="end" dominant-baseline="middle">${formatCount(v)}</text>`
    );
  }
  // Columns.
  buckets.forEach((b, i) => {
    const x = MARGIN.left + i * band + (band - barW) / 2;
    parts.push(
      `<g class="bucket" data-bucket="${b.start}" data-count="${b.failures}">`,
      `<title>${bucketTitle(b.start)}: ${formatCount(b.failures)} failed calls</title>`
    );
    let base = 0;
    for (const cause of series.causes) {
      const n = b.byCause[cause] ?? 0;
      if (n === 0) {
        continue;
      }
      const y0 = y(base + n);
      const h = y(base) - y0;
      parts.push(
        `<rect class="segment" x="${px(x)}" y="${px(y0)}" width="${px(barW)}" height="${px(h)}" fill="${causeFill(cause)}" data-bucket="${b.start}" data-cause="${cause}" data-count="${n}">` +
          `<title>${bucketTitle(b.start)} · ${cause}: ${formatCount(n)}</title></rect>`
      );
      base += n;
    }
    parts.push('</g>');
  });
  // X axis, its labels and the axis titles.
  const axisY = px(MARGIN.top + plotH);
  parts.push(
    `<line class="axis" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${axisY}" y2="${axisY}"/>`
  );
  const every = Math.max(1, Math.ceil(buckets.length / MAX_X_LABELS));
  buckets.forEach((b, i) => {
    if (i % every !== 0) {
      return;
    }
    const cx = px(MARGIN.left + i * band + band / 2);
    parts.push(
      `<line class="axis" x1="${cx}" x2="${cx}" y1="${axisY}" y2="${px(MARGIN.top + plotH + 4)}"/>`,
      `<text class="tick" x="${cx}" y="${px(MARGIN.top + plotH + 18)}" text-anchor="middle">${bucketLabel(b.start, sameDay, series.bucketMinutes)}</text>`
    );
  });
  const dateNote = sameDay && series.bucketMinutes < 1440 ? `, ${first.slice(0, 10)}` : '';
  parts.push(
    `<text class="axis-title" x="${px(MARGIN.left + plotW / 2)}" y="${HEIGHT - 8}" text-anchor="middle">Time (UTC${dateNote}) · ${escapeHtml(formatBucketAdjective(series.bucketMinutes))} buckets</text>`,
    `<text class="axis-title" transform="translate(16 ${px(MARGIN.top + plotH / 2)}) rotate(-90)" text-anchor="middle">Failed calls</text>`,
    '</svg>'
  );
  return parts.join('\n');
}
