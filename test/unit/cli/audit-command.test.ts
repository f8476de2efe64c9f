/**
 * `oidcwatch audit --iam-snapshot` run through its command module with an in-memory `CliIo`: the
 * text report (grouped by account and role, aligned, colour only on a terminal), `--json` (JSON
 * Lines, one finding per line), `--fail-on` gating and the exit codes of bad input.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_FINDINGS, run } from '../../../src/cli/commands/audit.js';
import { main } from '../../../src/cli/main.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { githubProvider, githubTrustPolicy, role } from '../../helpers/iam-view.js';

const EXAMPLES = 'examples/iam-snapshot.json';
const ANSI = '\u001b[';
const FIELDS = [
  'account',
  'roleArn',
  'providerArn',
  'code',
  'detail',
  'severity',
  'statement',
  'message',
  'reason',
  'fix',
];

let dir = '';
let clean = '';
let mediumOnly = '';

async function writeSnapshot(name: string, doc: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-audit-cli-'));
  clean = await writeSnapshot('clean.json', {
    accounts: {
      '111122223333': {
        roles: [role('deploy', githubTrustPolicy('repo:acme-corp/api:ref:refs/heads/main'))],
        oidcProviders: [githubProvider()],
      },
    },
  });
  mediumOnly = await writeSnapshot('medium.json', {
    accounts: {
      '111122223333': {
        roles: [role('tools', githubTrustPolicy('repo:acme-corp/tools:*'))],
        oidcProviders: [githubProvider()],
      },
    },
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('oidcwatch audit (text)', () => {
  it('groups findings by account and role, with the reason and the fix under each', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', EXAMPLES], io);

    // Assess
    const out = io.out();
    expect(code).toBe(0);
    expect(out).toContain(
      'Account 111122223333 · 43 roles, 42 trusting an OIDC provider · 7 OIDC providers\n  provider app.terraform.io\n'
    );
    expect(out).toContain(
      '  role infra-deploy\n    medium  SUB_NEVER_MATCHES/OWNER_CASE                          statement "GitHubActions"\n' +
        '            token.actions.githubusercontent.com:sub StringEquals "repo:Acme-Corp/infra:ref:refs/heads/main" names owner "Acme-Corp"'
    );
    expect(out).toContain(
      '            fix: Write "repo:acme-corp/infra:ref:refs/heads/main" (the owner as GitHub spells it).\n'
    );
    expect(out).toContain(
      'Account 444455556666 · 2 roles, 1 trusting an OIDC provider · 1 OIDC provider\n  provider token.actions.githubusercontent.com\n    high    PROVIDER_MISSING_STS_AUDIENCE'
    );
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      '17 findings: 4 high, 10 medium, 1 low, 2 info (4 accounts, 45 roles trusting an OIDC provider)'
    );
    expect(out).not.toContain(ANSI);
    expect(io.err()).toBe('');
  });

  it('aligns the code column: every finding line starts its code and statement at the same place', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    await run(['--iam-snapshot', EXAMPLES], io);

    // Assess
    const lines = io
      .out()
      .split('\n')
      .filter((l) => /^ {4}(high|medium|low|info) /.test(l));
    expect(lines).toHaveLength(17);
    expect(new Set(lines.map((l) => l.indexOf(l.slice(4).replace(/^\S+\s+/, ''), 4)))).toEqual(
      new Set([12])
    );
    expect(
      new Set(lines.filter((l) => l.includes('statement')).map((l) => l.indexOf('statement')))
    ).toEqual(new Set([66]));
  });

  it('colours severities on a terminal only, and never with NO_COLOR', async () => {
    // Prepare
    const tty = fakeIo({ isTTY: true });
    const noColor = fakeIo({ isTTY: true, env: { NO_COLOR: '1' } });

    // Act
    await run(['--iam-snapshot', EXAMPLES], tty);
    await run(['--iam-snapshot', EXAMPLES], noColor);

    // Assess
    expect(tty.out()).toContain(`${ANSI}31m${ANSI}1mhigh    `);
    expect(tty.out()).toContain(`${ANSI}33mmedium  `);
    expect(noColor.out()).not.toContain(ANSI);
  });

  it('says so when nothing is found', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', clean], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toBe(
      'Account 111122223333 · 1 role, 1 trusting an OIDC provider · 1 OIDC provider\n  no findings\n\n' +
        'No findings: 0 high, 0 medium, 0 low, 0 info (1 account, 1 role trusting an OIDC provider)\n'
    );
  });

  it('cleans control characters from IAM data before printing', async () => {
    // Prepare
    const file = await writeSnapshot('escape.json', {
      accounts: {
        '111122223333': {
          roles: [role('evil', githubTrustPolicy('repo:acme-corp/\u001b[2Jx:*'))],
          oidcProviders: [githubProvider()],
        },
      },
    });
    const io = fakeIo();

    // Act
    await run(['--iam-snapshot', file], io);

    // Assess
    expect(io.out()).toContain('LITERAL_WILDCARD');
    expect(io.out()).not.toContain('\u001b');
  });
});

describe('oidcwatch audit --json', () => {
  it('prints one JSON object per finding with the documented fields, in the text order', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', EXAMPLES, '--json'], io);

    // Assess
    const lines = io
      .out()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(code).toBe(0);
    expect(lines).toHaveLength(17);
    for (const l of lines) expect(Object.keys(l)).toEqual(FIELDS);
    expect(lines.find((l) => l.roleArn === 'arn:aws:iam::111122223333:role/copied-deploy')).toEqual(
      {
        account: '111122223333',
        roleArn: 'arn:aws:iam::111122223333:role/copied-deploy',
        providerArn: 'arn:aws:iam::999988887777:oidc-provider/token.actions.githubusercontent.com',
        code: 'WRONG_PROVIDER_PRINCIPAL',
        detail: 'OTHER_ACCOUNT',
        severity: 'medium',
        statement: '#0',
        message: expect.stringContaining('a provider of account 999988887777'),
        reason: expect.stringContaining('can never match'),
        fix: 'Set Principal.Federated to "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com".',
      }
    );
    expect(lines.find((l) => l.code === 'PROVIDER_MISSING_STS_AUDIENCE')).toMatchObject({
      roleArn: null,
      providerArn: 'arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com',
      severity: 'high',
    });
  });

  it('prints nothing for a clean audit', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', clean, '--json'], io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toBe('');
  });
});

describe('oidcwatch audit --fail-on', () => {
  it(`exits ${EXIT_FINDINGS} when a finding is at or above the threshold, naming how many`, async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', EXAMPLES, '--fail-on', 'high'], io);

    // Assess
    expect(code).toBe(3);
    expect(io.err()).toBe('oidcwatch audit: 4 findings at or above high (--fail-on high)\n');
  });

  it('exits 0 when every finding is below the threshold, and without --fail-on whatever is found', async () => {
    // Prepare
    const below = fakeIo();
    const without = fakeIo();
    const atMedium = fakeIo();

    // Act
    const belowCode = await run(['--iam-snapshot', mediumOnly, '--fail-on', 'high'], below);
    const withoutCode = await run(['--iam-snapshot', EXAMPLES], without);
    const atMediumCode = await run(
      ['--iam-snapshot', mediumOnly, '--fail-on', 'MEDIUM', '--json'],
      atMedium
    );

    // Assess
    expect([belowCode, withoutCode, atMediumCode]).toEqual([0, 0, 3]);
    expect(below.err()).toBe('');
    expect(atMedium.err()).toBe(
      'oidcwatch audit: 1 finding at or above medium (--fail-on medium)\n'
    );
  });

  it('exits 1 for an unknown severity', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', EXAMPLES, '--fail-on', 'critical'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(
      'oidcwatch audit: --fail-on must be high, medium, low or info, got "critical"\n'
    );
    expect(io.out()).toBe('');
  });
});

describe('oidcwatch audit: unusable input (exit 1)', () => {
  it('names a snapshot file that cannot be read', async () => {
    // Prepare
    const io = fakeIo();
    const missing = join(dir, 'missing.json');

    // Act
    const code = await run(['--iam-snapshot', missing], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toMatch(
      new RegExp(
        `^oidcwatch audit: cannot read IAM snapshot ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ENOENT`
      )
    );
    expect(io.out()).toBe('');
  });

  it('names the file and field of an invalid snapshot', async () => {
    // Prepare
    const file = await writeSnapshot('bad.json', {
      accounts: {
        '111122223333': { roles: [{ arn: 'deploy', trustPolicy: {} }], oidcProviders: [] },
      },
    });
    const notJson = await writeSnapshot('not-json.json', '{"accounts":');
    const io = fakeIo();
    const io2 = fakeIo();

    // Act
    const code = await run(['--iam-snapshot', file], io);
    const code2 = await run(['--iam-snapshot', notJson], io2);

    // Assess
    expect([code, code2]).toEqual([1, 1]);
    expect(io.err()).toBe(
      `oidcwatch audit: ${file}: "accounts.111122223333.roles[0].arn" must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)\n`
    );
    expect(io2.err()).toMatch(
      new RegExp(`^oidcwatch audit: ${notJson.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not JSON`)
    );
  });

  it('refuses live-only options with a snapshot, bad account ids, --accounts without a role, and stray arguments', async () => {
    // Prepare
    const cases = [
      ['--iam-snapshot', EXAMPLES, '--accounts', '444455556666', '--account-role', 'r'],
      ['--accounts', '4444'],
      ['--accounts', '444455556666'],
      ['--account-role', 'arn:aws:iam::1:role/x'],
      [EXAMPLES],
      ['--iam-snapshot'],
    ];

    // Act
    const results = [];
    for (const argv of cases) {
      const io = fakeIo();
      results.push([await run(argv, io), io.err().trim()]);
    }

    // Assess
    expect(results).toEqual([
      [
        1,
        'oidcwatch audit: --account-role and --accounts read live IAM; they cannot be used with --iam-snapshot',
      ],
      [1, 'oidcwatch audit: --accounts: "4444" is not a 12-digit account id'],
      [
        1,
        'oidcwatch audit: --accounts needs --account-role NAME (the role to assume in each account)',
      ],
      [
        1,
        'oidcwatch audit: --account-role must be a role name (not an ARN), got "arn:aws:iam::1:role/x"',
      ],
      [1, `oidcwatch audit: unexpected argument "${EXAMPLES}" (use --iam-snapshot FILE)`],
      [
        1,
        'oidcwatch audit: --iam-snapshot needs a value; run "oidcwatch audit --help" for its options',
      ],
    ]);
  });

  it('prints its help with exit 0, and is registered in the CLI', async () => {
    // Prepare
    const io = fakeIo();
    const usage = fakeIo();

    // Act
    const code = await main(['audit', '--help'], io);
    await main(['--help'], usage);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toMatch(/^usage: oidcwatch audit \[--iam-snapshot FILE\]/);
    expect(io.out()).toContain('3 findings at or above --fail-on');
    expect(usage.out()).toMatch(/^ {2}audit +find broken/m);
    expect(usage.out()).toMatch(/^ {2}snapshot +write an IAM snapshot/m);
  });
});
