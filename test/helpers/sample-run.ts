/**
 * The bundled sample data as the annotator sees it: `oidcwatch classify --json` of `examples/`
 * (the same command `npm start` runs), and a fake-GitHub world in which a failing job of it ran:
 * the repository, the app installed on its owner, a workflow run and job whose credentials step
 * failed while the calls were made, and the workflow file at that commit.
 */
import { main } from '../../src/cli/main.js';
import type { FailingJob } from '../../src/domain/annotate/failing-jobs.js';
import { readResultLine } from '../../src/domain/annotate/result-line.js';
import type { Diagnosis } from '../../src/domain/types.js';
import type { FakeGitHub } from './fake-github/server.js';
import type { FakeRepository, FakeRun } from './fake-github/world.js';
import { fakeIo } from './fake-io.js';

/** The sample data's `classify --json` lines. */
export async function sampleLines(): Promise<string[]> {
  const io = fakeIo();
  const code = await main(
    [
      'classify',
      'examples/events',
      '--iam-snapshot',
      'examples/iam-snapshot.json',
      '--changes',
      'examples/changes',
      '--json',
    ],
    io
  );
  if (code !== 0) throw new Error(`classify of the sample data exited ${code}: ${io.err()}`);
  return io
    .out()
    .split('\n')
    .filter((l) => l.trim() !== '');
}

/** The sample data's diagnoses (remedies kept). */
export async function sampleDiagnoses(): Promise<Diagnosis[]> {
  return (await sampleLines()).flatMap((l) => {
    const r = readResultLine(JSON.parse(l));
    return r.ok ? [r.diagnosis] : [];
  });
}

/** A workflow file that assumes `roleArn` the way most repositories do. */
export function workflowFile(roleArn: string, environment: string | null = null): string {
  return [
    'name: Deploy',
    'on:',
    '  push:',
    "    branches: [main, 'feature/**']",
    '  pull_request:',
    'permissions:',
    '  id-token: write',
    '  contents: read',
    'jobs:',
    '  deploy:',
    '    runs-on: ubuntu-latest',
    ...(environment === null ? [] : [`    environment: ${environment}`]),
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - name: Configure AWS credentials',
    '        uses: aws-actions/configure-aws-credentials@v4',
    '        with:',
    `          role-to-assume: ${roleArn}`,
    '          aws-region: us-east-1',
    '      - run: ./scripts/deploy.sh',
    '',
  ].join('\n');
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** What {@link seedRunOf} made. */
export interface SeededRun {
  readonly repository: FakeRepository;
  readonly run: FakeRun;
  readonly headSha: string;
}

/**
 * Puts into `gh`'s world the run of a failing job: its repository (with the ids of an immutable
 * subject), the app installed on the owner, a run of the job's branch created 90 s before the
 * first call, a `deploy` job whose "Configure AWS credentials" step failed over the calls, and the
 * workflow file at the run's commit.
 */
export function seedRunOf(gh: FakeGitHub, job: FailingJob, headSha: string): SeededRun {
  const d = job.diagnosis;
  const [ownerLogin, name] = (d.repository ?? 'acme-corp/unknown').split('/') as [string, string];
  const ids = d.sub?.match(/^repo:[^@/]+@(\d+)\/[^@:]+@(\d+):/);
  const world = gh.world;
  const owner =
    world.accounts.find((a) => a.login === ownerLogin) ??
    world.addAccount(ownerLogin, ids ? { id: Number(ids[1]) } : {});
  if (!world.installations.some((i) => i.account.id === owner.id)) world.install(owner);
  const repository =
    world.repositoryByName(ownerLogin, name) ??
    world.addRepository(owner, name, ids ? { id: Number(ids[2]) } : {});
  const first = job.firstCallMs ?? Date.parse(d.eventTime ?? '');
  const last = job.lastCallMs ?? first;
  const ref = d.sub?.match(/:ref:refs\/(?:heads|tags)\/(.+)$/)?.[1] ?? repository.defaultBranch;
  const pr = d.sub?.endsWith(':pull_request') ?? false;
  const environment = d.sub?.match(/:environment:([^:]+)/)?.[1] ?? null;
  const run = world.addRun(repository, {
    headSha,
    headBranch: ref,
    event: pr ? 'pull_request' : 'push',
    createdAt: iso(first - 90_000),
    updatedAt: iso(last + 8_000),
    pullRequests: pr ? [128] : [],
  });
  world.addJob(run, {
    name: 'deploy',
    startedAt: iso(first - 80_000),
    completedAt: iso(last + 4_000),
    steps: [
      {
        name: 'Set up job',
        status: 'completed',
        conclusion: 'success',
        startedAt: iso(first - 80_000),
        completedAt: iso(first - 78_000),
      },
      {
        name: 'Run actions/checkout@v4',
        status: 'completed',
        conclusion: 'success',
        startedAt: iso(first - 78_000),
        completedAt: iso(first - 2_000),
      },
      {
        name: 'Configure AWS credentials',
        status: 'completed',
        conclusion: 'failure',
        startedAt: iso(first - 1_000),
        completedAt: iso(last + 2_000),
      },
      {
        name: 'Run ./scripts/deploy.sh',
        status: 'completed',
        conclusion: 'skipped',
        startedAt: null,
        completedAt: null,
      },
    ],
  });
  world.addFile(
    repository,
    headSha,
    '.github/workflows/deploy.yml',
    workflowFile(d.roleArn ?? '${{ vars.ROLE }}', environment)
  );
  return { repository, run, headSha };
}
