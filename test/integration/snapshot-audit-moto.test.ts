/**
 * `oidcwatch snapshot` and live `oidcwatch audit` end to end against a real IAM API over HTTP
 * (moto_server): the examples' providers and roles are created account by account, `snapshot`
 * runs as a real process with `AWS_ENDPOINT_URL` pointed at the emulator and dummy credentials,
 * the written file validates, `classify` on examples/events gives the same results with it as with
 * examples/iam-snapshot.json, and a live audit gives the findings of `audit --iam-snapshot`. Then
 * the exit code 2 when nothing listens at the endpoint.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IamSnapshot, loadSnapshot } from '../../src/adapters/snapshot/iam-snapshot.js';
import { run as audit } from '../../src/cli/commands/audit.js';
import { run as classify } from '../../src/cli/commands/classify.js';
import { run as snapshot } from '../../src/cli/commands/snapshot.js';
import { readTrustPolicy } from '../../src/domain/policy/parse-policy.js';
import { fakeIo } from '../helpers/fake-io.js';
import { type Moto, shouldRunMotoSuite, startMoto } from '../helpers/moto.js';
import { type ProcessResult, runOidcwatch } from '../helpers/run-oidcwatch.js';
import { seedIam } from '../helpers/seed-iam.js';

const RUN = shouldRunMotoSuite('snapshot and audit against moto_server');
const EXAMPLES = 'examples/iam-snapshot.json';
/** moto's account for the dummy credentials: the caller's own account here. */
const HOME = '123456789012';
const DUMMY = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
};

/** Runs the built `oidcwatch` as a process. */
function oidcwatch(args: string[], env: Record<string, string>): Promise<ProcessResult> {
  return runOidcwatch(args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...env },
  });
}

/** A policy as data, whatever form (object, JSON or URL-encoded text) it was stored in. */
function policyData(policy: unknown): unknown {
  if (typeof policy !== 'string') return policy;
  return JSON.parse(policy.trim().startsWith('{') ? policy : decodeURIComponent(policy));
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

describe.runIf(RUN)('snapshot and audit against moto_server', () => {
  let moto: Moto;
  let dir = '';
  let examples: IamSnapshot;
  let accounts: string[] = [];
  let written = '';
  let env: Record<string, string> = {};

  beforeAll(async () => {
    moto = await startMoto();
    examples = await loadSnapshot(EXAMPLES);
    accounts = Object.keys(examples.accounts);
    await seedIam(moto.endpoint, examples);
    dir = await mkdtemp(join(tmpdir(), 'oidcwatch-snapshot-moto-'));
    written = join(dir, 'iam-snapshot.json');
    env = { ...DUMMY, AWS_ENDPOINT_URL: moto.endpoint };
  });

  afterAll(async () => {
    await moto?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the snapshot of every account as a real process, and it validates', async () => {
    // Act
    const { code, stdout, stderr } = await oidcwatch(
      [
        'snapshot',
        '--out',
        written,
        '--account-role',
        'oidcwatch-read',
        '--accounts',
        accounts.join(','),
      ],
      env
    );

    // Assess
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `oidcwatch snapshot: wrote ${written}: 5 accounts (${[...accounts, HOME].sort().join(', ')}), 47 roles, 9 OIDC providers\n`
    );
    const read = await loadSnapshot(written);
    expect(Object.keys(read.accounts)).toEqual([...accounts, HOME].sort());
    expect(read.accounts[HOME]).toEqual({ roles: [], oidcProviders: [] });
  });

  it('holds exactly the seeded providers and roles, trust policies decoded', async () => {
    // Prepare
    const read = await loadSnapshot(written);

    // Act
    const compare = (s: IamSnapshot) =>
      accounts.map((a) => ({
        providers: [...(s.accounts[a]?.oidcProviders ?? [])].sort((x, y) =>
          x.arn.localeCompare(y.arn)
        ),
        roles: [...(s.accounts[a]?.roles ?? [])]
          .sort((x, y) => x.arn.localeCompare(y.arn))
          .map((r) => ({
            arn: r.arn,
            trustPolicy: policyData(r.trustPolicy),
            maxSessionDuration: r.maxSessionDuration,
          })),
      }));

    // Assess
    expect(compare(read)).toEqual(compare(examples));
    for (const r of read.accounts['111122223333']?.roles ?? [])
      expect(typeof r.trustPolicy).toBe('object');
    // Every one but importer-deploy, planted with an Effect ("allow") IAM itself would reject.
    expect(
      read.accounts['111122223333']?.roles
        .filter((r) => !r.arn.endsWith(':role/importer-deploy'))
        .every((r) => readTrustPolicy(r.trustPolicy).ok)
    ).toBe(true);
  });

  it('gives classify the same results on examples/events as examples/iam-snapshot.json', async () => {
    // Prepare
    const fromExamples = fakeIo();
    const fromWritten = fakeIo();

    // Act
    const a = await classify(
      ['examples/events', '--iam-snapshot', EXAMPLES, '--json'],
      fromExamples
    );
    const b = await classify(['examples/events', '--iam-snapshot', written, '--json'], fromWritten);

    // Assess
    const lines = (out: string) =>
      out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const expected = lines(fromExamples.out());
    const actual = lines(fromWritten.out());
    expect([a, b]).toEqual([0, 0]);
    expect(actual).toHaveLength(85);
    expect(actual.map((d) => [d.eventId, d.cause, d.detail])).toEqual(
      expected.map((d) => [d.eventId, d.cause, d.detail])
    );
    expect(actual).toEqual(expected);
  });

  it('gives a live audit the findings of audit --iam-snapshot', async () => {
    // Prepare
    const live = fakeIo({ env });
    const offline = fakeIo();

    // Act
    const liveCode = await audit(
      ['--json', '--account-role', 'oidcwatch-read', '--accounts', accounts.join(',')],
      live
    );
    const offlineCode = await audit(['--json', '--iam-snapshot', EXAMPLES], offline);

    // Assess
    expect([liveCode, offlineCode]).toEqual([0, 0]);
    expect(live.err()).toBe('');
    expect(live.out()).toBe(offline.out());
    expect(live.out().trimEnd().split('\n')).toHaveLength(17);
  });

  it('gates a live audit with --fail-on like an offline one', async () => {
    // Prepare
    const live = fakeIo({ env });

    // Act
    const code = await audit(
      ['--fail-on', 'high', '--account-role', 'oidcwatch-read', '--accounts', accounts.join(',')],
      live
    );

    // Assess
    expect(code).toBe(3);
    expect(live.out()).toContain(
      `Account ${HOME} · 0 roles, 0 trusting an OIDC provider · 0 OIDC providers\n  no findings\n`
    );
    expect(live.err()).toBe('oidcwatch audit: 4 findings at or above high (--fail-on high)\n');
  });
});

describe('live IAM unreachable', () => {
  it('makes snapshot exit 2, naming the call and the endpoint, and write nothing', async () => {
    // Prepare
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const io = fakeIo({ env: { ...DUMMY, AWS_ENDPOINT_URL: endpoint } });

    // Act
    const code = await snapshot([], io);

    // Assess
    expect(code).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(
      new RegExp(
        `^oidcwatch snapshot: sts:GetCallerIdentity at ${endpoint.replace(/[.:/]/g, '\\$&')} failed: .*ECONNREFUSED`
      )
    );
  });

  it('makes a live audit exit 2', async () => {
    // Prepare
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const io = fakeIo({ env: { ...DUMMY, AWS_ENDPOINT_URL: endpoint } });

    // Act
    const code = await audit(['--fail-on', 'info'], io);

    // Assess
    expect(code).toBe(2);
    expect(io.out()).toBe('');
    expect(io.err()).toMatch(
      /^oidcwatch audit: sts:GetCallerIdentity at .* failed: .*ECONNREFUSED/
    );
  });
});
