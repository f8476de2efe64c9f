/**
 * Issue 15: the canary with AWS endpoints that accept connections and never answer. With its own
 * clients' timeouts and retries (`canaryClientConfig`), a hung STS is one `error` outcome, logged,
 * the other targets still probed; a hung Secrets Manager fails the probe run (the function errors
 * and its alarm sees it) and the issuer's JWKS request, instead of either function timing out.
 * Outcomes only: each test may take far longer than its bounded calls need.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_AWS_CALLS, canaryClientConfig } from '../../src/canary/client-config.js';
import { issuerHandler, JWKS_PATH } from '../../src/canary/issuer.js';
import { probeRunner } from '../../src/canary/probe.js';
import { type HungEndpoint, startHungEndpoint } from '../helpers/hung-endpoint.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';

const run = shouldRunMotoSuite('canary with hung AWS endpoints');
const SECRET = 'oidcwatch/canary-key';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
/** The probe function's timeout (infra/constructs/canary.ts). */
const PROBE_TIMEOUT_MS = 60_000;

let hung: HungEndpoint | undefined;
/** The hung endpoint's URL (started before the tests). */
const hungUrl = () => (hung as HungEndpoint).url;
/** What each connection to the hung endpoint sent (the request it never got an answer to). */
const hungReceived = () => (hung as HungEndpoint).received;
let moto: Moto;

/** Secrets Manager with the canary's own timeouts, on the hung endpoint. */
const hungSecrets = () =>
  new SecretsManagerClient(
    canaryClientConfig('secrets', {
      region: 'us-east-1',
      endpoint: hungUrl(),
      credentials: CREDENTIALS,
    })
  );

describe.runIf(run)('canary with AWS endpoints that accept connections and never answer', () => {
  beforeAll(async () => {
    hung = await startHungEndpoint();
    moto = await startMoto();
    await new SecretsManagerClient(motoClientConfig(moto.endpoint)).send(
      new CreateSecretCommand({ Name: SECRET, SecretString: '{"pending":true}' })
    );
  });

  afterAll(async () => {
    await hung?.close();
    await moto?.stop();
  });

  it(
    'gives an error outcome, logged, for a target whose STS never answers, after a bounded number of attempts',
    async () => {
      // Prepare
      const lines: Record<string, unknown>[] = [];
      const probe = probeRunner({
        secrets: new SecretsManagerClient(motoClientConfig(moto.endpoint)),
        secretId: SECRET,
        issuer: 'https://canary.example',
        targets: [
          { roleArn: 'arn:aws:iam::111122223333:role/oidcwatch-canary', region: 'eu-west-1' },
        ],
        stsTarget: { endpoint: hungUrl(), credentials: CREDENTIALS },
        log: (msg, fields) => lines.push({ msg, ...fields }),
        now: Date.now,
        randomId: () => 'canary-1',
      });
      const before = hungReceived().filter((r) => r.includes('AssumeRoleWithWebIdentity')).length;

      // Act
      const outcomes = await probe();

      // Assess
      expect(outcomes).toEqual([
        { account: '111122223333', region: 'eu-west-1', outcome: 'error', error: 'TimeoutError' },
      ]);
      expect(lines).toContainEqual({ msg: 'oidcwatch.canary.probe', ...outcomes[0] });
      const calls = hungReceived().filter((r) => r.includes('AssumeRoleWithWebIdentity')).length;
      expect(calls - before).toBe(CANARY_AWS_CALLS.attempts);
    },
    PROBE_TIMEOUT_MS
  );

  it(
    'fails the probe run when Secrets Manager never answers',
    async () => {
      // Prepare
      const probe = probeRunner({
        secrets: hungSecrets(),
        secretId: SECRET,
        issuer: 'https://canary.example',
        targets: [
          { roleArn: 'arn:aws:iam::111122223333:role/oidcwatch-canary', region: 'eu-west-1' },
        ],
        sts: () => ({ send: async () => expect.unreachable('no key, no call') }) as never,
        log: () => {},
        now: Date.now,
        randomId: () => 'canary-1',
      });

      // Act
      const outcome = probe();

      // Assess
      await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' });
    },
    PROBE_TIMEOUT_MS
  );

  it(
    'fails the issuer’s JWKS request when Secrets Manager never answers',
    async () => {
      // Prepare
      const handle = issuerHandler({ secrets: hungSecrets(), secretId: SECRET, now: Date.now });

      // Act
      const answer = handle({
        rawPath: JWKS_PATH,
        requestContext: { domainName: 'canary.example', http: { method: 'GET' } },
      });

      // Assess: the function URL answers 502 and STS refuses the token; the probe logs it.
      await expect(answer).rejects.toMatchObject({ name: 'TimeoutError' });
    },
    PROBE_TIMEOUT_MS
  );
});
