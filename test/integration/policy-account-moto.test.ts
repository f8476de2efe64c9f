/**
 * `oidcwatch policy` without `--account`: the JSON policy names the provider of the account of the
 * caller's AWS credentials, read with `sts:GetCallerIdentity` from the local AWS API (moto) over HTTP,
 * and says so on stderr; the policy is checked as with `--account`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/policy.js';
import { fakeIo } from '../helpers/fake-io.js';
import { type Moto, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';

const RUN = shouldRunMotoSuite('oidcwatch policy: the account of the credentials');
/** moto's account for any credentials. */
const MOTO_ACCOUNT = '123456789012';

describe.runIf(RUN)('oidcwatch policy: the account of the credentials (moto_server)', () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, 60_000);
  afterAll(async () => {
    await moto?.stop();
  });

  it('writes the policy for the account of the credentials when --account is not given', async () => {
    // Prepare
    const io = fakeIo({
      env: {
        AWS_ENDPOINT_URL: moto.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: 'us-east-1',
      },
    });

    // Act
    const code = await run(['--repo', 'acme-corp/api', '--environment', 'production'], io);

    // Assess
    expect(code).toBe(0);
    const policy = JSON.parse(io.out()) as {
      Statement: { Principal: { Federated: string }; Condition: unknown }[];
    };
    expect(policy.Statement.map((s) => s.Principal.Federated)).toEqual([
      `arn:aws:iam::${MOTO_ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    ]);
    expect(policy.Statement[0]?.Condition).toEqual({
      StringEquals: {
        'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
        'token.actions.githubusercontent.com:sub': 'repo:acme-corp/api:environment:production',
      },
    });
    expect(io.err()).toContain(
      `Account ${MOTO_ACCOUNT}: the account of your AWS credentials (sts:GetCallerIdentity); give --account ID for another.\n`
    );
    expect(io.err()).toContain(
      'provider arn:aws:iam::999999999999:oidc-provider/token.actions.githubusercontent.com'
    );
  });
});
