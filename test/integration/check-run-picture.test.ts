/**
 * What the developer sees on their run, in a real browser: the check run the annotator posts for
 * the sample data's payments-api failure (against the GitHub fake), rendered as GitHub renders
 * its Markdown, in headless Chromium. The visible page carries the cause, the explanation and the
 * fix, and the annotated workflow line; the README shows the committed picture of it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRunPage } from '../../scripts/check-run-page.js';
import { postedSampleCheckRun } from '../../scripts/render-check-run.js';
import type { CheckRunContent } from '../../src/domain/annotate/check-run-content.js';

const CHROMIUM = '/usr/bin/chromium';
const PICTURE = 'docs/images/check-run.png';

let browser: Browser | null = null;
let content: CheckRunContent;
let visible = '';
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: .ci/run installs the Debian "chromium" package`);
  content = await postedSampleCheckRun();
  const dir = await mkdtemp(join(tmpdir(), 'oidcwatch-check-run-'));
  const file = join(dir, 'check-run.html');
  await writeFile(file, checkRunPage(content, 'acme-corp/payments-api'));
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
  const page = await browser.newPage({ viewport: { width: 960, height: 800 } });
  page.on('request', (r) => {
    requests.push(r.url());
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  visible = await page.locator('body').innerText();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('the check run a developer sees', () => {
  it('shows the cause, the explanation and the fix in words, not Markdown syntax', () => {
    // Assess
    expect(visible).toContain('AWS role assumption (oidcwatch)');
    expect(visible).toContain(
      'AWS refused role payments-deploy: this branch is not trusted by the role'
    );
    expect(visible).toContain('SUB_MISMATCH · BRANCH');
    expect(visible).toContain(
      'the job runs on refs/heads/feature/retry-logic, a branch the policy does not list.'
    );
    expect(visible).toContain(
      'Fix: Add "repo:acme-corp/payments-api:ref:refs/heads/feature/retry-logic" to StringEquals["token.actions.githubusercontent.com:sub"]'
    );
    expect(visible).not.toMatch(/\*\*|\\\[|\|---\|/);
  });

  it('shows the annotation on the role-to-assume line of the workflow file', () => {
    // Assess
    expect(visible).toContain('.github/workflows/deploy.yml#L17');
    expect(content.output.annotations?.[0]).toMatchObject({
      path: '.github/workflows/deploy.yml',
      start_line: 17,
    });
  });

  it('loads nothing from the network', () => {
    // Assess
    expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
  });

  it('is the picture the README shows', async () => {
    // Prepare
    const readme = await readFile('README.md', 'utf8');

    // Act
    const png = await readFile(PICTURE);

    // Assess
    expect(readme).toContain(`](${PICTURE})`);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(900);
  });
});
