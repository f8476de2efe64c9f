import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/cli/report/html-escape.js';
import { causeFill } from '../../../src/cli/report/palette.js';
import { renderReportHtml } from '../../../src/cli/report/render-html.js';
import { aggregateReport } from '../../../src/domain/report/aggregate.js';
import {
  diagnosis,
  failingJob,
  incidentDataSet,
  withRemedies,
} from '../../helpers/diagnosis-factory.js';

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
      'Run &lt;script&gt;alert(1)&lt;/<wbr>script&gt; &amp; &quot;quote&quot; &#39;it&#39;'
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

  it('fills each cause with its fixed colour and pattern, and names it beside its swatch', () => {
    // Prepare
    const report = aggregateReport(
      failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'INVALID_REQUEST',
        detail: 'REGION_DISABLED',
        start: '2025-03-04T10:00:00Z',
      })
    );

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(causeFill('INVALID_REQUEST')).toBe('url(#fill-INVALID_REQUEST)');
    expect(html).toMatch(
      /fill="url\(#fill-INVALID_REQUEST\)" data-bucket="[^"]+" data-cause="INVALID_REQUEST"/
    );
    expect(html).toContain('<pattern id="fill-INVALID_REQUEST"');
    expect(html).toMatch(
      /<svg class="swatch"[^>]*>.*?<\/svg><span class="code">INVALID_<wbr>REQUEST/
    );
  });

  it('says there was nothing to read, instead of "from — to —" and empty tables', () => {
    // Prepare
    const report = aggregateReport([]);

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toContain('<h2>No records were read</h2>');
    expect(html).toContain('no records read');
    expect(html).not.toContain('—  to');
    expect(html).not.toMatch(/from — to —/);
    expect(html).not.toContain('<table');
    expect(html).not.toContain('class="chart"');
  });

  it('says the records held no failure, with their span and what they were', () => {
    // Prepare
    const report = aggregateReport([
      diagnosis({ cause: 'SUCCESS', detail: null, eventTime: '2025-03-04T10:00:00Z' }),
      diagnosis({ cause: 'SUCCESS', detail: null, eventTime: '2025-03-04T11:30:00Z' }),
    ]);

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toContain('<h2>No failed role assumptions</h2>');
    expect(html).toContain(
      '2 records read, from 2025-03-04 10:00:00Z to 2025-03-04 11:30:00Z: 2 successful calls'
    );
    expect(html).not.toContain('class="segment"');
    expect(html).not.toContain('<table');
  });

  it('shows tied top causes as a tie, never one of them as "the" top', () => {
    // Prepare
    const report = aggregateReport([
      ...failingJob({
        repository: 'acme/api',
        role: 'api',
        cause: 'EXPIRED_TOKEN',
        start: '2025-03-04T10:00:00Z',
        attempts: 3,
      }),
      ...failingJob({
        repository: 'acme/web',
        role: 'web',
        cause: 'ROLE_NOT_FOUND',
        start: '2025-03-04T11:00:00Z',
        attempts: 3,
      }),
      ...failingJob({
        repository: 'acme/web',
        role: 'web',
        cause: 'IDP_ERROR',
        detail: 'VERIFICATION_KEY',
        start: '2025-03-04T12:00:00Z',
        attempts: 3,
      }),
    ]);

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toContain('Top causes: a 3-way tie, 3 calls each');
    const web = html.slice(html.indexOf('<article class="repo" data-repository="acme/web"'));
    expect(web.match(/tied: most failures/g)).toHaveLength(2);
    expect(html).not.toContain('>most failures<');
  });

  it('draws the remedy of each cause as a diff, with the command and what verification found', () => {
    // Prepare
    const report = aggregateReport(
      withRemedies(
        failingJob({
          repository: 'acme-corp/payments-api',
          role: 'payments-deploy',
          cause: 'SUB_MISMATCH',
          detail: 'ENVIRONMENT_FORM',
          start: '2025-03-04T10:00:00Z',
        })
      )
    );

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toContain(
      '<div class="remedy" data-remedy-kind="trust-policy" data-verified="true">'
    );
    expect(html).toContain(
      'Statement &quot;GitHubActions&quot; · Condition · StringEquals · token.actions.githubusercontent.com:sub'
    );
    expect(html).toContain(
      '<span class="add"><span class="mark">+</span> &quot;repo:acme-corp/payments-api:environment:production&quot;</span>'
    );
    expect(html).toContain('aws iam update-assume-role-policy --role-name payments-deploy');
    expect(html).toContain('✓ admits the recorded call');
    expect(html).toContain('✓ newly admits only subjects like the recorded one');
  });

  it('lets ARNs wrap at / and : only', () => {
    // Prepare
    const report = aggregateReport(incidentDataSet());

    // Act
    const html = renderReportHtml(report, OPTS);

    // Assess
    expect(html).toContain(
      '<span class="arn">arn:<wbr>aws:<wbr>iam:<wbr>:<wbr>111122223333:<wbr>role/<wbr>payments-deploy</span>'
    );
  });
});
