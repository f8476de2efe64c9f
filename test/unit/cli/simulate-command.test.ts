/**
 * `oidcwatch simulate --trust-policy FILE --provider ARN --aud AUD --sub SUB [--json]` run through
 * its command module with an in-memory `CliIo`: the verdict, the per-condition trace, the cause and
 * fix of a denial, and the usage errors.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/commands/simulate.js';
import type { EvaluationTrace } from '../../../src/domain/types.js';
import { GITHUB_PROVIDER, providerArn } from '../../helpers/cloudtrail-records.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { AUD_KEY, SUB_KEY, trustPolicy, webIdentityStatement } from '../../helpers/iam-view.js';

/** What `simulate --json` prints. */
interface SimulateJson {
  readonly allowed: boolean;
  readonly decision: EvaluationTrace['decision'];
  readonly cause: string | null;
  readonly detail: string | null;
  readonly explanation: string | null;
  readonly fix: string | null;
  readonly trace: EvaluationTrace;
}

const POLICY = trustPolicy(
  webIdentityStatement({
    condition: {
      StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' },
      StringLike: { [SUB_KEY]: 'repo:acme-corp/payments-api:ref:refs/heads/main' },
    },
  })
);

let dir = '';
let policyFile = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-simulate-'));
  policyFile = join(dir, 'trust-policy.json');
  await writeFile(policyFile, JSON.stringify(POLICY, null, 2));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function argv(sub: string, ...extra: string[]): string[] {
  return [
    '--trust-policy',
    policyFile,
    '--provider',
    GITHUB_PROVIDER,
    '--aud',
    'sts.amazonaws.com',
    '--sub',
    sub,
    ...extra,
  ];
}

describe('oidcwatch simulate: allowed', () => {
  it('prints "allowed: yes" and the trace of every condition', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(argv('repo:acme-corp/payments-api:ref:refs/heads/main'), io);

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toBe(
      [
        'allowed: yes',
        '  Allow GitHubActions: matches',
        '    principal matches, action matches',
        '    pass StringEquals token.actions.githubusercontent.com:aud ["sts.amazonaws.com"] ← ["sts.amazonaws.com"]',
        '    pass StringLike token.actions.githubusercontent.com:sub ["repo:acme-corp/payments-api:ref:refs/heads/main"] ← ["repo:acme-corp/payments-api:ref:refs/heads/main"]',
        '',
      ].join('\n')
    );
    expect(io.err()).toBe('');
  });

  it('prints allowed: true and a null cause with --json', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(argv('repo:acme-corp/payments-api:ref:refs/heads/main', '--json'), io);

    // Assess
    expect(code).toBe(0);
    const result = JSON.parse(io.out()) as SimulateJson;
    expect(result).toMatchObject({
      allowed: true,
      decision: 'allow',
      cause: null,
      detail: null,
      fix: null,
    });
    expect(result.trace.statements[0]?.conditions.map((c) => c.verdict)).toEqual(['pass', 'pass']);
  });
});

describe('oidcwatch simulate: denied', () => {
  it('prints the failing condition, the cause and the fix for a job that declares an environment', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(argv('repo:acme-corp/payments-api:environment:production'), io);

    // Assess
    expect(code).toBe(0);
    const out = io.out();
    expect(out.startsWith('allowed: no (implicit-deny)\n')).toBe(true);
    expect(out).toContain(
      '    fail StringLike token.actions.githubusercontent.com:sub ["repo:acme-corp/payments-api:ref:refs/heads/main"] ← ["repo:acme-corp/payments-api:environment:production"]'
    );
    expect(out).toContain('cause: SUB_MISMATCH/ENVIRONMENT_FORM\n');
    expect(out).toContain(
      'fix: Add "repo:acme-corp/payments-api:environment:production" to StringLike["token.actions.githubusercontent.com:sub"] in statement "GitHubActions": the job declares `environment: production`, so its sub names the environment instead of the ref.'
    );
    expect(out).toContain(
      '  statement "GitHubActions" · StringLike token.actions.githubusercontent.com:sub\n  + "repo:acme-corp/payments-api:environment:production"\n'
    );
    expect(out).toContain(
      "remedy: trust-policy · verified: admits the call · no new audit finding · within AWS limits · blast radius: nothing beyond this job's own subject\n"
    );
    expect(out).toContain(
      'apply: aws iam update-assume-role-policy --role-name ROLE_NAME --policy-document file://trust-policy.json (write the patched policy with --fix trust-policy.json)'
    );
  });

  it('gives the cause, detail, fix and per-condition trace with --json', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    await run(argv('repo:acme-corp/payments-api:pull_request', '--json'), io);

    // Assess
    const result = JSON.parse(io.out()) as SimulateJson;
    expect(result).toMatchObject({
      allowed: false,
      decision: 'implicit-deny',
      cause: 'SUB_MISMATCH',
      detail: 'PULL_REQUEST',
    });
    expect(result.explanation).toContain('the job runs for a pull_request event');
    expect(result.fix).toContain(
      'If pull_request runs of acme-corp/payments-api should assume this role, add "repo:acme-corp/payments-api:pull_request" to StringLike'
    );
    expect(result.trace.statements[0]?.conditions).toEqual([
      {
        operator: 'StringEquals',
        key: AUD_KEY,
        values: ['sts.amazonaws.com'],
        tested: ['sts.amazonaws.com'],
        verdict: 'pass',
        note: null,
      },
      {
        operator: 'StringLike',
        key: SUB_KEY,
        values: ['repo:acme-corp/payments-api:ref:refs/heads/main'],
        tested: ['repo:acme-corp/payments-api:pull_request'],
        verdict: 'fail',
        note: null,
      },
    ]);
  });

  it('names the wrong provider principal', async () => {
    // Prepare
    const io = fakeIo();
    const other = providerArn('999988887777');

    // Act
    await run(
      [
        '--trust-policy',
        policyFile,
        '--provider',
        other,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:acme-corp/payments-api:ref:refs/heads/main',
        '--json',
      ],
      io
    );

    // Assess
    const result = JSON.parse(io.out()) as SimulateJson;
    expect(result.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
    // The simulated role is in the provider's account, so the policy's provider is another account's.
    expect(result.fix).toContain(
      `Set Principal.Federated of statement "GitHubActions" to "${other}"`
    );
    expect(result.trace.statements[0]?.principalMatches).toBe(false);
  });

  it('says "unknown" when the outcome depends on a claim CloudTrail does not record', async () => {
    // Prepare
    const file = join(dir, 'shared-workflow.json');
    await writeFile(
      file,
      JSON.stringify(
        trustPolicy(
          webIdentityStatement({
            condition: {
              StringEquals: {
                [AUD_KEY]: 'sts.amazonaws.com',
                'token.actions.githubusercontent.com:job_workflow_ref':
                  'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
              },
            },
          })
        )
      )
    );
    const io = fakeIo();

    // Act
    await run(
      [
        '--trust-policy',
        file,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:acme-corp/orders:ref:refs/heads/main',
      ],
      io
    );

    // Assess
    expect(io.out()).toContain('allowed: unknown (depends on claims CloudTrail does not record)');
    expect(io.out()).toContain('cause: UNVERIFIABLE_CONDITION/job_workflow_ref');
    expect(io.out()).toMatch(
      /unknown StringEquals token\.actions\.githubusercontent\.com:job_workflow_ref .* ← \(no value\)\s+claim "job_workflow_ref" is not recorded in CloudTrail/
    );
  });

  it('colours the verdict on a terminal only', async () => {
    // Prepare
    const tty = fakeIo({ isTTY: true });
    const pipe = fakeIo();

    // Act
    await run(argv('repo:acme-corp/payments-api:ref:refs/heads/dev'), tty);
    await run(argv('repo:acme-corp/payments-api:ref:refs/heads/dev'), pipe);

    // Assess
    expect(tty.out()).toContain('\u001b[31mallowed: no (implicit-deny)');
    expect(pipe.out()).not.toContain('\u001b[');
  });
});

describe('oidcwatch simulate: inputs', () => {
  it('accepts the URL-encoded policy text iam:GetRole returns', async () => {
    // Prepare
    const file = join(dir, 'get-role.txt');
    await writeFile(file, encodeURIComponent(JSON.stringify(POLICY)));
    const io = fakeIo();

    // Act
    const code = await run(
      [
        '--trust-policy',
        file,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:acme-corp/payments-api:ref:refs/heads/main',
        '--json',
      ],
      io
    );

    // Assess
    expect(code).toBe(0);
    expect((JSON.parse(io.out()) as SimulateJson).allowed).toBe(true);
  });

  it('exits 1 naming --sub when it is missing', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(
      ['--trust-policy', policyFile, '--provider', GITHUB_PROVIDER, '--aud', 'sts.amazonaws.com'],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe('oidcwatch simulate: --sub is required\n');
    expect(io.out()).toBe('');
  });

  it('exits 1 naming the policy file when it cannot be read', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(
      [
        '--trust-policy',
        '/no/such/policy.json',
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:a/b:ref:refs/heads/main',
      ],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain('cannot read trust policy /no/such/policy.json');
  });

  it('exits 1 naming the file and the element when the policy is not a policy', async () => {
    // Prepare
    const file = join(dir, 'not-a-policy.json');
    await writeFile(
      file,
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Condition: 'none' }] })
    );
    const io = fakeIo();

    // Act
    const code = await run(
      [
        '--trust-policy',
        file,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:a/b:ref:refs/heads/main',
      ],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(
      `oidcwatch simulate: ${file}: trust policy Statement[0].Condition must be an object\n`
    );
  });
});

describe('oidcwatch simulate: claims, get-role output and --fix', () => {
  const pinned = trustPolicy(
    webIdentityStatement({
      condition: {
        StringEquals: {
          [AUD_KEY]: 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:job_workflow_ref':
            'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
        },
        StringLike: { [SUB_KEY]: 'repo:acme-corp/orders:*' },
      },
    })
  );

  it('decides a condition on a claim CloudTrail never records from --claim', async () => {
    // Prepare
    const file = join(dir, 'pinned.json');
    await writeFile(file, JSON.stringify(pinned));
    const base = [
      '--trust-policy',
      file,
      '--provider',
      GITHUB_PROVIDER,
      '--aud',
      'sts.amazonaws.com',
      '--sub',
      'repo:acme-corp/orders:ref:refs/heads/main',
      '--json',
    ];
    const unknown = fakeIo();
    const right = fakeIo();
    const wrong = fakeIo();

    // Act
    await run(base, unknown);
    await run(
      [
        ...base,
        '--claim',
        'job_workflow_ref=acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
      ],
      right
    );
    await run(
      [
        ...base,
        '--claim',
        'job_workflow_ref=acme-corp/orders/.github/workflows/ci.yml@refs/heads/main',
      ],
      wrong
    );

    // Assess
    expect((JSON.parse(unknown.out()) as SimulateJson).decision).toBe('unknown');
    expect((JSON.parse(right.out()) as SimulateJson).decision).toBe('allow');
    const denied = JSON.parse(wrong.out()) as SimulateJson & { remedy: { kind: string } };
    expect(denied.decision).toBe('implicit-deny');
    expect(denied.cause).toBe('SUB_MISMATCH');
    expect(denied.remedy.kind).not.toBe('trust-policy');
  });

  it('says a misspelled condition key can never match, never "not recorded in CloudTrail"', async () => {
    // Prepare
    const file = join(dir, 'misspelled.json');
    await writeFile(
      file,
      JSON.stringify(
        trustPolicy(
          webIdentityStatement({
            condition: {
              StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' },
              StringLike: {
                'token.actions.githubusercontent.com:subject': 'repo:acme-corp/reports:*',
              },
            },
          })
        )
      )
    );
    const io = fakeIo();

    // Act
    await run(
      [
        '--trust-policy',
        file,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:acme-corp/reports:ref:refs/heads/main',
      ],
      io
    );

    // Assess
    const out = io.out();
    expect(out.startsWith('allowed: no (implicit-deny)\n')).toBe(true);
    expect(out).toContain(
      'STS sets no condition key "token.actions.githubusercontent.com:subject" for this issuer (did you mean "token.actions.githubusercontent.com:sub"?)'
    );
    expect(out).not.toContain('not recorded in CloudTrail');
    expect(out).toContain('+ "key token.actions.githubusercontent.com:sub"');
  });

  it('rejects a --claim STS makes no condition key of, naming it', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(
      [
        ...argv('repo:acme-corp/payments-api:ref:refs/heads/main'),
        '--claim',
        'repository_owner=acme-corp',
      ],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain(
      'oidcwatch simulate: --claim repository_owner: STS makes no condition key of "repository_owner" for GitHub tokens'
    );
  });

  it('reads the whole output of aws iam get-role (URL-encoded document, role ARN)', async () => {
    // Prepare
    const file = join(dir, 'get-role.json');
    await writeFile(
      file,
      JSON.stringify({
        Role: {
          Path: '/',
          RoleName: 'payments-deploy',
          RoleId: 'AROAEXAMPLEEXAMPLE012',
          Arn: 'arn:aws:iam::111122223333:role/payments-deploy',
          CreateDate: '2026-01-10T09:00:00Z',
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(POLICY)),
          MaxSessionDuration: 3600,
        },
      })
    );
    const io = fakeIo();

    // Act
    const code = await run(
      [
        '--trust-policy',
        file,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:acme-corp/payments-api:ref:refs/heads/dev',
      ],
      io
    );

    // Assess
    expect(code).toBe(0);
    expect(io.out()).toContain(
      'The trust policy of arn:aws:iam::111122223333:role/payments-deploy'
    );
    expect(io.out()).toContain(
      'apply: aws iam update-assume-role-policy --role-name payments-deploy --policy-document file://trust-policy.json'
    );
  });

  it('rejects a --provider that is not an OIDC provider ARN, naming it', async () => {
    // Prepare
    const io = fakeIo();

    // Act
    const code = await run(
      [
        '--trust-policy',
        policyFile,
        '--provider',
        'token.actions.githubusercontent.com',
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:a/b:ref:refs/heads/main',
      ],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toBe(
      'oidcwatch simulate: --provider must be an IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/ISSUER-URL), got "token.actions.githubusercontent.com"\n'
    );
  });

  it('writes the patched policy with --fix, and that policy admits the claims', async () => {
    // Prepare
    const out = join(dir, 'patched.json');
    const io = fakeIo();
    const check = fakeIo();

    // Act
    await run([...argv('repo:acme-corp/payments-api:environment:production'), '--fix', out], io);
    await run(
      [
        '--trust-policy',
        out,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:acme-corp/payments-api:environment:production',
      ],
      check
    );

    // Assess
    expect(io.err()).toBe(`oidcwatch simulate: wrote the patched trust policy to ${out}\n`);
    expect(io.out()).toContain(
      `apply: aws iam update-assume-role-policy --role-name ROLE_NAME --policy-document file://${out}\n`
    );
    expect(check.out().startsWith('allowed: yes\n')).toBe(true);
  });

  it('writes nothing with --fix when no trust-policy change is offered, and says so', async () => {
    // Prepare
    const out = join(dir, 'never-written.json');
    const io = fakeIo();

    // Act
    await run([...argv('repo:acme-corp/payments-api:ref:refs/heads/main'), '--fix', out], io);

    // Assess
    expect(io.err()).toBe(
      `oidcwatch simulate: no trust-policy change is offered (the policy already admits these claims); ${out} not written\n`
    );
    await expect(readFile(out, 'utf8')).rejects.toThrow();
  });

  it('says a policy with a mis-cased Effect is invalid, naming the field', async () => {
    // Prepare
    const file = join(dir, 'lowercase-effect.json');
    await writeFile(
      file,
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ ...webIdentityStatement(), Effect: 'allow' }],
      })
    );
    const io = fakeIo();

    // Act
    const code = await run(
      [
        '--trust-policy',
        file,
        '--provider',
        GITHUB_PROVIDER,
        '--aud',
        'sts.amazonaws.com',
        '--sub',
        'repo:a/b:ref:refs/heads/main',
      ],
      io
    );

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toContain(
      'trust policy Statement[0].Effect is "allow": IAM accepts only "Allow" or "Deny" (case-sensitive) and would reject this policy'
    );
  });
});
