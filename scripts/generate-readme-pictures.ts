/**
 * Rewrites what the README shows of the dashboard and the report, from the bundled sample data:
 * the dashboard tables' rows (README `dashboard-excerpt`) and the report screenshots at a laptop
 * and a phone width (docs/images/report-*.png, taken in headless Chromium, with the fingerprint of
 * the report they show in docs/images/report-screenshots.json).
 * Run after changing the dashboard queries, the report or the sample data:
 * `npx tsx scripts/generate-readme-pictures.ts`.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { sampleReportFingerprint, withDashboardExcerpt } from '../test/helpers/readme-pictures.js';
import { runProcessorOnSamples } from '../test/helpers/sample-processor.js';
import { sampleReportHtml } from '../test/helpers/sample-report.js';

/** The screenshots: width, and the part of the page shown (from the per-repository section). */
const SCREENSHOTS = [
  { file: 'docs/images/report-1440.png', width: 1440, height: 1250, from: '#repositories' },
  { file: 'docs/images/report-390.png', width: 390, height: 1500, from: '#repositories' },
] as const;

const readme = await readFile('README.md', 'utf8');
const updated = withDashboardExcerpt(readme, await runProcessorOnSamples());
if (updated !== readme) await writeFile('README.md', updated);

const dir = await mkdtemp(join(tmpdir(), 'oidcwatch-readme-'));
const page = join(dir, 'report.html');
await writeFile(page, await sampleReportHtml());
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--no-first-run',
  ],
});
try {
  for (const s of SCREENSHOTS) {
    const tab = await browser.newPage({ viewport: { width: s.width, height: 900 } });
    await tab.goto(pathToFileURL(page).href);
    const y = await tab.locator(s.from).evaluate((e) => e.getBoundingClientRect().top);
    await tab.screenshot({
      path: s.file,
      fullPage: true,
      clip: { x: 0, y: Math.max(0, y - 12), width: s.width, height: s.height },
    });
    await tab.close();
  }
} finally {
  await browser.close();
  await rm(dir, { recursive: true, force: true });
}
await writeFile(
  'docs/images/report-screenshots.json',
  `${JSON.stringify({ made: 'oidcwatch report examples/events --iam-snapshot examples/iam-snapshot.json --changes examples/changes --html', report: await sampleReportFingerprint(), screenshots: SCREENSHOTS }, null, 2)}\n`
);
console.log(
  updated === readme ? 'README dashboard excerpt is up to date' : 'README dashboard excerpt updated'
);
console.log('docs/images/report-*.png written');
