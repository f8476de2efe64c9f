/**
 * `oidcwatch doctor` end to end, as a step of a GitHub Actions job: a local HTTP server plays the
 * job's token endpoint and the issuer's keys, with RS256 keys this test generates and realistic,
 * obviously fake claims. Covers the missing `id-token: write` permission, the token request, the
 * explanation of the token, allowed and denied trust policies (on sub, and on a claim CloudTrail
 * does not record), `--verify` (good, bad signature, expired, keys found by discovery, keys
 * unreachable), and that no token text ever reaches the output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/doctor.js';
import type { DoctorReport } from '../../src/usecases/run-doctor.js';
import {
  type ActionsOidcServer,
  closedPort,
  startActionsOidcServer,
} from '../helpers/actions-oidc-server.js';
import { fakeIo } from '../helpers/fake-io.js';
import {
  FAKE_NOW,
  generateTestKey,
  type JobSpec,
  jobClaims,
  signToken,
  type TestKey,
} from '../helpers/github-oidc-token.js';

const GITHUB = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${GITHUB}`;
const SHARED_WORKFLOW = 'acme-corp/shared-workflows/.github/workflows/deploy.yml@refs/heads/main';

let server: ActionsOidcServer;
let key: TestKey;
let otherKey: TestKey;
/** `ACTIONS_ID_TOKEN_REQUEST_TOKEN`: JWT-shaped, as GitHub's are. */
let requestToken = '';
let dir = '';
/** Every token the endpoint handed out, and everything doctor printed, for the last test. */
const issued: string[] = [];
const printed: string[] = [];
/** What the next token says (the audience comes from the request). */
let nextJob: Omit<JobSpec, 'aud'> = { iss: GITHUB };
let signingKey: () => TestKey = () => key;

function policy(condition: Record<string, Record<string, string | string[]>>, provider = PROVIDER) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubActions',
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
    ],
  };
}

async function policyFile(name: string, document: unknown): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, JSON.stringify(document, null, 2));
  return file;
}

function actionsEnv(
  extra: Record<string, string | undefined> = {}
): Record<string, string | undefined> {
  return {
    GITHUB_ACTIONS: 'true',
    ACTIONS_ID_TOKEN_REQUEST_URL: server.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    ...extra,
  };
}

/** Runs doctor as a job step and keeps what it printed. */
async function doctor(
  argv: string[],
  options: { env?: Record<string, string | undefined>; now?: Date } = {}
) {
  const io = {
    ...fakeIo({ env: options.env ?? actionsEnv() }),
    now: () => options.now ?? FAKE_NOW,
  };
  const code = await run(argv, io);
  printed.push(io.out(), io.err());
  return { code, out: io.out(), err: io.err() };
}

function report(out: string): DoctorReport {
  return JSON.parse(out) as DoctorReport;
}

beforeAll(async () => {
  key = await generateTestKey('test-key-1');
  otherKey = await generateTestKey('test-key-1');
  requestToken = await signToken(
    { scp: 'Actions.Results:test', iss: 'https://vstoken.example' },
    otherKey
  );
  server = await startActionsOidcServer(requestToken);
  server.keys = [key.jwk];
  server.issue = async (audience) => {
    const token = await signToken(jobClaims({ ...nextJob, aud: audience }), signingKey());
    issued.push(token);
    return token;
  };
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-doctor-'));
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('oidcwatch doctor: where it can run', () => {
  it('says it must run as a workflow step outside GitHub Actions, and exits 1', async () => {
    // Prepare
    const env = { PATH: '/usr/bin' };

    // Act
    const { code, out, err } = await doctor([], { env });

    // Assess
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(
      'oidcwatch doctor: not running in GitHub Actions (GITHUB_ACTIONS is not "true"): doctor asks the job for its OIDC token, so it must run as a step of the failing job.'
    );
    expect(err).toContain(
      '- uses: <owner>/oidcwatch@<full commit SHA>\n      with:\n        trust-policy: .github/aws/trust-policy.json'
    );
    expect(err).not.toContain('npx');
    expect(server.requests).toHaveLength(0);
  });

  it('detects a job without id-token: write and prints the permissions to add, exiting 1', async () => {
    // Prepare
    const env = { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push' };

    // Act
    const { code, out, err } = await doctor(['--trust-policy', 'unused.json'], { env });

    // Assess
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain(
      'this job cannot request an OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.'
    );
    expect(err).toContain(
      '    permissions:\n      id-token: write   # lets the job request an OIDC token\n      contents: read    # what actions/checkout needs\n'
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports the missing permission as JSON with --json, mentioning forks on pull_request runs', async () => {
    // Prepare
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      ACTIONS_ID_TOKEN_REQUEST_URL: server.requestUrl,
    };

    // Act
    const { code, out } = await doctor(['--json'], { env });

    // Assess
    expect(code).toBe(1);
    const problem = JSON.parse(out) as { problem: string; message: string; fix: string };
    expect(problem.problem).toBe('MISSING_ID_TOKEN_PERMISSION');
    expect(problem.message).toContain('ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set');
    expect(problem.fix).toContain('if it comes from a fork, GitHub grants it no id-token: write');
  });
});

describe('oidcwatch doctor: the token', () => {
  it('asks the token endpoint with the request token as bearer and the audience in the query', async () => {
    // Prepare
    nextJob = { iss: GITHUB, environment: 'production' };
    server.requests.length = 0;

    // Act
    const { code } = await doctor([]);
    const custom = await doctor(['--audience', 'https://github.com/acme-corp', '--json']);

    // Assess
    expect(code).toBe(0);
    expect(custom.code).toBe(0);
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(first?.path).toBe('/_apis/distributedtask/hubs/Actions/plans/0000/jobs/0001/idtoken');
    expect(first?.query.get('api-version')).toBe('2.0');
    expect(first?.query.get('audience')).toBe('sts.amazonaws.com');
    expect(first?.authorization).toBe(`Bearer ${requestToken}`);
    expect(second?.query.get('audience')).toBe('https://github.com/acme-corp');
    expect(report(custom.out).token.aud).toEqual(['https://github.com/acme-corp']);
  });

  it('prints the claims, the sub AWS sees with its form, the issuer, the lifetime and the condition keys', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, environment: 'production' };

    // Act
    const { code, out, err } = await doctor([]);

    // Assess
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toContain(
      'oidcwatch doctor: the OIDC token of this job (audience "sts.amazonaws.com")\n'
    );
    expect(out).toContain('sub       repo:acme-corp/payments-api:environment:production\n');
    expect(out).toContain(
      'Environment form: the job declares `environment: production`, so the sub names the environment instead of the ref'
    );
    expect(out).toContain(
      `GitHub's public issuer (github.com). IAM needs an OIDC provider with URL https://${GITHUB}, and condition keys take the prefix "${GITHUB}:".`
    );
    expect(out).toContain(
      'lifetime  300 s (issued 2026-11-27T14:59:50Z, expires 2026-11-27T15:04:50Z: expires in 290 s)'
    );
    expect(out).toContain('header    alg RS256, kid test-key-1, typ JWT\n');
    expect(out).toMatch(
      /\n {2}job_workflow_ref +acme-corp\/payments-api\/\.github\/workflows\/deploy\.yml@refs\/heads\/main\n/
    );
    expect(out).toMatch(/\n {2}token\.actions\.githubusercontent\.com:environment +production\n/);
    expect(out).toContain(
      'not condition keys (STS does not expose them): base_ref, check_run_id, event_name'
    );
    expect(out).toContain('no trust policy given');
  });

  it('explains the immutable owner@id/repo@id sub', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, immutable: true };

    // Act
    const { out } = await doctor(['--json']);

    // Assess
    const subject = report(out).token.subject;
    expect(subject?.sub).toBe(
      'repo:acme-corp@190000001/payments-api@820000002:ref:refs/heads/main'
    );
    expect(subject).toMatchObject({
      form: 'branch',
      immutable: true,
      repository: 'acme-corp/payments-api',
    });
    expect(subject?.description).toContain(
      'Immutable form: the repo segment carries ids (owner acme-corp is 190000001, repository payments-api is 820000002)'
    );
    expect(subject?.description).toContain(
      'write "repo:acme-corp@190000001/payments-api@820000002:…"'
    );
  });

  it('names the provider URL and key prefix of an enterprise issuer', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}/acme-corp` };

    // Act
    const { out } = await doctor(['--json']);

    // Assess
    const r = report(out);
    expect(r.token.issuer).toMatchObject({
      variant: 'enterprise-slug',
      enterpriseSlug: 'acme-corp',
      providerUrl: `https://${GITHUB}/acme-corp`,
      keyPrefix: `${GITHUB}/acme-corp:`,
    });
    expect(r.token.conditionKeys[1]).toEqual({
      key: `${GITHUB}/acme-corp:sub`,
      values: ['repo:acme-corp/payments-api:ref:refs/heads/main'],
    });
  });

  it('exits 2 when the token endpoint refuses the request token', async () => {
    // Prepare
    const env = actionsEnv({ ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-the-request-token-of-this-job' });

    // Act
    const { code, out, err } = await doctor([], { env });

    // Assess
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toBe(
      `oidcwatch doctor: cannot get the job's OIDC token from ${server.url}/_apis/distributedtask/hubs/Actions/plans/0000/jobs/0001/idtoken: HTTP 401 Unauthorized\n`
    );
  });

  it('exits 2 when the token endpoint cannot be reached', async () => {
    // Prepare
    const port = await closedPort();
    const env = actionsEnv({
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/idtoken?api-version=2.0`,
    });

    // Act
    const { code, err } = await doctor([], { env });

    // Assess
    expect(code).toBe(2);
    expect(err).toContain(
      `oidcwatch doctor: cannot get the job's OIDC token from http://127.0.0.1:${port}/idtoken: fetch failed`
    );
    expect(err).toContain('ECONNREFUSED');
  });
});

describe('oidcwatch doctor --trust-policy', () => {
  it('prints "allowed: yes" and the trace for a policy that admits the token', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, environment: 'production' };
    const file = await policyFile(
      'allowed.json',
      policy({
        StringEquals: {
          [`${GITHUB}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:environment:production',
        },
      })
    );

    // Act
    const { code, out } = await doctor(['--trust-policy', file]);

    // Assess
    expect(code).toBe(0);
    expect(out).toContain(
      [
        `trust policy ${file}`,
        `  principal ${PROVIDER}  (the policy's provider for the token's issuer; --role-arn also checks that the account has it)`,
        'allowed: yes',
        '  Allow GitHubActions: matches',
        '    principal matches, action matches',
        `    pass StringEquals ${GITHUB}:aud ["sts.amazonaws.com"] ← ["sts.amazonaws.com"]`,
        `    pass StringEquals ${GITHUB}:sub ["repo:acme-corp/payments-api:environment:production"] ← ["repo:acme-corp/payments-api:environment:production"]`,
        '',
      ].join('\n')
    );
    expect(out).not.toContain('cause:');
  });

  it('denies a job that declares an environment under a ref-based policy as SUB_MISMATCH/ENVIRONMENT_FORM, with the fix', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, environment: 'production' };
    const file = await policyFile(
      'main-only.json',
      policy({
        StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:ref:refs/heads/main' },
      })
    );

    // Act
    const { code, out } = await doctor(['--trust-policy', file]);
    const json = report((await doctor(['--trust-policy', file, '--json'])).out);

    // Assess
    expect(code).toBe(0);
    expect(out).toContain('allowed: no (implicit-deny)\n');
    expect(out).toContain(
      `    fail StringLike ${GITHUB}:sub ["repo:acme-corp/payments-api:ref:refs/heads/main"] ← ["repo:acme-corp/payments-api:environment:production"]`
    );
    expect(out).toContain('cause: SUB_MISMATCH/ENVIRONMENT_FORM\n');
    expect(out).toContain(
      `fix: Add "repo:acme-corp/payments-api:environment:production" to StringLike["${GITHUB}:sub"] in statement "GitHubActions": the job declares \`environment: production\`, so its sub names the environment instead of the ref.`
    );
    expect(json.policy).toMatchObject({
      allowed: false,
      decision: 'implicit-deny',
      cause: 'SUB_MISMATCH',
      detail: 'ENVIRONMENT_FORM',
      cloudTrailCause: 'SUB_MISMATCH/ENVIRONMENT_FORM',
    });
  });

  it('exits 3 with --fail-on-deny when the policy denies, and 0 when it admits', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, environment: 'production' };
    const denying = await policyFile(
      'gate-deny.json',
      policy({
        StringLike: { [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:ref:refs/heads/main' },
      })
    );
    const admitting = await policyFile(
      'gate-allow.json',
      policy({ StringLike: { [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:environment:*' } })
    );

    // Act
    const denied = await doctor(['--trust-policy', denying, '--fail-on-deny']);
    const allowed = await doctor(['--trust-policy', admitting, '--fail-on-deny']);

    // Assess
    expect(denied.code).toBe(3);
    expect(denied.out).toContain('cause: SUB_MISMATCH/ENVIRONMENT_FORM\n');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('allowed: yes\n');
  });

  it('denies on job_workflow_ref, a claim CloudTrail does not record, naming the claim and its value', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}` };
    const file = await policyFile(
      'shared-workflow.json',
      policy({
        StringEquals: {
          [`${GITHUB}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB}:job_workflow_ref`]: SHARED_WORKFLOW,
        },
        StringLike: { [`${GITHUB}:sub`]: 'repo:acme-corp/*' },
      })
    );
    const own = 'acme-corp/payments-api/.github/workflows/deploy.yml@refs/heads/main';

    // Act
    const { code, out } = await doctor(['--trust-policy', file]);
    const json = report((await doctor(['--trust-policy', file, '--json'])).out);

    // Assess
    expect(code).toBe(0);
    expect(out).toContain(
      `    fail StringEquals ${GITHUB}:job_workflow_ref ["${SHARED_WORKFLOW}"] ← ["${own}"]`
    );
    expect(out).toContain('cause: UNVERIFIABLE_CONDITION/job_workflow_ref\n');
    expect(json.policy?.explanation).toBe(
      `Statement "GitHubActions" of the trust policy of ${file} requires StringEquals ${GITHUB}:job_workflow_ref "${SHARED_WORKFLOW}", but the token's job_workflow_ref is "${own}". ` +
        'CloudTrail does not record job_workflow_ref, so oidcwatch reports this failure from CloudTrail as UNVERIFIABLE_CONDITION/job_workflow_ref; doctor reads the claim from the token.'
    );
    expect(json.policy?.fix).toBe(
      `If this job should assume the role, add "${own}" to StringEquals["${GITHUB}:job_workflow_ref"] in statement "GitHubActions"; otherwise run the job with the job_workflow_ref the policy names ("${SHARED_WORKFLOW}").`
    );
    const conditions = json.policy?.trace?.statements[0]?.conditions ?? [];
    expect(conditions.map((c) => [c.key, c.verdict])).toEqual([
      [`${GITHUB}:aud`, 'pass'],
      [`${GITHUB}:job_workflow_ref`, 'fail'],
      [`${GITHUB}:sub`, 'pass'],
    ]);
  });

  it('denies an immutable sub under a name-based StringEquals policy as SUB_MISMATCH/IMMUTABLE_FORMAT', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, immutable: true };
    const file = await policyFile(
      'name-based.json',
      policy({
        StringEquals: {
          [`${GITHUB}:aud`]: 'sts.amazonaws.com',
          [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:ref:refs/heads/main',
        },
      })
    );

    // Act
    const json = report((await doctor(['--trust-policy', file, '--json'])).out);

    // Assess
    expect(json.policy).toMatchObject({
      allowed: false,
      cause: 'SUB_MISMATCH',
      detail: 'IMMUTABLE_FORMAT',
    });
    expect(json.policy?.fix).toContain(
      'Add "repo:acme-corp@190000001/payments-api@820000002:ref:refs/heads/main" beside "repo:acme-corp/payments-api:ref:refs/heads/main" in StringEquals'
    );
  });

  it('exits 1 naming the file when the trust policy cannot be read', async () => {
    // Prepare
    const missing = join(dir, 'missing.json');

    // Act
    const { code, err } = await doctor(['--trust-policy', missing]);

    // Assess
    expect(code).toBe(1);
    expect(err).toContain(`oidcwatch doctor: cannot read trust policy ${missing}: ENOENT`);
  });

  it('exits 1 when given both --trust-policy and --role-arn', async () => {
    // Prepare
    const argv = [
      '--trust-policy',
      'a.json',
      '--role-arn',
      'arn:aws:iam::111122223333:role/deploy',
    ];

    // Act
    const { code, err } = await doctor(argv);

    // Assess
    expect(code).toBe(1);
    expect(err).toBe('oidcwatch doctor: give --trust-policy or --role-arn, not both\n');
  });
});

describe('oidcwatch doctor --verify', () => {
  it('verifies a good signature against <iss>/.well-known/jwks and reports the expiry', async () => {
    // Prepare
    nextJob = { iss: server.url };
    server.keysMode = 'jwks';
    signingKey = () => key;

    // Act
    const { code, out } = await doctor(['--verify']);

    // Assess
    expect(code).toBe(0);
    expect(out).toContain(
      `signature\n  valid: signed by key test-key-1 of ${server.url}/.well-known/jwks; the token expires in 290 s\n`
    );
  });

  it('finds the keys through openid-configuration when /.well-known/jwks is missing', async () => {
    // Prepare
    nextJob = { iss: server.url };
    server.keysMode = 'discovery-only';

    // Act
    const { code, out } = await doctor(['--verify', '--json']);

    // Assess
    expect(code).toBe(0);
    expect(report(out).verification).toEqual({
      status: 'valid',
      jwksUrl: `${server.url}/discovered/keys`,
      kid: 'test-key-1',
      message: `signed by key test-key-1 of ${server.url}/discovered/keys`,
    });
    server.keysMode = 'jwks';
  });

  it('reports a bad signature when another key signed the token, and still exits 0', async () => {
    // Prepare
    nextJob = { iss: server.url };
    signingKey = () => otherKey;

    // Act
    const { code, out } = await doctor(['--verify', '--json']);

    // Assess
    signingKey = () => key;
    expect(code).toBe(0);
    expect(report(out).verification).toMatchObject({
      status: 'bad-signature',
      message: `the signature does not verify with key test-key-1 of ${server.url}/.well-known/jwks`,
    });
  });

  it('reports an expired token on a clock past exp', async () => {
    // Prepare
    nextJob = { iss: server.url };
    const later = new Date(FAKE_NOW.getTime() + 600_000);

    // Act
    const { code, out } = await doctor(['--verify'], { now: later });

    // Assess
    expect(code).toBe(0);
    expect(out).toContain(
      'The token expired 310 s ago: STS rejects it with ExpiredTokenException.'
    );
    expect(out).toContain(
      'signature\n  expired: the signature is valid, but the token has expired ("exp" is past); the token expired 310 s ago\n'
    );
  });

  it('exits 2 when the issuer publishes no keys, after printing what it found', async () => {
    // Prepare
    const port = await closedPort();
    nextJob = { iss: `http://127.0.0.1:${port}` };

    // Act
    const { code, out, err } = await doctor(['--verify']);

    // Assess
    expect(code).toBe(2);
    expect(out).toContain(`issuer    http://127.0.0.1:${port}\n`);
    expect(out).toContain('signature\n  not checked: cannot fetch the signing keys of issuer');
    expect(err).toContain(
      `oidcwatch doctor: cannot fetch the signing keys of issuer http://127.0.0.1:${port}; tried http://127.0.0.1:${port}/.well-known/jwks: fetch failed (ECONNREFUSED); http://127.0.0.1:${port}/.well-known/openid-configuration: fetch failed (ECONNREFUSED)`
    );
  });
});

describe('oidcwatch doctor: secrets', () => {
  it('never prints a token or the request token, in any output of this file', () => {
    // Prepare
    const everything = printed.join('\n');

    // Act
    const leaks = [...issued, requestToken].filter((t) => everything.includes(t));

    // Assess
    expect(issued.length).toBeGreaterThan(10);
    expect(printed.length).toBeGreaterThan(30);
    expect(leaks).toEqual([]);
    expect(everything).not.toContain('eyJ');
    expect(everything).not.toContain('[REDACTED]');
  });
});
