/**
 * How the CLI tells AWS problems apart, against real SDK clients: no credentials at all ("no AWS
 * credentials found", and how to provide them) is not "not permitted"; an answer that is not
 * AWS's (an HTML error page from a proxy or a wrong AWS_ENDPOINT_URL) is not retried by backfill,
 * whose retries are for throttling and real server errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBackfillCommand } from '../../src/cli/commands/backfill.js';
import { fakeIo } from '../helpers/fake-io.js';
import { runOidcwatch } from '../helpers/run-oidcwatch.js';

const ROOT = resolve(import.meta.dirname, '../..');
let home: string;
let server: Server | null = null;

/**
 * An environment with no AWS credentials anywhere the default chain looks: no keys, an empty
 * home (no ~/.aws), no container credentials, and the instance metadata service switched off
 * (nothing is sent to 169.254.169.254).
 */
function noCredentialsEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: 'us-east-1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NO_COLOR: '1',
  };
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'oidcwatch-nocreds-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});
afterEach(async () => {
  await new Promise<void>((done) => (server === null ? done() : server.close(() => done())));
  server = null;
});

describe('no AWS credentials', () => {
  it('classify in live mode says no credentials were found and how to provide them, before any result', async () => {
    // Act
    const { code, stdout, stderr } = await runOidcwatch(
      ['classify', join(ROOT, 'examples/events')],
      { env: noCredentialsEnv() }
    );

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^oidcwatch classify: .*no AWS credentials found/);
    expect(stderr).toContain('AWS_ACCESS_KEY_ID');
    expect(stderr).toContain('AWS_PROFILE');
    expect(stderr).toContain('--iam-snapshot FILE');
    expect(stderr).not.toContain('not permitted');
  });

  it('audit in live mode says the same, not "is not permitted"', async () => {
    // Act
    const { code, stderr } = await runOidcwatch(['audit'], { env: noCredentialsEnv() });

    // Assess
    expect(code).toBe(2);
    expect(stderr).toMatch(/^oidcwatch audit: .*no AWS credentials found/);
    expect(stderr).not.toContain('not permitted');
  });
});

describe('an answer that is not AWS', () => {
  it('backfill does not retry an HTML error page, and names what answered', async () => {
    // Prepare
    let requests = 0;
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      });
    });
    await new Promise<void>((done) => server?.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const backfill = createBackfillCommand({
      signal: new AbortController().signal,
      backoff: { maxAttempts: 8, baseMs: 10, capMs: 20 },
    });
    const io = fakeIo({
      env: {
        AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
    });

    // Act
    const code = await backfill(
      [
        '--since',
        '1d',
        '--region',
        'eu-west-1',
        '--iam-snapshot',
        join(ROOT, 'examples/iam-snapshot.json'),
        '--no-chained',
        '--no-changes',
      ],
      io
    );

    // Assess
    expect(code).toBe(2);
    expect(requests).toBe(1);
    expect(io.err()).toContain(
      'oidcwatch backfill: CloudTrail LookupEvents in eu-west-1 failed: the endpoint answered HTTP 502 with a body that is not an AWS answer'
    );
    expect(io.err()).not.toContain('gave up after');
  });
});
