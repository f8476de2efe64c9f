/**
 * `oidcwatch doctor --role-arn` against a real IAM API over HTTP (moto_server, reached through
 * `AWS_ENDPOINT_URL` as the CLI is in a workflow with read credentials): the role's trust policy
 * is read from IAM and judged with the token's claims, and the account's OIDC provider is checked
 * for the token's issuer and audience. The token comes from a local token endpoint and is signed
 * with a key the test generates.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IamSnapshot } from '../../src/adapters/snapshot/iam-snapshot.js';
import { run } from '../../src/cli/commands/doctor.js';
import type { DoctorReport } from '../../src/usecases/run-doctor.js';
import {
  type ActionsOidcServer,
  closedPort,
  startActionsOidcServer,
} from '../helpers/actions-oidc-server.js';
import { fakeIo } from '../helpers/fake-io.js';
import {
  generateTestKey,
  type JobSpec,
  jobClaims,
  signToken,
} from '../helpers/github-oidc-token.js';
import { type Moto, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';
import { seedIam } from '../helpers/seed-iam.js';

const RUN = shouldRunMotoSuite('doctor --role-arn against moto_server');
/** moto's default account: the one the read credentials belong to. */
const ACCOUNT = '123456789012';
const GITHUB = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${GITHUB}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-deploy`;

const SNAPSHOT: IamSnapshot = {
  accounts: {
    [ACCOUNT]: {
      roles: [
        {
          arn: ROLE,
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'GitHubDeploy',
                Effect: 'Allow',
                Principal: { Federated: PROVIDER },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: {
                  StringEquals: { [`${GITHUB}:aud`]: 'sts.amazonaws.com' },
                  StringLike: {
                    [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:ref:refs/heads/main',
                  },
                },
              },
            ],
          },
          maxSessionDuration: 3600,
        },
      ],
      oidcProviders: [
        {
          arn: PROVIDER,
          url: GITHUB,
          clientIds: ['sts.amazonaws.com'],
          thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
        },
      ],
    },
  },
};

describe.runIf(RUN)('oidcwatch doctor --role-arn against moto_server', () => {
  let moto: Moto;
  let server: ActionsOidcServer;
  let requestToken = '';
  let nextJob: Omit<JobSpec, 'aud'> = { iss: `https://${GITHUB}` };

  beforeAll(async () => {
    moto = await startMoto();
    await seedIam(moto.endpoint, SNAPSHOT);
    const key = await generateTestKey('test-key-1');
    requestToken = await signToken({ scp: 'Actions.Results:test' }, key);
    server = await startActionsOidcServer(requestToken);
    server.issue = (audience) => signToken(jobClaims({ ...nextJob, aud: audience }), key);
  });

  afterAll(async () => {
    await server?.close();
    await moto?.stop();
  });

  beforeEach(() => {
    // The SDK's default chain reads these from the process environment, as in a workflow step.
    vi.stubEnv('AWS_ENDPOINT_URL', moto.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'testing');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'testing');
    vi.stubEnv('AWS_REGION', 'us-east-1');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function doctor(argv: string[]) {
    const io = fakeIo({
      env: {
        GITHUB_ACTIONS: 'true',
        ACTIONS_ID_TOKEN_REQUEST_URL: server.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
        AWS_REGION: 'us-east-1',
      },
    });
    const code = await run(argv, io);
    return { code, out: io.out(), err: io.err() };
  }

  it('reads the role and the provider from IAM and admits a job on main', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}` };

    // Act
    const { code, out, err } = await doctor(['--role-arn', ROLE]);

    // Assess
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain(
      [
        `role ${ROLE} (read from IAM)`,
        `  principal ${PROVIDER}`,
        `  provider  ${PROVIDER}, client IDs "sts.amazonaws.com"`,
        'allowed: yes',
        '  Allow GitHubDeploy: matches',
      ].join('\n')
    );
  });

  it('denies a job on another branch with the cause and fix from the trust policy IAM returns', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}`, ref: 'refs/heads/release' };

    // Act
    const { code, out } = await doctor(['--role-arn', ROLE, '--json']);

    // Assess
    expect(code).toBe(0);
    const policy = (JSON.parse(out) as DoctorReport).policy;
    expect(policy).toMatchObject({
      source: 'iam',
      allowed: false,
      cause: 'SUB_MISMATCH',
      detail: 'BRANCH',
    });
    expect(policy?.fix).toBe(
      `Add "repo:acme-corp/payments-api:ref:refs/heads/release" to StringLike["${GITHUB}:sub"] in statement "GitHubDeploy" (it admits refs/heads/release of acme-corp/payments-api only).`
    );
  });

  it('finds no provider for an enterprise issuer and gives the command that creates it', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}/acme-corp` };

    // Act
    const { code, out } = await doctor(['--role-arn', ROLE, '--json']);

    // Assess
    expect(code).toBe(0);
    const policy = (JSON.parse(out) as DoctorReport).policy;
    expect(policy).toMatchObject({ allowed: false, cause: 'MISSING_OIDC_PROVIDER', detail: null });
    expect(policy?.explanation).toContain(
      `Account ${ACCOUNT} has no IAM OIDC provider for ${GITHUB}/acme-corp (it has "${GITHUB}").`
    );
    expect(policy?.fix).toBe(
      `aws iam create-open-id-connect-provider --url https://${GITHUB}/acme-corp --client-id-list sts.amazonaws.com`
    );
  });

  it('finds an audience missing from the provider client IDs', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}` };

    // Act
    const { code, out } = await doctor([
      '--role-arn',
      ROLE,
      '--audience',
      'https://github.com/acme-corp',
      '--json',
    ]);

    // Assess
    expect(code).toBe(0);
    const policy = (JSON.parse(out) as DoctorReport).policy;
    expect(policy).toMatchObject({
      allowed: false,
      cause: 'AUDIENCE_MISMATCH',
      detail: 'PROVIDER_CLIENT_ID',
    });
    expect(policy?.fix).toBe(
      'Request `audience: sts.amazonaws.com` in the workflow (configure-aws-credentials does by default).'
    );
  });

  it('says ROLE_NOT_FOUND for a role IAM does not have', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}` };
    const missing = `arn:aws:iam::${ACCOUNT}:role/payments-deploy-typo`;

    // Act
    const { code, out } = await doctor(['--role-arn', missing, '--json']);

    // Assess
    expect(code).toBe(0);
    const policy = (JSON.parse(out) as DoctorReport).policy;
    expect(policy).toMatchObject({ allowed: false, cause: 'ROLE_NOT_FOUND', trace: null });
  });

  it('exits 2 when IAM cannot be reached, after printing the token', async () => {
    // Prepare
    nextJob = { iss: `https://${GITHUB}` };
    vi.stubEnv('AWS_ENDPOINT_URL', `http://127.0.0.1:${await closedPort()}`);

    // Act
    const { code, out, err } = await doctor(['--role-arn', ROLE]);

    // Assess
    expect(code).toBe(2);
    expect(out).toContain('sub       repo:acme-corp/payments-api:ref:refs/heads/main\n');
    expect(out).toContain('allowed: unknown: IAM could not be read (reading role');
    expect(err).toMatch(
      /^oidcwatch doctor: reading role arn:aws:iam::123456789012:role\/payments-deploy: .*ECONNREFUSED/
    );
  });

  it('exits 1 for a --role-arn that is not a role ARN', async () => {
    // Prepare
    const argv = ['--role-arn', 'payments-deploy'];

    // Act
    const { code, err } = await doctor(argv);

    // Assess
    expect(code).toBe(1);
    expect(err).toBe(
      'oidcwatch doctor: --role-arn "payments-deploy" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)\n'
    );
  });
});
