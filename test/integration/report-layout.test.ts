/**
 * The HTML report of the bundled sample data (examples/, classified against the sample IAM
 * snapshot, with the sample IAM changes) as a person sees it, in headless Chromium at a laptop
 * width (1400 px), a wide screen (1600 px) and a phone (390 px): no horizontal scroll; explanation
 * and fix at a readable width; no table column narrower than its content needs; ARNs that wrap at
 * `/` and `:` rather than a character per line; every cause named in text next to its swatch;
 * a page of reasonable height. Screenshots go to the temp directory for a human to look at.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/cli/report/render-html.js';
import { aggregateReport } from '../../src/domain/report/aggregate.js';
import { incidentDataSet, withRemedies } from '../helpers/diagnosis-factory.js';
import { sampleReportHtml } from '../helpers/sample-report.js';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';
const HAS_CHROMIUM = existsSync(CHROMIUM);

/** Narrowest a paragraph of explanation or fix may be: about 45 characters of 15 px text. */
const READABLE_TEXT_PX = { desktop: 520, phone: 300 } as const;
/** Narrowest any table column may be. */
const MIN_COLUMN_PX = 56;

/** The DOM globals the page functions use (the test's tsconfig has no DOM lib). */
interface Dom {
  readonly document: {
    readonly documentElement: { readonly scrollWidth: number; readonly scrollHeight: number };
  };
  readonly innerWidth: number;
  getComputedStyle(e: unknown): { readonly lineHeight: string };
}

interface Box {
  readonly width: number;
  readonly height: number;
}

describe.skipIf(!HAS_CHROMIUM && !IN_CI)('HTML report layout in headless Chromium', () => {
  let dir = '';
  let browser: Browser | undefined;
  let url = '';
  /** A report whose failures carry remedies (patched policies, long commands). */
  let remedyUrl = '';

  beforeAll(async () => {
    if (!HAS_CHROMIUM) throw new Error(`${CHROMIUM} is missing: CI must install it`);
    dir = await mkdtemp(join(tmpdir(), 'oidcwatch-report-layout-'));
    const file = join(dir, 'report.html');
    await writeFile(file, await sampleReportHtml());
    url = pathToFileURL(file).href;
    const remedies = join(dir, 'remedies.html');
    await writeFile(
      remedies,
      renderReportHtml(aggregateReport(withRemedies(incidentDataSet())), {
        title: 'remedies',
        generatedAt: new Date('2025-03-05T07:00:00Z'),
      })
    );
    remedyUrl = pathToFileURL(remedies).href;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  async function open(width: number, at = url): Promise<Page> {
    const page = await (browser as Browser).newPage({ viewport: { width, height: 900 } });
    await page.goto(at, { waitUntil: 'load' });
    return page;
  }

  for (const width of [1400, 1600, 390])
    it(`has no horizontal scroll at ${width} px`, async () => {
      // Prepare
      const page = await open(width);

      // Act
      const scroll = await page.evaluate(() => {
        const dom = globalThis as unknown as Dom;
        return { width: dom.document.documentElement.scrollWidth, viewport: dom.innerWidth };
      });
      await page.screenshot({
        path: join(tmpdir(), `oidcwatch-report-${width}.png`),
        fullPage: true,
      });

      // Assess
      expect(scroll.width).toBeLessThanOrEqual(scroll.viewport);
      await page.close();
    });

  for (const [width, kind] of [
    [1400, 'desktop'],
    [1600, 'desktop'],
    [390, 'phone'],
  ] as const)
    it(`sets every explanation and fix at a readable width at ${width} px`, async () => {
      // Prepare
      const page = await open(width);

      // Act
      const boxes: Box[] = await page.$$eval('.cause-body .explanation, .cause-body .fix', (els) =>
        els.map((e) => e.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height }))
      );

      // Assess
      expect(boxes.length).toBeGreaterThan(10);
      for (const b of boxes) expect(b.width).toBeGreaterThanOrEqual(READABLE_TEXT_PX[kind]);
      await page.close();
    });

  it('keeps every table column at a readable width on a laptop (1400 px)', async () => {
    // Prepare
    const page = await open(1400);

    // Act
    const columns = await page.$$eval('table th', (ths) =>
      ths.map((th) => ({ text: th.textContent ?? '', width: th.getBoundingClientRect().width }))
    );

    // Assess
    expect(columns.length).toBeGreaterThan(10);
    for (const c of columns) expect(c.width, c.text).toBeGreaterThanOrEqual(MIN_COLUMN_PX);
    await page.close();
  });

  it('stacks table rows on a phone: each cell as wide as the screen allows', async () => {
    // Prepare
    const page = await open(390);

    // Act
    const cells: Box[] = await page.$$eval('table.stack td', (tds) =>
      tds.map((td) => td.getBoundingClientRect()).map((r) => ({ width: r.width, height: r.height }))
    );

    // Assess
    expect(cells.length).toBeGreaterThan(10);
    for (const c of cells) expect(c.width).toBeGreaterThanOrEqual(300);
    await page.close();
  });

  for (const width of [1400, 390])
    it(`wraps role ARNs at / and :, never a character per line (${width} px)`, async () => {
      // Prepare
      const page = await open(width);

      // Act
      const arns = await page.$$eval('.arn', (els) =>
        els.map((e) => {
          const r = e.getBoundingClientRect();
          const style = (globalThis as unknown as Dom).getComputedStyle(e);
          const lineHeight = Number.parseFloat(style.lineHeight) || 20;
          return {
            text: e.textContent ?? '',
            width: r.width,
            lines: Math.round(r.height / lineHeight),
          };
        })
      );

      // Assess
      expect(arns.length).toBeGreaterThan(5);
      for (const a of arns) {
        expect(a.lines, a.text).toBeLessThanOrEqual(Math.max(1, Math.ceil(a.text.length / 20)));
        expect(a.width / Math.max(1, a.lines)).toBeGreaterThan(60);
      }
      await page.close();
    });

  it('names every cause in text beside its swatch, and sets paragraphs in a few lines, not columns', async () => {
    // Prepare
    const page = await open(1400);

    // Act
    const swatches = await page.$$eval('svg.swatch', (els) =>
      els.map((s) => (s.parentElement?.textContent ?? '').trim())
    );
    const lines = await page.$$eval('.cause-body .explanation', (els) =>
      els.map((e) => {
        const style = (globalThis as unknown as Dom).getComputedStyle(e);
        return Math.round(e.getBoundingClientRect().height / Number.parseFloat(style.lineHeight));
      })
    );
    const blocks = await page.$$eval('.cause-block', (els) =>
      els.map((e) => e.getBoundingClientRect().height)
    );

    // Assess
    expect(swatches.length).toBeGreaterThan(10);
    for (const text of swatches) expect(text).toMatch(/[A-Z]+(_[A-Z]+)*/);
    expect(Math.max(...lines)).toBeLessThanOrEqual(7);
    // The former layout set explanation and fix in ~140 px columns: a cause took 20 lines.
    expect(Math.max(...blocks)).toBeLessThan(900);
    await page.close();
  });

  for (const width of [1400, 390])
    it(`draws remedy diffs one line per value, long commands wrapped inside the page (${width} px)`, async () => {
      // Prepare
      const page = await open(width, remedyUrl);

      // Act
      const added = await page.$$eval('pre.diff .add', (els) =>
        els.map((e) => {
          const style = (globalThis as unknown as Dom).getComputedStyle(e);
          return e.getBoundingClientRect().height / Number.parseFloat(style.lineHeight);
        })
      );
      const scroll = await page.evaluate(() => {
        const dom = globalThis as unknown as Dom;
        return { width: dom.document.documentElement.scrollWidth, viewport: dom.innerWidth };
      });

      // Assess
      expect(added.length).toBeGreaterThan(0);
      if (width === 1400) for (const lines of added) expect(Math.round(lines)).toBe(1);
      expect(scroll.width).toBeLessThanOrEqual(scroll.viewport);
      await page.close();
    });
});
