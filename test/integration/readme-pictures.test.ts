/**
 * The README's pictures of the dashboard and the report are made from the bundled sample data and
 * stay true: the dashboard excerpt is what the dashboard's tables hold after the processor ran on
 * examples/ (grouped as their queries group), and the report screenshots at two widths show the
 * sample report as it is now. Regenerate with `npx tsx scripts/generate-readme-pictures.ts`.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadDashboardTemplate } from '../../infra/lib/dashboard-template.js';
import { sampleReportFingerprint, withDashboardExcerpt } from '../helpers/readme-pictures.js';
import { runProcessorOnSamples } from '../helpers/sample-processor.js';

const REGENERATE = 'stale: run `npx tsx scripts/generate-readme-pictures.ts`';

describe('README pictures', () => {
  it('shows the dashboard tables as they read for the sample data', async () => {
    // Prepare
    const readme = await readFile('README.md', 'utf8');
    const template = JSON.stringify(loadDashboardTemplate());

    // Act
    const expected = withDashboardExcerpt(readme, await runProcessorOnSamples());

    // Assess
    expect(readme, REGENERATE).toBe(expected);
    expect(readme).toMatch(
      /\| lastAttempt \| repo \| failureCause \| causeDetail \| jobSub \| howToFix \| attempts \|/
    );
    // The excerpt groups as the queries do.
    expect(template).toMatch(/count\(\*\) as attempts[^|]* by failingJobKey/);
    expect(template).toMatch(/count\(\*\) as failuresSince[^|]* by change\.eventId/);
  });

  it('shows the sample report at a laptop and a phone width, taken of the report as it is', async () => {
    // Prepare
    const meta = JSON.parse(await readFile('docs/images/report-screenshots.json', 'utf8')) as {
      report: string;
      screenshots: { file: string; width: number }[];
    };
    const readme = await readFile('README.md', 'utf8');

    // Act
    const fingerprint = await sampleReportFingerprint();

    // Assess
    expect(meta.report, REGENERATE).toBe(fingerprint);
    expect(meta.screenshots.map((s) => s.width)).toEqual([1440, 390]);
    for (const s of meta.screenshots) {
      const png = await readFile(s.file);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBe(s.width);
      expect(png.readUInt32BE(20)).toBeGreaterThan(1000);
      expect(readme).toContain(`<img src="${s.file}"`);
    }
  });
});
