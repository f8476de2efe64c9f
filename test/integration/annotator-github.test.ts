/**
 * The annotator against the local GitHub fake (answers checked against GitHub's OpenAPI
 * description): run matching from what the record proves (one run, several runs on one commit, no
 * run, a re-run attempt, a job still in progress, a renamed repository found by id, the app not
 * installed), exactly one check run per failing job, the workflow-line annotation, and the
 * optional pull-request comment that is updated rather than repeated.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GitHubConnection } from '../../src/adapters/github/github-connection.js';
import { RepositoryResolver } from '../../src/adapters/github/repository-access.js';
import {
  type AnnotatorOptions,
  annotateFailingJob,
  DEFAULT_ANNOTATOR_OPTIONS,
} from '../../src/annotator/annotate-failing-job.js';
import { MemoryAnnotationStore } from '../../src/annotator/annotation-store.js';
import { CHECK_RUN_NAME } from '../../src/domain/annotate/check-run-content.js';
import type { FailingJob } from '../../src/domain/annotate/failing-jobs.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { failure, ROLE } from '../helpers/annotate-fixtures.js';
import type { FakeGitHub } from '../helpers/fake-github/server.js';
import { startFakeGitHub } from '../helpers/fake-github/server.js';
import type { FakeRepository, FakeRun } from '../helpers/fake-github/world.js';

const SHA = 'f0c1a2b3c4d5e6f708192a3b4c5d6e7f80919aab';
const OTHER_SHA = '0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c';
const FIRST = Date.parse('2026-11-27T14:05:40Z');
const LAST = FIRST + 102_000;
const WORKFLOW = `name: Deploy
on: push
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: ${ROLE}
          aws-region: us-east-1
`;

let gh: FakeGitHub | null = null;

/** The Markdown summary of a check run the fake received. */
function summaryOf(c: { request: Record<string, unknown> } | undefined): string {
  return String((c?.request.output as { summary?: string } | undefined)?.summary ?? '');
}
afterEach(async () => {
  await gh?.close();
  gh = null;
});

function job(d: Diagnosis = failure(), key = 'k1'): FailingJob {
  return { key, diagnosis: d, attempts: 12, firstCallMs: FIRST, lastCallMs: LAST };
}

/** A run whose deploy job failed in its credentials step while the calls were made. */
function failedRun(
  world: FakeGitHub['world'],
  repo: FakeRepository,
  options: {
    sha?: string;
    branch?: string;
    name?: string;
    createdAt?: string;
    attempt?: number;
  } = {}
): FakeRun {
  const run = world.addRun(repo, {
    headSha: options.sha ?? SHA,
    headBranch: options.branch ?? 'feature/retry-logic',
    name: options.name ?? 'Deploy',
    createdAt: options.createdAt ?? '2026-11-27T14:04:10Z',
    updatedAt: '2026-11-27T14:07:30Z',
    runAttempt: options.attempt ?? 1,
  });
  world.addJob(run, {
    startedAt: '2026-11-27T14:04:20Z',
    completedAt: '2026-11-27T14:07:26Z',
    runAttempt: options.attempt ?? 1,
    steps: [
      {
        name: 'Set up job',
        status: 'completed',
        conclusion: 'success',
        startedAt: '2026-11-27T14:04:20Z',
        completedAt: '2026-11-27T14:04:22Z',
      },
      {
        name: 'Configure AWS credentials',
        status: 'completed',
        conclusion: 'failure',
        startedAt: '2026-11-27T14:05:39Z',
        completedAt: '2026-11-27T14:07:25Z',
      },
    ],
  });
  return run;
}

async function setup(options: Partial<AnnotatorOptions> = {}) {
  gh = await startFakeGitHub();
  const acme = gh.world.addAccount('acme-corp', { id: 41235811 });
  const repo = gh.world.addRepository(acme, 'payments-api');
  const installation = gh.world.install(acme);
  gh.world.addFile(repo, SHA, '.github/workflows/deploy.yml', WORKFLOW);
  const connection = new GitHubConnection({
    baseUrl: gh.url,
    credentials: { kind: 'app', appId: String(gh.app.id), privateKey: gh.app.privateKey },
    writeSpacingMs: 0,
    retryUnitMs: 1,
  });
  const resolver = new RepositoryResolver({ connection });
  const store = new MemoryAnnotationStore();
  const deps = {
    resolve: (ref: Parameters<RepositoryResolver['resolve']>[0]) => resolver.resolve(ref),
    store,
    options: { ...DEFAULT_ANNOTATOR_OPTIONS, ...options },
  };
  return { gh, acme, repo, installation, deps, store };
}

describe('run matching', () => {
  it('posts one failed check run with cause, explanation, remedy and the role-to-assume annotation on the one matching job', async () => {
    // Prepare
    const s = await setup();
    const run = failedRun(s.gh.world, s.repo);
    failedRun(s.gh.world, s.repo, { sha: OTHER_SHA, branch: 'main', name: 'CI' });

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r.outcome).toBe('posted');
    expect(r.target).toMatchObject({
      kind: 'job',
      runId: run.id,
      headSha: SHA,
      runAttempt: 1,
      jobName: 'deploy',
    });
    const posted = s.gh.world.checkRunsOf(s.repo);
    expect(posted).toHaveLength(1);
    const body = posted[0]?.request as {
      name: string;
      head_sha: string;
      conclusion: string;
      output: { title: string; summary: string; text: string; annotations: unknown[] };
    };
    expect(body.name).toBe(CHECK_RUN_NAME);
    expect(body.head_sha).toBe(SHA);
    expect(body.conclusion).toBe('failure');
    expect(body.output.summary).toContain('`SUB_MISMATCH` · `BRANCH`');
    expect(body.output.summary).toContain('a branch the policy does not list');
    expect(body.output.text).toContain(
      '+ "repo:acme-corp/payments-api:ref:refs/heads/feature/retry-logic"'
    );
    expect(body.output.annotations).toEqual([
      expect.objectContaining({
        path: '.github/workflows/deploy.yml',
        start_line: 11,
        annotation_level: 'failure',
      }),
    ]);
    expect(r.checkRunUrl).toBe(posted[0]?.response.html_url);
    expect(s.gh.violations).toEqual([]);
  });

  it('annotates the commit when several runs on one commit held the call', async () => {
    // Prepare
    const s = await setup();
    failedRun(s.gh.world, s.repo, { name: 'Deploy' });
    failedRun(s.gh.world, s.repo, { name: 'Deploy (canary)' });

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r.outcome).toBe('posted');
    expect(r.target).toMatchObject({ kind: 'commit', headSha: SHA, runId: null, jobId: null });
    const posted = s.gh.world.checkRunsOf(s.repo);
    expect(posted).toHaveLength(1);
    const row = summaryOf(posted[0])
      .split('\n')
      .find((l) => l.startsWith('| Runs on this commit |'));
    expect(row).toMatch(/\[deploy\]\(\S+\) in \[Deploy #\d+\]/);
    expect(row).toMatch(/\[deploy\]\(\S+\) in \[Deploy \(canary\) #\d+\]/);
  });

  it('does not guess between runs on different commits', async () => {
    // Prepare
    const s = await setup();
    failedRun(s.gh.world, s.repo, { sha: SHA });
    failedRun(s.gh.world, s.repo, { sha: OTHER_SHA });

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r).toMatchObject({
      outcome: 'unmatched',
      reason:
        '2 jobs in 2 runs on 2 commits were running at 14:05:40 UTC and failed; the record does not say which one made the call',
    });
    expect(s.gh.world.checkRuns).toEqual([]);
  });

  it('records "unmatched" with the reason when no run of the branch was created before the call', async () => {
    // Prepare
    const s = await setup();
    failedRun(s.gh.world, s.repo, { branch: 'main' });
    failedRun(s.gh.world, s.repo, { createdAt: '2026-11-27T14:10:00Z' });

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r).toMatchObject({
      outcome: 'unmatched',
      reason:
        'no workflow run of acme-corp/payments-api on branch feature/retry-logic was created between 2026-11-27T08:05:40Z and 2026-11-27T14:05:45Z',
    });
    expect(s.gh.world.checkRuns).toEqual([]);
  });

  it("picks the re-run attempt's job whose time covers the call, not the first attempt's", async () => {
    // Prepare
    const s = await setup();
    const run = s.gh.world.addRun(s.repo, {
      headSha: SHA,
      headBranch: 'feature/retry-logic',
      createdAt: '2026-11-27T13:30:00Z',
      runStartedAt: '2026-11-27T14:04:00Z',
      updatedAt: '2026-11-27T14:07:30Z',
      runAttempt: 2,
    });
    s.gh.world.addJob(run, {
      runAttempt: 1,
      startedAt: '2026-11-27T13:30:10Z',
      completedAt: '2026-11-27T13:33:40Z',
    });
    const second = s.gh.world.addJob(run, {
      runAttempt: 2,
      startedAt: '2026-11-27T14:04:20Z',
      completedAt: '2026-11-27T14:07:26Z',
    });

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r.outcome).toBe('posted');
    expect(r.target).toMatchObject({ jobId: second.id, runAttempt: 2 });
    expect(summaryOf(s.gh.world.checkRuns[0])).toContain(', attempt 2 |');
  });

  it('annotates a job that is still in progress', async () => {
    // Prepare
    const s = await setup();
    const run = s.gh.world.addRun(s.repo, {
      headSha: SHA,
      headBranch: 'feature/retry-logic',
      createdAt: '2026-11-27T14:04:10Z',
      updatedAt: '2026-11-27T14:07:00Z',
      status: 'in_progress',
      conclusion: null,
    });
    const running = s.gh.world.addJob(run, {
      startedAt: '2026-11-27T14:04:20Z',
      status: 'in_progress',
      conclusion: null,
    });

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r.outcome).toBe('posted');
    expect(r.target?.jobId).toBe(running.id);
  });

  it('finds a renamed repository by id, never the new repository that took its old name', async () => {
    // Prepare
    const s = await setup();
    const billing = s.gh.world.addRepository(s.acme, 'billing-service', { id: 998877665 });
    s.gh.world.rename(billing, 'billing');
    const impostor = s.gh.world.addRepository(s.acme, 'billing-service');
    failedRun(s.gh.world, impostor, { branch: 'main' });
    failedRun(s.gh.world, billing, { branch: 'main' });
    const d = failure({
      sub: 'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main',
      repository: 'acme-corp/billing-service',
      cause: 'SUB_MISMATCH',
      detail: 'IMMUTABLE_FORMAT',
      remedy: null,
      fix: 'Admit the immutable subject.',
    });

    // Act
    const r = await annotateFailingJob(job(d), s.deps);

    // Assess
    expect(r.outcome).toBe('posted');
    expect(r.target?.repository).toBe('acme-corp/billing');
    expect(s.gh.world.checkRunsOf(billing)).toHaveLength(1);
    expect(s.gh.world.checkRunsOf(impostor)).toHaveLength(0);
    expect(s.gh.violations).toEqual([]);
  });

  it('counts a repository the app is not installed on as not installed', async () => {
    // Prepare
    const s = await setup();
    const other = s.gh.world.addAccount('someone-else');
    s.gh.world.addRepository(other, 'fork');
    const d = failure({
      sub: 'repo:someone-else/fork:ref:refs/heads/main',
      repository: 'someone-else/fork',
    });

    // Act
    const r = await annotateFailingJob(job(d), s.deps);

    // Assess
    expect(r).toMatchObject({
      outcome: 'not_installed',
      reason:
        'the GitHub App is not installed on someone-else/fork (or the repository is not among those it was given)',
    });
  });
});

describe('one post per failing job', () => {
  it('does not post again for a redelivered job, nor for the same GitHub job under another key', async () => {
    // Prepare
    const s = await setup();
    failedRun(s.gh.world, s.repo);

    // Act
    const first = await annotateFailingJob(job(failure(), 'bucket-1'), s.deps);
    const redelivered = await annotateFailingJob(job(failure(), 'bucket-1'), s.deps);
    const straddling = await annotateFailingJob(job(failure(), 'bucket-2'), s.deps);

    // Assess
    expect([first.outcome, redelivered.outcome, straddling.outcome]).toEqual([
      'posted',
      'duplicate',
      'duplicate',
    ]);
    expect(s.gh.world.checkRuns).toHaveLength(1);
  });

  it('posts nothing in a dry run, and says what it would post', async () => {
    // Prepare
    const s = await setup({ dryRun: true });
    failedRun(s.gh.world, s.repo);

    // Act
    const r = await annotateFailingJob(job(), s.deps);

    // Assess
    expect(r.outcome).toBe('would_post');
    expect(r.content?.output.title).toBe(
      'AWS refused role payments-deploy: this branch is not trusted by the role'
    );
    expect(
      s.gh.requests.filter((q) => q.method !== 'GET' && !q.route?.includes('access_tokens'))
    ).toEqual([]);
  });
});

describe('pull-request comments (off by default)', () => {
  it('comments once on the pull request and updates that comment on the next failure', async () => {
    // Prepare
    const s = await setup({ pullRequestComments: true });
    s.gh.world.installations.splice(0, 1);
    s.gh.world.install(s.acme, {
      permissions: {
        checks: 'write',
        actions: 'read',
        contents: 'read',
        metadata: 'read',
        pull_requests: 'write',
      },
    });
    const d = failure({ sub: 'repo:acme-corp/payments-api:pull_request', detail: 'PULL_REQUEST' });
    const run = s.gh.world.addRun(s.repo, {
      headSha: SHA,
      headBranch: 'feature/retry-logic',
      event: 'pull_request',
      createdAt: '2026-11-27T14:04:10Z',
      updatedAt: '2026-11-27T14:07:30Z',
      pullRequests: [42],
    });
    s.gh.world.addJob(run, {
      startedAt: '2026-11-27T14:04:20Z',
      completedAt: '2026-11-27T14:07:26Z',
    });
    const later = s.gh.world.addRun(s.repo, {
      headSha: OTHER_SHA,
      headBranch: 'feature/retry-logic',
      event: 'pull_request',
      createdAt: '2026-11-27T15:04:10Z',
      updatedAt: '2026-11-27T15:07:30Z',
      pullRequests: [42],
    });
    s.gh.world.addJob(later, {
      startedAt: '2026-11-27T15:04:20Z',
      completedAt: '2026-11-27T15:07:26Z',
    });

    // Act
    const first = await annotateFailingJob(job(d, 'a'), s.deps);
    const second = await annotateFailingJob(
      {
        ...job(d, 'b'),
        firstCallMs: FIRST + 3_600_000,
        lastCallMs: LAST + 3_600_000,
        diagnosis: { ...d, eventTime: '2026-11-27T15:05:40Z' },
      },
      s.deps
    );

    // Assess
    expect([first.comment, second.comment]).toEqual(['created', 'updated']);
    expect(s.gh.world.comments).toHaveLength(1);
    expect(s.gh.world.comments[0]?.body).toContain('pull-request runs are not trusted by the role');
    expect(s.gh.world.checkRuns).toHaveLength(2);
    expect(s.gh.violations).toEqual([]);
  });

  it('still posts the check run when the app may not comment', async () => {
    // Prepare
    const s = await setup({ pullRequestComments: true });
    const d = failure({ sub: 'repo:acme-corp/payments-api:pull_request', detail: 'PULL_REQUEST' });
    const run = s.gh.world.addRun(s.repo, {
      headSha: SHA,
      headBranch: 'feature/retry-logic',
      event: 'pull_request',
      createdAt: '2026-11-27T14:04:10Z',
      updatedAt: '2026-11-27T14:07:30Z',
      pullRequests: [42],
    });
    s.gh.world.addJob(run, {
      startedAt: '2026-11-27T14:04:20Z',
      completedAt: '2026-11-27T14:07:26Z',
    });

    // Act
    const r = await annotateFailingJob(job(d), s.deps);

    // Assess
    expect(r).toMatchObject({ outcome: 'posted', comment: 'failed' });
    expect(s.gh.world.checkRuns).toHaveLength(1);
  });
});
