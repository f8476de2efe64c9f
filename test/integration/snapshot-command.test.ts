/**
 * `oidcwatch snapshot` against a mocked IAM and STS (aws-sdk-client-mock): pagination, URL-decoded
 * trust policies, providers normalised, other accounts read through the assumed read role (the
 * credentials are really resolved, so a denied `AssumeRole` fails that account), and the exit
 * codes: 2 naming what failed when AWS refuses, 1 when the output file cannot be written.
 */

import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/adapters/snapshot/iam-snapshot.js';
import { run } from '../../src/cli/commands/snapshot.js';
import { fakeIo } from '../helpers/fake-io.js';
import { githubTrustPolicy } from '../helpers/iam-view.js';

const HOME = '111122223333';
const DATA = '444455556666';
const DENIED = '222233334444';
const ENV = {
  AWS_ACCESS_KEY_ID: 'home-key',
  AWS_SECRET_ACCESS_KEY: 'home-secret',
  AWS_REGION: 'eu-west-1',
};
const GH = 'token.actions.githubusercontent.com';

const iamMock = mockClient(IAMClient);
const stsMock = mockClient(STSClient);

let dir = '';
/** The `Marker` of each `ListRoles` call (the paginator reuses one input object). */
let markers: (string | undefined)[] = [];

function denied(message: string): Error {
  return Object.assign(new Error(message), {
    name: 'AccessDenied',
    $metadata: { httpStatusCode: 403 },
  });
}

/** The account whose credentials an IAM client uses (as the signer would resolve them). */
async function accountOf(getClient: () => unknown): Promise<string> {
  const client = getClient() as { config: { credentials: () => Promise<{ accessKeyId: string }> } };
  const { accessKeyId } = await client.config.credentials();
  return accessKeyId === 'home-key' ? HOME : accessKeyId.replace('assumed-', '');
}

function rolesOf(account: string) {
  const policy = githubTrustPolicy(`repo:acme-corp/r-${account}:*`, {
    operator: 'StringLike',
    account,
  });
  return [
    {
      RoleName: 'b',
      Arn: `arn:aws:iam::${account}:role/b`,
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(policy)),
      MaxSessionDuration: 7200,
    },
    {
      RoleName: 'a',
      Arn: `arn:aws:iam::${account}:role/ci/a`,
      AssumeRolePolicyDocument: JSON.stringify(policy),
    },
    {
      RoleName: 'c',
      Arn: `arn:aws:iam::${account}:role/c`,
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(policy)),
      MaxSessionDuration: 3600,
    },
  ];
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-snapshot-cli-'));
});

afterAll(async () => {
  iamMock.restore();
  stsMock.restore();
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  iamMock.reset();
  stsMock.reset();
  stsMock
    .on(GetCallerIdentityCommand)
    .resolves({ Account: HOME, Arn: `arn:aws:iam::${HOME}:user/operator` });
  stsMock.on(AssumeRoleCommand).callsFake((input: { RoleArn: string }) => {
    const account = input.RoleArn.split(':')[4] as string;
    if (account === DENIED)
      throw denied(
        `User is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`
      );
    return {
      Credentials: {
        AccessKeyId: `assumed-${account}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(Date.now() + 3_600_000),
      },
    };
  });
  iamMock.on(ListOpenIDConnectProvidersCommand).callsFake(async (_input, getClient) => ({
    OpenIDConnectProviderList: [
      { Arn: `arn:aws:iam::${await accountOf(getClient)}:oidc-provider/${GH}` },
    ],
  }));
  iamMock.on(GetOpenIDConnectProviderCommand).resolves({
    Url: `https://${GH}/`,
    ClientIDList: ['sts.amazonaws.com'],
    ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
  });
  markers = [];
  iamMock.on(ListRolesCommand).callsFake(async (input: { Marker?: string }, getClient) => {
    markers.push(input.Marker);
    const roles = rolesOf(await accountOf(getClient));
    return input.Marker === undefined
      ? { Roles: roles.slice(0, 2), IsTruncated: true, Marker: 'page-2' }
      : { Roles: roles.slice(2), IsTruncated: false };
  });
});

describe('oidcwatch snapshot', () => {
  it('writes every provider and every role (all pages), trust policies decoded, and reads back', async () => {
    // Prepare
    const out = join(dir, 'home.json');
    const io = fakeIo({ env: ENV });

    // Act
    const code = await run(['--out', out], io);

    // Assess
    expect(code).toBe(0);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(Object.keys(doc.accounts)).toEqual([HOME]);
    expect(doc.accounts[HOME].oidcProviders).toEqual([
      {
        arn: `arn:aws:iam::${HOME}:oidc-provider/${GH}`,
        url: GH,
        clientIds: ['sts.amazonaws.com'],
        thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      },
    ]);
    expect(
      doc.accounts[HOME].roles.map((r: { arn: string; maxSessionDuration?: number }) => [
        r.arn,
        r.maxSessionDuration,
      ])
    ).toEqual([
      [`arn:aws:iam::${HOME}:role/b`, 7200],
      [`arn:aws:iam::${HOME}:role/c`, 3600],
      [`arn:aws:iam::${HOME}:role/ci/a`, undefined],
    ]);
    for (const r of doc.accounts[HOME].roles)
      expect(r.trustPolicy).toEqual(
        githubTrustPolicy(`repo:acme-corp/r-${HOME}:*`, { operator: 'StringLike', account: HOME })
      );
    expect(markers).toEqual([undefined, 'page-2']);
    expect((await loadSnapshot(out)).accounts[HOME]?.roles).toHaveLength(3);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(
      `oidcwatch snapshot: wrote ${out}: 1 account (${HOME}), 3 roles, 1 OIDC provider\n`
    );
  });

  it('prints the snapshot on stdout without --out', async () => {
    // Prepare
    const io = fakeIo({ env: ENV });

    // Act
    const code = await run([], io);

    // Assess
    expect(code).toBe(0);
    expect(Object.keys(JSON.parse(io.out()).accounts)).toEqual([HOME]);
    expect(io.err()).toMatch(/^oidcwatch snapshot: printed 1 account/);
  });

  it('reads other accounts through the read role, leaves out the ones it cannot read and exits 2 naming why', async () => {
    // Prepare
    const out = join(dir, 'org.json');
    const io = fakeIo({ env: ENV });

    // Act
    const code = await run(
      ['--out', out, '--account-role', 'oidcwatch-read', '--accounts', `${DATA},${DENIED},${HOME}`],
      io
    );

    // Assess
    expect(code).toBe(2);
    const snapshot = await loadSnapshot(out);
    expect(Object.keys(snapshot.accounts)).toEqual([HOME, DATA]);
    expect(snapshot.accounts[DATA]?.roles.map((r) => r.arn)).toEqual([
      `arn:aws:iam::${DATA}:role/b`,
      `arn:aws:iam::${DATA}:role/c`,
      `arn:aws:iam::${DATA}:role/ci/a`,
    ]);
    expect(stsMock.commandCalls(AssumeRoleCommand).map((c) => c.args[0].input.RoleArn)).toEqual([
      `arn:aws:iam::${DATA}:role/oidcwatch-read`,
      `arn:aws:iam::${DENIED}:role/oidcwatch-read`,
    ]);
    expect(io.err()).toContain(
      `oidcwatch snapshot: wrote ${out}: 2 accounts (${HOME}, ${DATA}), 6 roles, 2 OIDC providers\n`
    );
    expect(io.err()).toContain(
      `oidcwatch snapshot: account ${DENIED} left out: iam:ListOpenIDConnectProviders in ${DENIED}: sts:AssumeRole arn:aws:iam::${DENIED}:role/oidcwatch-read: AccessDenied: User is not authorized to perform: sts:AssumeRole`
    );
  });

  it('exits 2 naming sts:GetCallerIdentity when the credentials are refused, and writes nothing', async () => {
    // Prepare
    stsMock.on(GetCallerIdentityCommand).rejects(
      Object.assign(new Error('The security token included in the request is invalid.'), {
        name: 'InvalidClientTokenId',
      })
    );
    const out = join(dir, 'refused.json');
    const io = fakeIo({ env: ENV });

    // Act
    const code = await run(['--out', out], io);

    // Assess
    expect(code).toBe(2);
    expect(io.err()).toBe(
      'oidcwatch snapshot: sts:GetCallerIdentity failed: InvalidClientTokenId: The security token included in the request is invalid.\n'
    );
    await expect(access(out)).rejects.toThrow(/ENOENT/);
  });

  it('exits 2 naming iam:ListRoles when the caller may not list roles', async () => {
    // Prepare
    iamMock
      .on(ListRolesCommand)
      .rejects(
        denied(
          'User: arn:aws:iam::111122223333:user/operator is not authorized to perform: iam:ListRoles'
        )
      );
    const io = fakeIo({ env: ENV });

    // Act
    const code = await run([], io);

    // Assess
    expect(code).toBe(2);
    expect(JSON.parse(io.out())).toEqual({ accounts: {} });
    expect(io.err()).toContain(
      `oidcwatch snapshot: account ${HOME} left out: iam:ListRoles in ${HOME}: AccessDenied: User: arn:aws:iam::111122223333:user/operator is not authorized to perform: iam:ListRoles\n`
    );
  });

  it('exits 1 naming the file when --out cannot be written', async () => {
    // Prepare
    const out = join(dir, 'no-such-dir', 'iam.json');
    const io = fakeIo({ env: ENV });

    // Act
    const code = await run(['--out', out], io);

    // Assess
    expect(code).toBe(1);
    expect(io.err()).toMatch(
      new RegExp(
        `^oidcwatch snapshot: cannot write ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ENOENT`
      )
    );
  });

  it('exits 1 for --accounts without --account-role and for a stray argument, before calling AWS', async () => {
    // Prepare
    const a = fakeIo({ env: ENV });
    const b = fakeIo({ env: ENV });

    // Act
    const codes = [await run(['--accounts', DATA], a), await run(['out.json'], b)];

    // Assess
    expect(codes).toEqual([1, 1]);
    expect(a.err()).toBe(
      'oidcwatch snapshot: --accounts needs --account-role NAME (the role to assume in each account)\n'
    );
    expect(b.err()).toBe('oidcwatch snapshot: unexpected argument "out.json" (use --out FILE)\n');
    expect(stsMock.calls()).toHaveLength(0);
  });
});
