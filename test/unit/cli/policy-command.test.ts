/**
 * `oidcwatch policy` run through its command module with an in-memory `CliIo`: the policy JSON on
 * stdout (parseable as it is), the checks on stderr, and the usage errors.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/policy.js';
import { main } from '../../../src/cli/main.js';
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import { tokenClaimsRequest } from '../../../src/domain/policy/token-claims-request.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { jobClaims } from '../../helpers/github-oidc-token.js';

const GH = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${GH}`;

describe('oidcwatch policy: the JSON policy', () => {
  it('prints a policy that admits exactly the production job of acme-corp/api, and the checks on stderr', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(
      ['--repo', 'acme-corp/api', '--environment', 'production', '--account', '111122223333'],
      io
    );

    // Assess
    expect(code).toBe(0);
    const policy = JSON.parse(io.out());
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Condition).toEqual({
      StringEquals: {
        [`${GH}:aud`]: 'sts.amazonaws.com',
        [`${GH}:sub`]: 'repo:acme-corp/api:environment:production',
      },
    });
    const read = readTrustPolicy(policy);
    if (!read.ok) throw new Error(read.reason);
    const decide = (spec: Parameters<typeof jobClaims>[0]) =>
      evaluateTrustPolicy(
        read.policy,
        tokenClaimsRequest({ providerArn: PROVIDER, issuerUrl: GH, claims: jobClaims(spec) })
      ).decision;
    expect(
      decide({ iss: `https://${GH}`, repository: 'acme-corp/api', environment: 'production' })
    ).toBe('allow');
    expect(
      decide({ iss: `https://${GH}`, repository: 'acme-corp/api', environment: 'staging' })
    ).toBe('implicit-deny');
    expect(io.err().split('\n')).toEqual([
      'Checked by oidcwatch before printing: the trust-policy evaluator admits the job asked for and denies 7 probes; oidcwatch audit finds nothing.',
      '  admits  repo:acme-corp/api:environment:production',
      '  denies  another repository of acme-corp    repo:acme-corp/api-probe:environment:production',
      '  denies  another owner                      repo:acme-corp-probe/api:environment:production',
      '  denies  a pull request                     repo:acme-corp/api:pull_request',
      '  denies  another environment                repo:acme-corp/api:environment:oidcwatch-probe',
      '  denies  a job on main without environment  repo:acme-corp/api:ref:refs/heads/main',
      '  denies  another audience                   aud https://github.com/acme-corp',
      "  denies  another account's OIDC provider    provider arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com",
      "  size    403 of 2,048 characters (IAM's default trust-policy quota)",
      '',
    ]);
  });

  it('shows a pattern as asked and the value it was tried with', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    await run(['--repo', 'acme-corp/cli', '--tag', 'v*', '--account', '111122223333'], io);

    // Assess
    expect(io.err()).toContain(
      '  admits  repo:acme-corp/cli:ref:refs/tags/v*  (tried as repo:acme-corp/cli:ref:refs/tags/vprobe)\n'
    );
  });

  it('is listed in the top-level help', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    await main(['--help'], io);

    // Assess
    expect(io.out()).toContain(
      '  policy    write a focused trust policy (JSON, Terraform, CloudFormation), checked before printing\n'
    );
  });
});

describe('oidcwatch policy: usage errors', () => {
  it.each([
    [
      ['--repo', 'acme-corp/*', '--environment', 'production', '--account', '111122223333'],
      'oidcwatch policy: --repo "acme-corp/*": wildcards admit repositories nobody reviewed (an owner wildcard admits any owner\'s); name each repository\n',
    ],
    [
      ['--repo', 'acme-corp/api', '--branch', 'main', '--terraform', '--cloudformation'],
      'oidcwatch policy: give --terraform or --cloudformation, not both\n',
    ],
    [
      ['--repo', 'acme-corp/api', '--branch', 'main', '--terraform', '--role-name', 'a b'],
      'oidcwatch policy: --role-name "a b" is not an IAM role name (1–64 of letters, digits, + = , . @ _ -)\n',
    ],
    [
      [
        '--repo',
        'acme-corp/api',
        '--branch',
        'main',
        '--terraform',
        '--max-session-duration',
        '60',
      ],
      'oidcwatch policy: --max-session-duration "60" must be whole seconds from 3600 to 43200\n',
    ],
    [
      ['--repo', 'acme-corp/api', '--branch', 'main', '--account', '1', 'extra'],
      'oidcwatch policy: unexpected argument "extra" (use --repo OWNER/NAME)\n',
    ],
  ])('exits 1 and names the option for %j', async (argv, message) => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(argv, io);

    // Assess
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(message);
  });
});

describe('oidcwatch policy: the README', () => {
  it('shows the real output of the command it quotes', async () => {
    // Prepare
    const readme = await readFile('README.md', 'utf8');
    const command =
      '$ oidcwatch policy --repo acme-corp/api --environment production --account 111122223333\n';
    const start = readme.indexOf(command) + command.length;
    const shown = readme.slice(start, readme.indexOf('```', start));
    const io = fakeIo();

    // Act
    await main(command.slice('$ oidcwatch '.length).trim().split(' '), io);

    // Assess
    expect(readme).toContain(command);
    expect(shown).toBe(io.out() + io.err());
  });
});

/** Splits a command line the way a POSIX shell would, for single-quoted words. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('oidcwatch policy: docs/trust-policies.md', () => {
  it('shows the real output of every command it quotes', async () => {
    // Prepare
    const doc = await readFile('docs/trust-policies.md', 'utf8');
    const blocks = [
      ...doc.matchAll(/```(?:hcl|yaml)\n(# Generated by: oidcwatch policy [^\n]*\n[\s\S]*?)```/g),
    ].map((m) => m[1] as string);

    // Act
    const outputs = await Promise.all(
      blocks.map(async (block) => {
        const line = block.slice(0, block.indexOf('\n'));
        const io = fakeIo();
        await main(shellWords(line.slice('# Generated by: oidcwatch '.length)), io);
        return io.out();
      })
    );

    // Assess
    expect(blocks).toHaveLength(2);
    expect(outputs).toEqual(blocks);
  });
});

describe('oidcwatch policy: the account of the JSON policy', () => {
  it('says to give --account, and why, when the account of the credentials cannot be read', async () => {
    // Prepare: credentials, but an STS endpoint nothing listens on
    const io = fakeIo({
      env: {
        AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
    });

    // Act
    const code = await run(['--repo', 'acme-corp/api', '--environment', 'production'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(
      /^oidcwatch policy: give --account ID: the JSON policy's provider ARN names the account, and the account of your AWS credentials could not be read \(sts:GetCallerIdentity at http:\/\/127\.0\.0\.1:9 failed: .+\); --terraform and --cloudformation resolve it themselves\n$/
    );
    expect(io.err()).not.toContain('wJalrXUtnFEMI');
  });
});
