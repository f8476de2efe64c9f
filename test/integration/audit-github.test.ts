/**
 * `oidcwatch audit --github` against the local GitHub fake (GitHub's REST API on loopback, its
 * answers checked against GitHub's OpenAPI description): the sample data's renamed and deleted
 * repositories, transfers, immutable subjects, an owner that no longer exists, what a token can
 * and cannot tell, one request per repository per run, and a rate limit that leaves the rest of
 * the audit standing; and `policy --immutable` taking its ids from GitHub.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/audit.js';
import { run as policy } from '../../src/cli/commands/policy.js';
import type { AuditFinding } from '../../src/domain/audit/audit-types.js';
import { seedSampleGitHub } from '../fixtures/github/sample-github.js';
import {
  type FakeGitHub,
  primaryRateLimitAnswer,
  startFakeGitHub,
} from '../helpers/fake-github/server.js';
import { fakeIo } from '../helpers/fake-io.js';
import { AUD_KEY, SUB_KEY, trustPolicy, webIdentityStatement } from '../helpers/iam-view.js';

let dir = '';
let keyFile = '';
let fake: FakeGitHub;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-audit-github-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fake = await startFakeGitHub();
  keyFile = join(dir, 'app.pem');
  await writeFile(keyFile, fake.app.privateKey);
});
afterEach(async () => {
  await fake.close();
});

const APP_ENV = () => ({
  GITHUB_API_URL: fake.url,
  OIDCWATCH_GITHUB_APP_ID: String(fake.app.id),
  OIDCWATCH_GITHUB_PRIVATE_KEY_FILE: keyFile,
});

async function audit(
  snapshot: string,
  env: Record<string, string>,
  ...extra: string[]
): Promise<{ code: number; findings: AuditFinding[]; err: string; out: string }> {
  const io = fakeIo({ env });
  const code = await run(['--iam-snapshot', snapshot, '--github', ...extra], io);
  const out = io.out();
  const findings = extra.includes('--json')
    ? out
        .trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as AuditFinding)
    : [];
  return { code, findings, err: io.err(), out };
}

function github(findings: readonly AuditFinding[]): string[] {
  return findings
    .filter((f) => f.code.startsWith('REPOSITORY_'))
    .map(
      (f) =>
        `${f.roleArn?.split(':role/')[1]} ${f.code}${f.detail ? `/${f.detail}` : ''} ${f.severity}`
    );
}

/** A snapshot of one account whose roles trust the GitHub provider with these sub values. */
async function snapshotOf(roles: Record<string, string | string[]>): Promise<string> {
  const account = '111122223333';
  const provider = `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`;
  const file = join(dir, `snapshot-${Object.keys(roles).join('-')}.json`);
  await writeFile(
    file,
    JSON.stringify({
      accounts: {
        [account]: {
          roles: Object.entries(roles).map(([name, sub]) => ({
            arn: `arn:aws:iam::${account}:role/${name}`,
            trustPolicy: trustPolicy(
              webIdentityStatement({
                condition: { StringEquals: { [AUD_KEY]: 'sts.amazonaws.com', [SUB_KEY]: sub } },
              })
            ),
          })),
          oidcProviders: [
            {
              arn: provider,
              url: 'token.actions.githubusercontent.com',
              clientIds: ['sts.amazonaws.com'],
              thumbprints: [],
            },
          ],
        },
      },
    })
  );
  return file;
}

describe('audit --github on the sample data', () => {
  it('names the renamed and the deleted repository, with the fix, beside the IAM findings', async () => {
    // Prepare
    seedSampleGitHub(fake.world);

    // Act
    const { code, findings, err } = await audit('examples/iam-snapshot.json', APP_ENV(), '--json');

    // Assess
    expect(code).toBe(0);
    expect(github(findings)).toEqual([
      'billing-v1-deploy REPOSITORY_NOT_FOUND/DELETED medium',
      'reporting-deploy REPOSITORY_RENAMED medium',
    ]);
    const renamed = findings.find((f) => f.code === 'REPOSITORY_RENAMED');
    expect(renamed?.fix).toBe(
      'Write "repo:acme-corp/insights:environment:production". GitHub issues immutable subjects (OWNER@ID/NAME@ID) to repositories renamed or transferred after 15 July 2026: if the job\'s sub has that form, write "repo:acme-corp@41235811/insights@2000100:environment:production" instead.'
    );
    const deleted = findings.find(
      (f) => f.code === 'REPOSITORY_NOT_FOUND' && f.detail === 'DELETED'
    );
    expect(deleted?.message).toBe(
      'token.actions.githubusercontent.com:sub StringEquals "repo:acme-corp/billing-v1:ref:refs/heads/main" names acme-corp/billing-v1, which does not exist on GitHub (the GitHub App\'s installation on acme-corp sees all its repositories).'
    );
    expect(findings.filter((f) => !f.code.startsWith('REPOSITORY_'))).toHaveLength(17);
    expect(err).toBe(
      `oidcwatch: github: 28 repositories named by 31 roles looked up on ${fake.url} (GitHub App ${fake.app.id}, issuer token.actions.githubusercontent.com); 6 values with a wildcard owner or name not looked up (1 owner, 5 name); 1 value of issuer github.acme-internal.example/_services/token not looked up (another GitHub)\n`
    );
    expect(fake.violations).toEqual([]);
  });

  it('asks GitHub once per repository, however many roles name it', async () => {
    // Prepare
    seedSampleGitHub(fake.world);

    // Act
    await audit('examples/iam-snapshot.json', APP_ENV(), '--json');

    // Assess
    const asked = (path: string) => fake.requests.filter((r) => r.url === path).length;
    expect(asked('/repos/acme-corp/payments-api')).toBe(1);
    expect(asked('/repos/acme-corp/web')).toBe(1);
    expect(asked('/app/installations?per_page=100&page=1')).toBe(1);
  });

  it('prints the findings in the text report under their roles', async () => {
    // Prepare
    seedSampleGitHub(fake.world);

    // Act
    const { out } = await audit('examples/iam-snapshot.json', { ...APP_ENV(), NO_COLOR: '1' });

    // Assess
    expect(out).toContain('  role reporting-deploy\n    medium  REPOSITORY_RENAMED');
    expect(out).toMatch(/19 findings: 4 high, 12 medium, 1 low, 2 info/);
  });
});

describe('audit --github: docs/trust-policies.md', () => {
  it('shows lines of the real output on the sample data, in order', async () => {
    // Prepare
    seedSampleGitHub(fake.world);
    const doc = await readFile('docs/trust-policies.md', 'utf8');
    const command = '$ oidcwatch audit --iam-snapshot examples/iam-snapshot.json --github\n';
    const start = doc.indexOf(command) + command.length;
    const shown = doc
      .slice(start, doc.indexOf('```', start))
      .split('\n')
      .filter((l) => l !== '' && l !== '…');

    // Act
    const { out, err } = await audit('examples/iam-snapshot.json', { ...APP_ENV(), NO_COLOR: '1' });
    const lines = `${out}${err.replace(fake.url, 'http://127.0.0.1:PORT')}`.split('\n');

    // Assess
    expect(doc).toContain(command);
    expect(shown.length).toBeGreaterThan(10);
    let at = 0;
    for (const line of shown) {
      const found = lines.indexOf(line, at);
      expect(found, line).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});

describe('audit --github: what GitHub answers', () => {
  it('reports a transfer with the new owner (or that it left, when the app cannot follow), and a repository whose owner no longer exists', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp');
    const docs = fake.world.addAccount('acme-docs');
    const vendor = fake.world.addAccount('vendor-co');
    const site = fake.world.addRepository(acme, 'site');
    const sdk = fake.world.addRepository(acme, 'sdk', { id: 4242 });
    fake.world.transfer(site, docs);
    fake.world.transfer(sdk, vendor);
    fake.world.install(acme);
    fake.world.install(docs);
    const snapshot = await snapshotOf({
      'site-deploy': 'repo:acme-corp/site:ref:refs/heads/main',
      'sdk-release': 'repo:acme-corp/sdk:ref:refs/tags/v1',
      'old-deploy': 'repo:acme-old/api:ref:refs/heads/main',
    });

    // Act
    const { findings } = await audit(snapshot, APP_ENV(), '--json');

    // Assess
    expect(github(findings)).toEqual([
      'old-deploy REPOSITORY_NOT_FOUND/OWNER_NOT_FOUND high',
      'sdk-release REPOSITORY_TRANSFERRED/DESTINATION_NOT_VISIBLE medium',
      'site-deploy REPOSITORY_TRANSFERRED medium',
    ]);
    expect(findings.find((f) => f.detail === 'DESTINATION_NOT_VISIBLE')?.message).toBe(
      'token.actions.githubusercontent.com:sub StringEquals "repo:acme-corp/sdk:ref:refs/tags/v1" names acme-corp/sdk, which GitHub redirects to repository id 4242: it was transferred to another owner, and these credentials cannot see where (the GitHub App\'s installation on acme-corp sees all its repositories). GitHub writes the new name in the sub, so this value no longer matches its jobs.'
    );
    expect(findings.find((f) => f.roleArn?.endsWith('/site-deploy'))?.fix).toMatch(
      /^Write "repo:acme-docs\/site:ref:refs\/heads\/main"\./
    );
    expect(fake.violations).toEqual([]);
  });

  it('checks immutable subjects by id: renamed, and deleted with the name used again', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp', { id: 100 });
    const api = fake.world.addRepository(acme, 'api', { id: 700 });
    fake.world.rename(api, 'api-v2');
    fake.world.deleteRepository(fake.world.addRepository(acme, 'web', { id: 701 }));
    fake.world.addRepository(acme, 'web', { id: 955 });
    fake.world.install(acme);
    const snapshot = await snapshotOf({
      'api-deploy': 'repo:acme-corp@100/api@700:environment:production',
      'web-deploy': 'repo:acme-corp@100/web@701:environment:production',
    });

    // Act
    const { findings } = await audit(snapshot, APP_ENV(), '--json');

    // Assess
    expect(findings.map((f) => [f.code, f.fix])).toEqual([
      ['REPOSITORY_RENAMED', 'Write "repo:acme-corp@100/api-v2@700:environment:production".'],
      [
        'REPOSITORY_ID_MISMATCH',
        'If the new acme-corp/web should assume the role, write "repo:acme-corp@100/web@955:environment:production"; otherwise remove "repo:acme-corp@100/web@701:environment:production".',
      ],
    ]);
    expect(fake.violations).toEqual([]);
  });

  it('with a token, says a missing repository is deleted or not visible: GitHub answers 404 for both', async () => {
    // Prepare
    const sample = seedSampleGitHub(fake.world);
    fake.addToken('github_pat_test', [...sample.repositories.values(), sample.reporting]);

    // Act
    const { findings } = await audit(
      'examples/iam-snapshot.json',
      { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'github_pat_test' },
      '--json'
    );

    // Assess
    expect(github(findings)).toEqual([
      'billing-v1-deploy REPOSITORY_NOT_FOUND/NOT_VISIBLE low',
      'reporting-deploy REPOSITORY_RENAMED medium',
    ]);
    expect(findings.find((f) => f.roleArn?.endsWith('/billing-v1-deploy'))?.message).toContain(
      '(a token sees public repositories and those it was granted)'
    );
  });
});

describe('audit --github: rate limits', () => {
  it('stops asking once GitHub says the limit is spent, reports those repositories unchecked, and finishes the audit', async () => {
    // Prepare
    seedSampleGitHub(fake.world);
    const reset = Math.floor(Date.now() / 1000) + 3600;
    fake.script({
      ...primaryRateLimitAnswer(reset),
      when: (r) => r.route === 'GET /repos/{owner}/{repo}',
      times: 1000,
    });

    // Act
    const { code, findings } = await audit('examples/iam-snapshot.json', APP_ENV(), '--json');

    // Assess
    expect(code).toBe(0);
    const unchecked = findings.filter((f) => f.code === 'REPOSITORY_UNCHECKED');
    expect(new Set(unchecked.map((f) => f.detail))).toEqual(new Set(['RATE_LIMITED']));
    expect(unchecked).toHaveLength(32);
    expect(findings.filter((f) => !f.code.startsWith('REPOSITORY_'))).toHaveLength(17);
    const asked = fake.requests.filter((r) => r.route === 'GET /repos/{owner}/{repo}').length;
    expect(asked).toBeLessThanOrEqual(4);
  });
});

describe('audit --github: usage', () => {
  it("refuses half of the app's credentials, naming what is missing", async () => {
    // Act
    const { code, err } = await audit('examples/iam-snapshot.json', {
      GITHUB_API_URL: fake.url,
      OIDCWATCH_GITHUB_APP_ID: '123',
    });

    // Assess
    expect(code).toBe(1);
    expect(err).toBe(
      'oidcwatch audit: a GitHub App needs both OIDCWATCH_GITHUB_APP_ID and OIDCWATCH_GITHUB_PRIVATE_KEY_FILE\n'
    );
  });
});

describe('policy --immutable: the ids from GitHub', () => {
  it('writes the immutable subject with the ids and spelling GitHub has', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp', { id: 1_000_100 });
    const api = fake.world.addRepository(acme, 'api', { id: 2_000_006 });
    fake.addToken('github_pat_ids', [api]);
    const io = fakeIo({ env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'github_pat_ids' } });

    // Act
    const code = await policy(
      [
        '--repo',
        'acme-corp/api',
        '--environment',
        'production',
        '--immutable',
        '--account',
        '111122223333',
      ],
      io
    );

    // Assess
    expect(code).toBe(0);
    const document = JSON.parse(io.out()) as {
      Statement: { Condition: { StringEquals: Record<string, string> } }[];
    };
    expect(document.Statement[0]?.Condition.StringEquals[SUB_KEY]).toBe(
      'repo:acme-corp@1000100/api@2000006:environment:production'
    );
    expect(io.err()).toContain('denies  acme-corp/api deleted and created again (new id)');
  });

  it('refuses a name GitHub redirects: the policy is written for the repository as it is called now', async () => {
    // Prepare
    const acme = fake.world.addAccount('acme-corp');
    const reporting = fake.world.addRepository(acme, 'reporting');
    fake.world.rename(reporting, 'insights');
    fake.addToken('github_pat_ids', [reporting]);
    const io = fakeIo({ env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'github_pat_ids' } });

    // Act
    const code = await policy(
      [
        '--repo',
        'acme-corp/reporting',
        '--environment',
        'production',
        '--immutable',
        '--account',
        '111122223333',
      ],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      'oidcwatch policy: --repo "acme-corp/reporting": acme-corp/reporting is now acme-corp/insights on GitHub (renamed or transferred): name the repository as it is called now\n'
    );
  });
});
