/**
 * The canary's issuer and token, end to end on this machine: the key is made by the probe and kept
 * in Secrets Manager (moto_server over loopback), the issuer handler is served by a local HTTP
 * server on 127.0.0.1 the way a function URL serves it, and jose verifies the probe's token
 * against the served discovery document and JWKS, as STS would. The JWKS carries no private key
 * member, and the probe logs no token.
 */
import { createServer, type Server } from 'node:http';
import {
  CreateSecretCommand,
  GetSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANARY_AUDIENCE, CANARY_SUBJECT } from '../../src/canary/claims.js';
import { DISCOVERY_PATH, issuerHandler, JWKS_PATH } from '../../src/canary/issuer.js';
import { probeRunner, signCanaryToken } from '../../src/canary/probe.js';
import { loadCanaryKey } from '../../src/canary/signing-key.js';
import { type Moto, motoClientConfig, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';

const run = shouldRunMotoSuite('canary issuer against moto');
const SECRET = 'oidcwatch/canary-key';

let moto: Moto;
let secrets: SecretsManagerClient;
let server: Server;
let issuer = '';

/** Serves the issuer handler like a function URL: the request's host is the issuer. */
async function serve(handle: ReturnType<typeof issuerHandler>): Promise<string> {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    handle({
      rawPath: url.pathname,
      requestContext: { domainName: req.headers.host ?? '', http: { method: req.method ?? 'GET' } },
    }).then(
      (r) => {
        res.writeHead(r.statusCode, r.headers);
        res.end(r.body);
      },
      () => {
        res.writeHead(500);
        res.end();
      }
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe.runIf(run)('canary issuer and token', () => {
  beforeAll(async () => {
    moto = await startMoto();
    secrets = new SecretsManagerClient(motoClientConfig(moto.endpoint));
    // The stack creates the secret with a placeholder; the probe puts the key in it.
    await secrets.send(new CreateSecretCommand({ Name: SECRET, SecretString: '{"pending":true}' }));
    const host = await serve(
      issuerHandler({ secrets, secretId: SECRET, now: Date.now, cacheMs: 0 })
    );
    // The issuer URL is https in AWS; locally the same handler is reached over http.
    issuer = `http://${host}`;
  });

  afterAll(async () => {
    server?.close();
    await moto?.stop();
  });

  it('answers 503 for the JWKS until the probe has made the key', async () => {
    // Prepare
    const url = `${issuer}${JWKS_PATH}`;

    // Act
    const res = await fetch(url);

    // Assess
    expect(res.status).toBe(503);
  });

  it('serves a token the probe signs that jose verifies through discovery and the JWKS, as STS would', async () => {
    // Prepare
    const key = await loadCanaryKey(secrets, SECRET, () => 'canary-1');
    const discovery = (await (await fetch(`${issuer}${DISCOVERY_PATH}`)).json()) as {
      issuer: string;
      jwks_uri: string;
    };
    const advertised = discovery.issuer.replace(/^https:/, 'http:');
    const token = await signCanaryToken(key, discovery.issuer, Date.now(), 'jti-1');

    // Act
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri.replace(/^https:/, 'http:')));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: discovery.issuer,
      audience: CANARY_AUDIENCE,
    });

    // Assess
    expect(advertised).toBe(issuer);
    expect(discovery.jwks_uri).toBe(`${discovery.issuer}${JWKS_PATH}`);
    expect(protectedHeader).toEqual({ alg: 'RS256', kid: 'canary-1', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: CANARY_SUBJECT, aud: CANARY_AUDIENCE, jti: 'jti-1' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });

  it('serves only the public key: no private member leaves the secret through the JWKS', async () => {
    // Prepare
    const url = `${issuer}${JWKS_PATH}`;

    // Act
    const jwks = (await (await fetch(url)).json()) as { keys: Record<string, unknown>[] };

    // Assess
    expect(jwks.keys).toHaveLength(1);
    expect(Object.keys(jwks.keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('refuses a token signed with any other key', async () => {
    // Prepare
    const stranger = await loadCanaryKey(
      new SecretsManagerClient(motoClientConfig(moto.endpoint)),
      (await secrets.send(new CreateSecretCommand({ Name: 'other', SecretString: '{}' }))).ARN ??
        '',
      () => 'canary-1'
    );
    const forged = await signCanaryToken(stranger, issuer, Date.now(), 'jti-2');

    // Act
    const verify = jwtVerify(forged, createRemoteJWKSet(new URL(`${issuer}${JWKS_PATH}`)));

    // Assess
    await expect(verify).rejects.toThrow(/signature verification failed/);
    expect(decodeProtectedHeader(forged).kid).toBe('canary-1');
  });

  it('answers 404 for anything but the two documents', async () => {
    // Prepare
    const paths = ['/', '/.well-known/', '/secret'];

    // Act
    const statuses = await Promise.all(
      paths.map(async (p) => (await fetch(`${issuer}${p}`)).status)
    );

    // Assess
    expect(statuses).toEqual([404, 404, 404]);
  });

  it('makes one denied call per target with the same key, and logs no token', async () => {
    // Prepare
    const lines: string[] = [];
    const calls: { region: string; input: Record<string, unknown> }[] = [];
    const denied = Object.assign(
      new Error('Not authorized to perform sts:AssumeRoleWithWebIdentity'),
      {
        name: 'AccessDenied',
      }
    );
    const probe = probeRunner({
      secrets,
      secretId: SECRET,
      issuer,
      targets: [
        { roleArn: 'arn:aws:iam::111122223333:role/oidcwatch-canary', region: 'eu-west-1' },
        { roleArn: 'arn:aws:iam::444455556666:role/oidcwatch-canary', region: 'us-east-1' },
      ],
      sts: (region) =>
        ({
          send: async (command: { input: Record<string, unknown> }) => {
            calls.push({ region, input: command.input });
            throw denied;
          },
        }) as never,
      log: (msg, fields) => lines.push(JSON.stringify({ msg, ...fields })),
      now: Date.now,
      randomId: () => 'never-used-kid',
    });

    // Act
    const outcomes = await probe();

    // Assess
    expect(outcomes).toEqual([
      { account: '111122223333', region: 'eu-west-1', outcome: 'denied', error: 'AccessDenied' },
      { account: '444455556666', region: 'us-east-1', outcome: 'denied', error: 'AccessDenied' },
    ]);
    const stored = JSON.parse(
      (await secrets.send(new GetSecretValueCommand({ SecretId: SECRET }))).SecretString ?? '{}'
    ) as { kid: string };
    expect(stored.kid).toBe('canary-1');
    for (const c of calls) {
      const token = String(c.input.WebIdentityToken);
      expect(decodeProtectedHeader(token).kid).toBe('canary-1');
      for (const line of lines) expect(line).not.toContain(token.split('.')[2]);
    }
    expect(calls.map((c) => c.input.RoleSessionName)).toEqual([
      'oidcwatch-canary',
      'oidcwatch-canary',
    ]);
  });
});
