import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/cli/report/html-escape.js';
import { CAUSE_COLORS } from '../../../src/cli/report/palette.js';
import { renderReportHtml } from '../../../src/cli/report/render-html.js';
import { CAUSES } from '../../../src/domain/causes.js';
import { aggregateReport } from '../../../src/domain/report/aggregate.js';
import { diagnosis, failingJob, incidentDataSet } from '../../helpers/diagnosis-factory.js';

const OPTS = { title: 'OIDC failures', generatedAt: new Date('2025-03-05T07:00:00Z') };

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    // Prepare
    const text = `<a href="x" onclick='y'>&</a>`;

    // Act
    const escaped = escapeHtml(text);

    // Assess
    expect(escaped).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('renderReportHtml', () => {
  it('escapes repository names, explanations, fixes and the title from the data', () => {
    // Prepare
    const hostile = '<script>alert(1)</script>';
    const report = aggregateReport([
      diagnosis({
        repository: `evil/"><img src=x onerror=alert(1)>`,
        fix: `Run ${hostile} & "quote" 'it'`,
        explanation: '<b>bold</b>',
        detail: '<i>detail</i>',
      }),
    ]);

    // Act
    const html = renderReportHtml(report, { ...OPTS, title: `${hostile} report` });

    // Assess
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold');
    expect(html).not.toContain('<i>detail');
    expect(html).toContain('evil/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain(
      'Run &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quote&quot; &#39;it&#39;'
    );
  });

  it('is self-contained: no script, stylesheet link, image, font or remote reference', () => {
    // Prepare
    const report = aggregateReport(incidentDataSet());

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|@font-face/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    expect(html).toContain("default-src 'none'");
  });

  it('draws stacked segments whose counts add up to each bucket and to the failures', () => {
    // Prepare
    const report = aggregateReport(incidentDataSet());

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    const segments = [
      ...html.matchAll(
        /<rect class="segment"[^>]*data-bucket="([^"]+)" data-cause="([A-Z_]+)" data-count="(\d+)"/g
      ),
    ];
    const perBucket = new Map<string, number>();
    for (const [, bucket, , count] of segments) {
      perBucket.set(bucket as string, (perBucket.get(bucket as string) ?? 0) + Number(count));
    }
    for (const b of report.timeSeries.buckets) {
      expect(perBucket.get(b.start) ?? 0).toBe(b.failures);
    }
    const total = [...perBucket.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(report.totals.failures);
  });

  it('colours each cause with its fixed palette entry', () => {
    // Prepare
    const report = aggregateReport(
      failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'AUDIENCE_MISMATCH',
        detail: 'TRUST_POLICY',
        start: '2025-03-04T10:00:00Z',
      })
    );

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toMatch(
      new RegExp(
        `fill="${CAUSE_COLORS.AUDIENCE_MISMATCH}" data-bucket="[^"]+" data-cause="AUDIENCE_MISMATCH"`
      )
    );
    expect(new Set(CAUSES.map((c) => CAUSE_COLORS[c])).size).toBe(CAUSES.length);
  });

  it('says so when there is no failure', () => {
    // Prepare
    const report = aggregateReport([diagnosis({ cause: 'SUCCESS' })]);

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toContain('No failed role assumptions.');
    expect(html).not.toContain('class="segment"');
  });
});
