/**
 * `oidcwatch annotate` on the sample data's `classify --json` output, against the local GitHub
 * fake: the failing job whose run exists gets exactly one check run carrying its cause,
 * explanation and remedy; every other failing job is accounted for (unmatched, not installed, not
 * applicable) with its reason; `--dry-run` posts nothing; a second run posts nothing again; and
 * arguments are checked with messages that name them.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { groupFailingJobs } from '../../src/domain/annotate/failing-jobs.js';
import type { Diagnosis } from '../../src/domain/types.js';
import { type FakeGitHub, startFakeGitHub } from '../helpers/fake-github/server.js';
import { fakeIo } from '../helpers/fake-io.js';
import { sampleDiagnoses, sampleLines, seedRunOf } from '../helpers/sample-run.js';

const SHA = '3f9c2e1a7b5d4c6e8f0a1b2c3d4e5f6a7b8c9d0e';
let input = '';
let diagnoses: Diagnosis[];
let dir = '';
let gh: FakeGitHub | null = null;

beforeAll(async () => {
  input = `${(await sampleLines()).join('\n')}\n`;
  diagnoses = await sampleDiagnoses();
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-annotate-'));
});

afterEach(async () => {
  await gh?.close();
  gh = null;
});

/** The fake with the sample's payments-api branch failure having run, and the app's key file. */
async function world(): Promise<{ gh: FakeGitHub; keyFile: string }> {
  gh = await startFakeGitHub();
  const job = groupFailingJobs(diagnoses).find(
    (j) => j.diagnosis.repository === 'acme-corp/payments-api' && j.diagnosis.detail === 'BRANCH'
  );
  if (job === undefined) throw new Error('no payments-api branch failure in the sample data');
  seedRunOf(gh, job, SHA);
  const keyFile = join(dir, `app-${gh.app.id}.pem`);
  await writeFile(keyFile, gh.app.privateKey);
  return { gh, keyFile };
}

function appEnv(fake: FakeGitHub, keyFile: string): Record<string, string> {
  return {
    GITHUB_API_URL: fake.url,
    OIDCWATCH_GITHUB_APP_ID: String(fake.app.id),
    OIDCWATCH_GITHUB_PRIVATE_KEY_FILE: keyFile,
  };
}

describe('oidcwatch annotate', () => {
  it('posts exactly one check run, on the sample job that ran, with its cause, explanation and remedy', async () => {
    // Prepare
    const { gh: fake, keyFile } = await world();
    const io = fakeIo({ stdin: input, env: appEnv(fake, keyFile) });

    // Act
    const code = await main(['annotate', '-'], io);

    // Assess
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const posted = fake.world.checkRuns;
    expect(posted).toHaveLength(1);
    const request = posted[0]?.request as {
      name: string;
      head_sha: string;
      conclusion: string;
      output: { title: string; summary: string; text: string };
    };
    const d = diagnoses.find(
      (x) => x.repository === 'acme-corp/payments-api' && x.detail === 'BRANCH'
    );
    expect(request).toMatchObject({
      name: 'AWS role assumption (oidcwatch)',
      head_sha: SHA,
      conclusion: 'failure',
    });
    expect(request.output.summary).toContain('`SUB_MISMATCH` · `BRANCH`');
    expect(request.output.summary).toContain('a branch the policy does not list');
    // The remedy when the line carries one (its summary, and the diff of a policy change), else
    // the fix sentence.
    expect(request.output.summary).toContain(
      `**Fix:** ${(d?.remedy?.summary ?? d?.fix ?? '').replace(/([\\*_[\]<>|~])/g, '\\$1')}`
    );
    if (d?.remedy?.kind === 'trust-policy') expect(request.output.text).toContain('```diff');
    expect(d?.fix).not.toBeNull();
    expect(io.out()).toMatch(
      /acme-corp\/payments-api\s+SUB_MISMATCH\/BRANCH\s+\(1 attempt\)\n {4}run: {4}acme-corp\/payments-api run \d+, job "deploy" on 3f9c2e1/
    );
    expect(io.out()).toMatch(
      /\n {4}posted {2}https:\/\/github\.com\/acme-corp\/payments-api\/runs\/\d+/
    );
    expect(io.out()).toMatch(
      /not installed: the GitHub App is not installed on someone-else\/fork|not annotated: /
    );
    expect(io.out()).toMatch(
      /\n\d+ failing jobs: 1 posted, \d+ unmatched, \d+ not installed, \d+ not applicable\n$/
    );
    expect(fake.violations).toEqual([]);
  });

  it('posts nothing with --dry-run, and shows the run each job maps to and what would be posted', async () => {
    // Prepare
    const { gh: fake, keyFile } = await world();
    const io = fakeIo({ stdin: input, env: appEnv(fake, keyFile) });

    // Act
    const code = await main(['annotate', '--dry-run'], io);

    // Assess
    expect(code).toBe(0);
    expect(fake.world.checkRuns).toEqual([]);
    expect(
      fake.requests.filter((r) => r.method === 'POST' && !r.route?.includes('access_tokens'))
    ).toEqual([]);
    expect(io.out()).toContain('    would post (dry run)');
    expect(io.out()).toContain(
      '    title:  AWS refused role payments-deploy: this branch is not trusted by the role'
    );
    expect(io.out()).toContain('      ### This branch is not trusted by the role');
  });

  it('posts nothing the second time it reads the same diagnoses', async () => {
    // Prepare
    const { gh: fake, keyFile } = await world();
    await main(['annotate', '-'], fakeIo({ stdin: input, env: appEnv(fake, keyFile) }));
    const io = fakeIo({ stdin: input, env: appEnv(fake, keyFile) });

    // Act
    const code = await main(['annotate', '--json', '-'], io);

    // Assess
    expect(code).toBe(0);
    expect(fake.world.checkRuns).toHaveLength(1);
    const lines = io
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { outcome: string; repository: string; detail: string | null });
    expect(
      lines.find((l) => l.repository === 'acme-corp/payments-api' && l.detail === 'BRANCH')?.outcome
    ).toBe('duplicate');
    expect(lines.some((l) => l.outcome === 'posted')).toBe(false);
  });

  it('reads with GITHUB_TOKEN when no app is given', async () => {
    // Prepare
    const { gh: fake } = await world();
    const repo = fake.world.repositoryByName('acme-corp', 'payments-api');
    fake.addToken('ghp_0123456789abcdefghijABCDEFGHIJ012345', repo ? [repo] : []);
    const io = fakeIo({
      stdin: input,
      env: { GITHUB_API_URL: fake.url, GITHUB_TOKEN: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' },
    });

    // Act
    const code = await main(['annotate', '--dry-run', '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain('"outcome":"would_post"');
    expect(fake.requests.every((r) => r.auth === 'token')).toBe(true);
    expect(io.out()).not.toContain('ghp_0123456789');
  });

  it('names the missing or unusable option', async () => {
    // Prepare
    const keyFile = join(dir, 'not-a-key.pem');
    await writeFile(keyFile, 'hello');
    const cases: [string[], Record<string, string>, string][] = [
      [
        ['annotate', '--app-id', '123'],
        {},
        'oidcwatch annotate: --app-id needs --private-key FILE (or OIDCWATCH_GITHUB_PRIVATE_KEY_FILE)\n',
      ],
      [
        ['annotate', '--app-id', 'abc', '--private-key', keyFile],
        {},
        'oidcwatch annotate: --app-id must be the GitHub App\'s id (digits) or client id (Iv…), got "abc"\n',
      ],
      [
        ['annotate', '--app-id', '123', '--private-key', keyFile],
        {},
        `oidcwatch annotate: ${keyFile} is not a PEM private key (GitHub gives one starting "-----BEGIN RSA PRIVATE KEY-----")\n`,
      ],
      [
        ['annotate', '-'],
        {},
        'oidcwatch annotate: posting needs the GitHub App (--app-id and --private-key) or GITHUB_TOKEN; use --dry-run to only look\n',
      ],
      [
        ['annotate', '--dry-run', '-'],
        { GITHUB_API_URL: 'http://github.example.com' },
        'oidcwatch annotate: GITHUB_API_URL must be the GitHub API base URL (https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, https://api.SUBDOMAIN.ghe.com for GHE.com), got "http://github.example.com"\n',
      ],
    ];

    // Act
    const results = await Promise.all(
      cases.map(async ([argv, env]) => {
        const io = fakeIo({ stdin: '', env });
        return { code: await main(argv, io), err: io.err() };
      })
    );

    // Assess
    expect(results).toEqual(cases.map(([, , err]) => ({ code: 1, err })));
  });
});
