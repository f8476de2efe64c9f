/**
 * `oidcwatch classify` (README, "Conventions") run through its command module with an in-memory `CliIo`:
 * text output (one aligned entry per record, retries folded, per-repository summary, colour only
 * on a terminal), `--json` (JSON Lines with the contract fields), stdin and gzip inputs; and the
 * built executable (`dist/oidcwatch.js`) as a real process.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInputs } from '../../../src/adapters/input/read-inputs.js';
import { run } from '../../../src/cli/commands/classify.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import {
  type CloudTrailRecord,
  consoleLoginRecord,
  eventBridgeEnvelope,
  failedWebIdentityRecord,
  providerArn,
  successWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';
import {
  githubProvider,
  githubTrustPolicy,
  role,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';
import { runOidcwatch } from '../../helpers/run-oidcwatch.js';

const EKS = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const ANSI = '\u001b[';

let dir = '';
let snapshot = '';

/** The twelve attempts of one denied job, spaced like configure-aws-credentials' backoff. */
function retries(sub: string, roleName: string, start: string): CloudTrailRecord[] {
  const t0 = Date.parse(start);
  return [0, 0.1, 0.3, 0.7, 1.4, 2.6, 4.2, 6.1, 14, 31, 62, 101].map((o) =>
    failedWebIdentityRecord({
      sub,
      role: roleName,
      time: new Date(t0 + o * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    })
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-classify-cli-'));
  snapshot = join(dir, 'iam-snapshot.json');
  await writeFile(
    snapshot,
    JSON.stringify({
      accounts: {
        '111122223333': {
          roles: [
            role(
              'payments-deploy',
              githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main')
            ),
            role(
              'billing-deploy',
              githubTrustPolicy('repo:acme-corp/billing-service:*', { operator: 'StringLike' })
            ),
            role(
              'modules-ci',
              githubTrustPolicy(
                'repo:terraform-aws-modules/terraform-aws-iam-github-oidc:ref:refs/heads/master'
              )
            ),
            role(
              'eks-external-dns',
              trustPolicy(
                webIdentityStatement({
                  provider: providerArn('111122223333', EKS),
                  condition: {
                    StringEquals: {
                      [`${EKS}:sub`]: 'system:serviceaccount:kube-system:external-dns',
                    },
                  },
                })
              )
            ),
          ],
          oidcProviders: [
            githubProvider(),
            {
              arn: providerArn('111122223333', EKS),
              url: EKS,
              clientIds: ['sts.amazonaws.com'],
              thumbprints: [],
            },
          ],
        },
      },
    })
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeRecords(name: string, records: readonly unknown[]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return file;
}

/** The header line of each entry: the text before the summary, without indented lines. */
function entries(out: string): string[] {
  const body = out.slice(0, out.indexOf('\nSummary\n'));
  return body.split('\n').filter((l) => l !== '' && !l.startsWith(' '));
}

function linesOf(out: string): Diagnosis[] {
  return out
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Diagnosis);
}

const MIXED: CloudTrailRecord[] = [
  successWebIdentityRecord({
    sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
    role: 'payments-deploy',
    time: '2026-11-27T14:00:05Z',
  }),
  failedWebIdentityRecord({
    sub: 'repo:acme-corp/payments-api:environment:production',
    role: 'payments-deploy',
    time: '2026-11-27T14:03:12Z',
  }),
  failedWebIdentityRecord({
    sub: 'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main',
    role: 'billing-deploy',
    region: 'eu-central-1',
    time: '2026-11-27T14:09:13Z',
  }),
  failedWebIdentityRecord({
    sub: 'repo:terraform-aws-modules/terraform-aws-iam-github-oidc:pull_request',
    role: 'modules-ci',
    time: '2026-11-27T14:10:00Z',
  }),
  failedWebIdentityRecord({
    sub: 'system:serviceaccount:kube-system:external-dns-v2',
    issuerUrl: EKS,
    role: 'eks-external-dns',
    region: 'ap-southeast-1',
    time: '2026-11-27T14:33:02Z',
  }),
  failedWebIdentityRecord({
    sub: 'repo:acme-corp/reports:ref:refs/heads/main',
    role: 'payments-deploy',
    time: '2026-11-27T14:21:37Z',
    errorCode: 'ValidationError',
    errorMessage: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    durationSeconds: 7200,
  }),
  consoleLoginRecord(),
];

describe('oidcwatch classify: text', () => {
  it('prints one entry per record with the cause codes aligned in one column', async () => {
    // Prepare
    const file = await writeRecords('mixed.jsonl', MIXED);
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshot], io);

    // Assess
    expect(code).toBe(0);
    const heads = entries(io.out());
    expect(heads).toHaveLength(MIXED.length);
    const causes = [
      'SUCCESS',
      'SUB_MISMATCH/ENVIRONMENT_FORM',
      'SUB_MISMATCH/IMMUTABLE_FORMAT',
      'SUB_MISMATCH/PULL_REQUEST',
      'SUB_MISMATCH/OTHER',
      'INVALID_REQUEST/DURATION_EXCEEDS_MAX_SESSION',
      'IGNORED',
    ];
    // Entries come in event-time order: find each cause's entry wherever it is.
    const columns = causes.map((cause) => {
      const line = heads.find((h) => h.includes(` ${cause} `)) ?? '';
      return line.indexOf(` ${cause} `) + 1;
    });
    expect(columns.every((c) => c > 0)).toBe(true);
    expect(new Set(columns).size).toBe(1);
  });

  it('prints the explanation and fix under a failure, and none under a success', async () => {
    // Prepare
    const file = await writeRecords('two.jsonl', MIXED.slice(0, 2));
    const io = fakeIo();

    // Act
    await run([file, '--iam-snapshot', snapshot, '--no-summary'], io);

    // Assess
    const lines = io.out().split('\n');
    expect(lines[0]).toMatch(
      /^2026-11-27 14:00:05Z\s+111122223333 us-east-1\s+acme-corp\/payments-api\s+SUCCESS\s+role\/payments-deploy$/
    );
    expect(lines[1]).toMatch(
      /^2026-11-27 14:03:12Z\s+111122223333 us-east-1\s+acme-corp\/payments-api\s+SUB_MISMATCH\/ENVIRONMENT_FORM\s+role\/payments-deploy$/
    );
    expect(lines[2]).toMatch(
      /^ {4}The trust policy of arn:aws:iam::111122223333:role\/payments-deploy allows/
    );
    expect(lines[3]).toBe(
      '    fix: Add "repo:acme-corp/payments-api:environment:production" to StringEquals["token.actions.githubusercontent.com:sub"] in statement "GitHubActions": the job declares `environment: production`, so its sub names the environment instead of the ref.'
    );
    expect(io.out()).not.toContain('Summary');
  });

  it('folds the retries of one job into one entry with "… and N more"', async () => {
    // Prepare
    const file = await writeRecords('burst.jsonl', [
      ...retries(
        'repo:acme-corp/payments-api:environment:production',
        'payments-deploy',
        '2026-11-27T14:03:12Z'
      ),
      failedWebIdentityRecord({
        sub: 'repo:acme-corp/payments-api:ref:refs/heads/dev',
        role: 'payments-deploy',
        time: '2026-11-27T14:06:00Z',
      }),
    ]);
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshot], io);

    // Assess
    expect(code).toBe(0);
    const heads = entries(io.out());
    expect(heads).toHaveLength(2);
    expect(io.out()).toContain(
      '    … and 11 more with the same role, sub and cause until 2026-11-27 14:04:53Z (retries)\n'
    );
    expect(io.out()).toMatch(
      /13 records: 13 failures in 2 failing jobs, 0 successes, 0 ignored, 0 malformed/
    );
  });

  it('ends with a per-repository summary of failures, failing jobs and the main cause', async () => {
    // Prepare
    const file = await writeRecords('summary.jsonl', [
      ...retries(
        'repo:acme-corp/payments-api:environment:production',
        'payments-deploy',
        '2026-11-27T14:03:12Z'
      ),
      ...MIXED,
    ]);
    const io = fakeIo();

    // Act
    await run([file, '--iam-snapshot', snapshot], io);

    // Assess
    const summary = io.out().slice(io.out().indexOf('\nSummary\n'));
    expect(summary).toContain(
      '19 records: 17 failures in 5 failing jobs, 1 success, 1 ignored, 0 malformed'
    );
    expect(summary).toMatch(/^\s+REPOSITORY\s+FAILURES\s+JOBS\s+MAIN CAUSE\s+ROLES$/m);
    expect(summary).toMatch(
      /^\s+acme-corp\/payments-api\s+13\s+1\s+SUB_MISMATCH\/ENVIRONMENT_FORM\s+payments-deploy$/m
    );
    expect(summary).toMatch(
      /^\s+acme-corp\/billing-service\s+1\s+1\s+SUB_MISMATCH\/IMMUTABLE_FORMAT\s+billing-deploy$/m
    );
  });

  it('prints no colour codes when stdout is not a terminal', async () => {
    // Prepare
    const file = await writeRecords('plain.jsonl', MIXED);
    const io = fakeIo();

    // Act
    await run([file, '--iam-snapshot', snapshot], io);

    // Assess
    expect(io.out()).not.toContain(ANSI);
  });

  it('colours the causes on a terminal', async () => {
    // Prepare
    const file = await writeRecords('tty.jsonl', MIXED.slice(0, 2));
    const io = fakeIo({ isTTY: true });

    // Act
    await run([file, '--iam-snapshot', snapshot], io);

    // Assess
    expect(io.out()).toContain('\u001b[32mSUCCESS');
    expect(io.out()).toContain('\u001b[31mSUB_MISMATCH/ENVIRONMENT_FORM');
  });

  it('honours NO_COLOR on a terminal', async () => {
    // Prepare
    const file = await writeRecords('no-color.jsonl', MIXED.slice(0, 2));
    const io = fakeIo({ isTTY: true, env: { NO_COLOR: '1' } });

    // Act
    await run([file, '--iam-snapshot', snapshot], io);

    // Assess
    expect(io.out()).not.toContain(ANSI);
  });
});

describe('oidcwatch classify --json', () => {
  it('prints one JSON line per record carrying the contract fields of the README ("classify")', async () => {
    // Prepare
    const file = await writeRecords('json.jsonl', MIXED);
    const io = fakeIo();

    // Act
    const code = await run([file, '--iam-snapshot', snapshot, '--json'], io);

    // Assess
    expect(code).toBe(0);
    const lines = linesOf(io.out());
    expect(lines).toHaveLength(MIXED.length);
    for (const d of lines)
      for (const key of [
        'eventId',
        'eventTime',
        'account',
        'region',
        'roleArn',
        'provider',
        'aud',
        'sub',
        'repository',
        'cause',
        'detail',
        'explanation',
        'fix',
        'findings',
        'candidates',
      ])
        expect(d).toHaveProperty(key);
    expect(lines[1]).toMatchObject({
      eventTime: '2026-11-27T14:03:12Z',
      account: '111122223333',
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::111122223333:role/payments-deploy',
      provider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      aud: 'sts.amazonaws.com',
      sub: 'repo:acme-corp/payments-api:environment:production',
      repository: 'acme-corp/payments-api',
      cause: 'SUB_MISMATCH',
      detail: 'ENVIRONMENT_FORM',
      findings: [],
      candidates: [],
    });
    expect(io.out()).not.toContain('Summary');
  });

  it('strips the ids of an immutable subject from repository, and gives null when the sub names none', async () => {
    // Prepare
    const file = await writeRecords('repos.jsonl', MIXED);
    const io = fakeIo();

    // Act
    await run([file, '--iam-snapshot', snapshot, '--json'], io);

    // Assess
    const lines = linesOf(io.out());
    expect(lines[2]?.sub).toBe(
      'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main'
    );
    expect(lines[2]?.repository).toBe('acme-corp/billing-service');
    expect(lines[4]?.repository).toBeNull();
    expect(lines[6]?.repository).toBeNull();
  });

  it('prints no trace unless asked, and the trace with --trace', async () => {
    // Prepare
    const file = await writeRecords('trace.jsonl', MIXED.slice(1, 2));
    const plain = fakeIo();
    const traced = fakeIo();

    // Act
    await run([file, '--iam-snapshot', snapshot, '--json'], plain);
    await run([file, '--iam-snapshot', snapshot, '--json', '--trace'], traced);

    // Assess
    expect(linesOf(plain.out())[0]).not.toHaveProperty('trace');
    expect(linesOf(traced.out())[0]?.trace?.decision).toBe('implicit-deny');
  });
});

describe('oidcwatch classify: inputs', () => {
  it('reads stdin for "-"', async () => {
    // Prepare
    const io = fakeIo({
      stdin: MIXED.slice(0, 3)
        .map((r) => JSON.stringify(r))
        .join('\n'),
    });

    // Act
    const code = await run(['-', '--iam-snapshot', snapshot, '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect(linesOf(io.out()).map((d) => d.cause)).toEqual([
      'SUCCESS',
      'SUB_MISMATCH',
      'SUB_MISMATCH',
    ]);
  });

  it('reads a gzipped CloudTrail log file of EventBridge-free records, and gzip on stdin', async () => {
    // Prepare
    const body = gzipSync(JSON.stringify({ Records: MIXED.slice(0, 3) }));
    const file = join(dir, '111122223333_CloudTrail_us-east-1_20261127T1435Z_test.json.gz');
    await writeFile(file, body);
    const fromFile = fakeIo();
    const fromStdin = fakeIo({ stdin: body });

    // Act
    const fileCode = await run([file, '--iam-snapshot', snapshot, '--json'], fromFile);
    const stdinCode = await run(['--iam-snapshot', snapshot, '--json'], fromStdin);

    // Assess
    expect([fileCode, stdinCode]).toEqual([0, 0]);
    expect(linesOf(fromFile.out()).map((d) => d.detail)).toEqual([
      null,
      'ENVIRONMENT_FORM',
      'IMMUTABLE_FORMAT',
    ]);
    expect(linesOf(fromStdin.out())).toEqual(linesOf(fromFile.out()));
  });

  it('reads EventBridge envelopes in a JSON array', async () => {
    // Prepare
    const file = join(dir, 'envelopes.json');
    await writeFile(file, JSON.stringify(MIXED.slice(0, 2).map(eventBridgeEnvelope)));
    const io = fakeIo();

    // Act
    await run([file, '--iam-snapshot', snapshot, '--json'], io);

    // Assess
    expect(linesOf(io.out()).map((d) => d.cause)).toEqual(['SUCCESS', 'SUB_MISMATCH']);
  });

  it('rejects an unknown option with exit 1 naming it', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshots', snapshot], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(
      'oidcwatch classify: unknown option --iam-snapshots (did you mean --iam-snapshot?); run "oidcwatch classify --help" for its options\n'
    );
  });
});

describe('the built oidcwatch executable', () => {
  it('classifies examples/ as a real process: exit 0 and one JSON line per record', async () => {
    // Prepare
    let records = 0;
    for await (const item of readInputs(['examples/events']))
      if (item.kind !== 'unreadable') records++;

    // Act
    const { code, stdout, stderr } = await runOidcwatch([
      'classify',
      'examples/events',
      '--iam-snapshot',
      'examples/iam-snapshot.json',
      '--json',
    ]);

    // Assess
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l !== '');
    expect(records).toBe(85);
    expect(lines).toHaveLength(records);
    expect(lines.every((l) => typeof (JSON.parse(l) as Diagnosis).cause === 'string')).toBe(true);
  });
});
