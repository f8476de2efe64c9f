/**
 * Renders the HTML report of a realistic data set, opens it in headless Chromium and checks what
 * is drawn against the aggregated numbers, that the page loads nothing from the network, and
 * that it renders to a non-trivial screenshot.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/cli/report/render-html.js';
import { TOP_REPOSITORIES } from '../../src/cli/report/svg-top-repositories.js';
import type { Cause } from '../../src/domain/causes.js';
import { aggregateReport } from '../../src/domain/report/aggregate.js';
import type { Report } from '../../src/domain/report/report-types.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { failingJob, incidentDataSet, minutesAfter } from '../helpers/diagnosis-factory.js';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';
const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Where the screenshot is kept for a human to look at. */
const SCREENSHOT = join(tmpdir(), 'oidcwatch-report-html.png');

if (!HAS_CHROMIUM && !IN_CI) {
  console.warn(
    `report-html: SKIPPED — ${CHROMIUM} not found. Install it (apt-get install chromium) to run this test; in CI it fails instead.`
  );
}

/** The incident day plus a long tail of repositories failing for other reasons. */
function dataSet(): Diagnosis[] {
  const tail: [Cause, string | null][] = [
    ['IDP_ERROR', 'VERIFICATION_KEY'],
    ['EXPIRED_TOKEN', null],
    ['UNVERIFIABLE_CONDITION', 'job_workflow_ref'],
    ['WRONG_PROVIDER_PRINCIPAL', null],
    ['SUB_MISMATCH', 'BRANCH'],
    ['DENIED_OUTSIDE_TRUST_POLICY', null],
  ];
  const out = incidentDataSet();
  for (let i = 0; i < 18; i += 1) {
    const [cause, detail] = tail[i % tail.length] as [Cause, string | null];
    for (let j = 0; j <= i % 3; j += 1) {
      out.push(
        ...failingJob({
          repository: `acme-corp/service-${String.fromCharCode(97 + i)}`,
          role: `service-${String.fromCharCode(97 + i)}-deploy`,
          cause,
          detail,
          start: minutesAfter('2025-03-04T08:00:00Z', 17 * i + 45 * j),
          subTail: 'ref:refs/heads/main',
          attempts: 12 - (i % 5),
        })
      );
    }
  }
  return out;
}

/** An SVG element's box (the test's tsconfig has no DOM lib). */
interface Boxed {
  getBBox(): { readonly width: number; readonly height: number };
}

interface Drawn {
  readonly bucket: string;
  readonly cause: string;
  readonly count: number;
  readonly height: number;
}

// Without Chromium the suite is skipped (with the warning above) outside CI, and fails in CI.
describe.skipIf(!HAS_CHROMIUM && !IN_CI)('HTML report in headless Chromium', () => {
  let dir = '';
  let browser: Browser | undefined;
  let page: Page;
  let report: Report;
  const requests: string[] = [];
  let url = '';

  beforeAll(async () => {
    if (!HAS_CHROMIUM) {
      throw new Error(
        `${CHROMIUM} is missing: CI must install it (.ci/run installs the Debian "chromium" package before npm ci)`
      );
    }
    report = aggregateReport(dataSet());
    dir = await mkdtemp(join(tmpdir(), 'oidcwatch-report-html-'));
    const file = join(dir, 'report.html');
    await writeFile(
      file,
      renderReportHtml(report, {
        title: 'OIDC role assumption failures — acme-corp',
        generatedAt: new Date('2025-03-05T07:00:00Z'),
      })
    );
    url = pathToFileURL(file).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => {
      requests.push(request.url());
    });
    await page.goto(url, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== '') {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('renders to a non-trivial PNG screenshot', async () => {
    // Prepare
    const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    // Act
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Assess
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(0, 8)).toEqual(pngSignature);
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(1500);
    expect(png.length).toBeGreaterThan(50_000);
  });

  it('stacks segments per bucket that add up to the failures in that bucket', async () => {
    // Prepare
    const selector = 'svg[data-chart="failures-over-time"] rect.segment';

    // Act
    const drawn: Drawn[] = await page.$$eval(selector, (rects) =>
      rects.map((r) => ({
        bucket: r.getAttribute('data-bucket') ?? '',
        cause: r.getAttribute('data-cause') ?? '',
        count: Number(r.getAttribute('data-count')),
        height: (r as unknown as Boxed).getBBox().height,
      }))
    );

    // Assess
    const perBucket = new Map<string, number>();
    for (const d of drawn) {
      perBucket.set(d.bucket, (perBucket.get(d.bucket) ?? 0) + d.count);
    }
    for (const b of report.timeSeries.buckets) {
      expect(perBucket.get(b.start) ?? 0, b.start).toBe(b.failures);
      for (const [cause, n] of Object.entries(b.byCause)) {
        expect(drawn.find((d) => d.bucket === b.start && d.cause === cause)?.count).toBe(n);
      }
    }
    const pxPerFailure = drawn.map((d) => d.height / d.count);
    for (const ratio of pxPerFailure) {
      expect(ratio).toBeCloseTo(pxPerFailure[0] as number, 1);
    }
  });

  it('shows a legend entry for every cause of the series', async () => {
    // Prepare
    const selector = '#over-time .legend li';

    // Act
    const legend = await page.$$eval(selector, (items) =>
      items.map((li) => li.getAttribute('data-cause'))
    );

    // Assess
    expect(legend).toEqual(report.timeSeries.causes);
  });

  it('draws the top repositories in order with their failures, bars proportional to them', async () => {
    // Prepare
    const expected = report.repositories.slice(0, TOP_REPOSITORIES);

    // Act
    const bars = await page.$$eval('svg[data-chart="top-repositories"] g.repo-bar', (groups) =>
      groups.map((g) => ({
        repository: g.getAttribute('data-repository'),
        count: Number(g.getAttribute('data-count')),
        segments: [...g.querySelectorAll('rect.segment')].map((r) => ({
          count: Number(r.getAttribute('data-count')),
          width: (r as unknown as Boxed).getBBox().width,
        })),
      }))
    );

    // Assess
    expect(bars.map((b) => [b.repository, b.count])).toEqual(
      expected.map((r) => [r.repository, r.failures])
    );
    const pxPerFailure = bars.map((b) => b.segments.reduce((w, s) => w + s.width, 0) / b.count);
    for (const b of bars) {
      expect(b.segments.reduce((n, s) => n + s.count, 0)).toBe(b.count);
    }
    for (const ratio of pxPerFailure) {
      expect(ratio).toBeCloseTo(pxPerFailure[0] as number, 1);
    }
  });

  it('lists every repository with its causes and its top fix', async () => {
    // Prepare
    const selector = '#repositories article.repo';

    // Act
    const rows = await page.$$eval(selector, (groups) =>
      groups.map((g) => ({
        repository: g.getAttribute('data-repository'),
        count: Number(g.getAttribute('data-count')),
        causes: [...g.querySelectorAll('.cause-block')].map((b) => b.getAttribute('data-cause')),
        text: g.textContent ?? '',
      }))
    );

    // Assess
    expect(rows.map((r) => [r.repository, r.count])).toEqual(
      report.repositories.map((r) => [r.repository, r.failures])
    );
    for (const r of report.repositories) {
      const row = rows.find((x) => x.repository === r.repository);
      expect(row?.causes).toEqual(r.causes.map((c) => c.cause));
      if (r.topFix !== null) {
        expect(row?.text).toContain(r.topFix.fix);
      }
    }
  });

  it('has loaded nothing but its own file by the end', async () => {
    // Prepare
    await page.waitForLoadState('networkidle');

    // Act
    const others = requests.filter((r) => r !== url);

    // Assess
    expect(requests).toEqual([url]);
    expect(others).toEqual([]);
  });
});
