/**
 * Draws what a developer sees on their failing run (README, docs/annotator.md): the sample data's
 * failing job of acme-corp/payments-api (a branch its role does not trust) is annotated by the
 * real annotator against the local GitHub fake, and the check run the fake received is rendered
 * as GitHub shows it and photographed in headless Chromium.
 *
 *     npx tsx scripts/render-check-run.ts   # writes docs/images/check-run.png
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { GitHubConnection } from '../src/adapters/github/github-connection.js';
import { RepositoryResolver } from '../src/adapters/github/repository-access.js';
import {
  annotateFailingJob,
  DEFAULT_ANNOTATOR_OPTIONS,
} from '../src/annotator/annotate-failing-job.js';
import { MemoryAnnotationStore } from '../src/annotator/annotation-store.js';
import type { CheckRunContent } from '../src/domain/annotate/check-run-content.js';
import { type FailingJob, groupFailingJobs } from '../src/domain/annotate/failing-jobs.js';
import { startFakeGitHub } from '../test/helpers/fake-github/server.js';
import { sampleDiagnoses, seedRunOf } from '../test/helpers/sample-run.js';
import { checkRunPage } from './check-run-page.js';

/** The commit the sample run is on. */
export const SAMPLE_SHA = '3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f6a7b8c9d0e';
const OUT = 'docs/images/check-run.png';

/** The sample failing job the picture shows. */
export function pictureJob(jobs: readonly FailingJob[]): FailingJob {
  const job = jobs.find(
    (j) => j.diagnosis.repository === 'acme-corp/payments-api' && j.diagnosis.detail === 'BRANCH'
  );
  if (job === undefined) throw new Error('the sample data has no payments-api branch failure');
  return job;
}

/** The check run the annotator posts for the sample job, as the fake GitHub received it. */
export async function postedSampleCheckRun(): Promise<CheckRunContent> {
  const job = pictureJob(groupFailingJobs(await sampleDiagnoses()));
  const gh = await startFakeGitHub();
  try {
    seedRunOf(gh, job, SAMPLE_SHA);
    const connection = new GitHubConnection({
      baseUrl: gh.url,
      credentials: { kind: 'app', appId: String(gh.app.id), privateKey: gh.app.privateKey },
      writeSpacingMs: 0,
    });
    const resolver = new RepositoryResolver({ connection });
    const r = await annotateFailingJob(job, {
      resolve: (ref) => resolver.resolve(ref),
      store: new MemoryAnnotationStore(),
      options: DEFAULT_ANNOTATOR_OPTIONS,
    });
    if (r.outcome !== 'posted') throw new Error(`the sample job was ${r.outcome}: ${r.reason}`);
    if (gh.violations.length > 0) throw new Error(JSON.stringify(gh.violations));
    return gh.world.checkRuns[0]?.request as unknown as CheckRunContent;
  } finally {
    await gh.close();
  }
}

async function main(): Promise<void> {
  const content = await postedSampleCheckRun();
  const file = join(tmpdir(), 'oidcwatch-check-run.html');
  await writeFile(file, checkRunPage(content, 'acme-corp/payments-api'));
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 960, height: 800 },
      deviceScaleFactor: 1,
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await mkdir('docs/images', { recursive: true });
    await page.locator('.page').screenshot({ path: OUT });
  } finally {
    await browser.close();
  }
  process.stdout.write(`wrote ${OUT}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main();
