import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { IamApiReader } from '../../../src/adapters/iam/iam-api-reader.js';
import { trustPolicyFor } from '../../helpers/records.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-deploy`;
const iamMock = mockClient(IAMClient);

function throttling(): Error {
  const e = new Error('Rate exceeded');
  e.name = 'Throttling';
  return e;
}

function noSuchEntity(): Error {
  const e = new Error('The role with name payments-deploy cannot be found.');
  e.name = 'NoSuchEntityException';
  return e;
}

function reader(clock: { t: number }) {
  const client = new IAMClient({ region: 'us-east-1', maxAttempts: 1 });
  return new IamApiReader({ clientFor: async () => client, now: () => clock.t });
}

const roleOutput = {
  Role: {
    Arn: ROLE,
    RoleName: 'payments-deploy',
    Path: '/',
    RoleId: 'AROAEXAMPLE',
    CreateDate: new Date('2026-01-01T00:00:00Z'),
    MaxSessionDuration: 3600,
    AssumeRolePolicyDocument: encodeURIComponent(
      JSON.stringify(trustPolicyFor(ACCOUNT, 'repo:acme-corp/payments-api:ref:refs/heads/main'))
    ),
  },
};

afterEach(() => iamMock.reset());

describe('IamApiReader', () => {
  it('makes one GetRole for many concurrent lookups of one role', async () => {
    // Prepare
    iamMock.on(GetRoleCommand).callsFake(async () => {
      await new Promise((r) => setTimeout(r, 20));
      return roleOutput;
    });
    const r = reader({ t: 0 });

    // Act
    const results = await Promise.all(Array.from({ length: 50 }, () => r.getRole(ACCOUNT, ROLE)));

    // Assess
    expect(iamMock.commandCalls(GetRoleCommand)).toHaveLength(1);
    expect(results.every((x) => x.ok && x.value?.arn === ROLE)).toBe(true);
    const first = results[0];
    expect(
      first?.ok &&
        typeof first.value?.trustPolicy === 'string' &&
        first.value.trustPolicy.startsWith('{')
    ).toBe(true);
  });

  it('caches "role does not exist" for the negative TTL, then asks again', async () => {
    // Prepare
    iamMock.on(GetRoleCommand).rejects(noSuchEntity());
    const clock = { t: 0 };
    const r = reader(clock);

    // Act
    const first = await r.getRole(ACCOUNT, ROLE);
    clock.t += 60_000;
    const cached = await r.getRole(ACCOUNT, ROLE);
    clock.t += 61_000;
    const refreshed = await r.getRole(ACCOUNT, ROLE);

    // Assess
    expect(first).toEqual({ ok: true, value: null, stale: false });
    expect(cached).toEqual({ ok: true, value: null, stale: false });
    expect(refreshed.ok).toBe(true);
    expect(iamMock.commandCalls(GetRoleCommand)).toHaveLength(2);
  });

  it('serves the last value marked stale when a refresh is throttled', async () => {
    // Prepare
    iamMock.on(GetRoleCommand).resolvesOnce(roleOutput).rejects(throttling());
    const clock = { t: 0 };
    const r = reader(clock);
    await r.getRole(ACCOUNT, ROLE);
    clock.t += 11 * 60_000;

    // Act
    const stale = await r.getRole(ACCOUNT, ROLE);

    // Assess
    expect(stale.ok && stale.stale).toBe(true);
    expect(stale.ok && stale.value?.arn).toBe(ROLE);
  });

  it('fails with the reason when throttled and nothing is cached', async () => {
    // Prepare
    iamMock.on(GetRoleCommand).rejects(throttling());
    const r = reader({ t: 0 });

    // Act
    const result = await r.getRole(ACCOUNT, ROLE);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: `iam:GetRole payments-deploy in ${ACCOUNT}: Throttling: Rate exceeded`,
    });
  });

  it('reads providers with their client IDs and thumbprints, once per account', async () => {
    // Prepare
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    iamMock
      .on(ListOpenIDConnectProvidersCommand)
      .resolves({ OpenIDConnectProviderList: [{ Arn: arn }] });
    iamMock.on(GetOpenIDConnectProviderCommand).resolves({
      Url: 'token.actions.githubusercontent.com',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
    });
    const r = reader({ t: 0 });

    // Act
    const [a, b] = await Promise.all([r.listOidcProviders(ACCOUNT), r.listOidcProviders(ACCOUNT)]);

    // Assess
    expect(a).toEqual(b);
    expect(a.ok && a.value).toEqual([
      {
        arn,
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      },
    ]);
    expect(iamMock.commandCalls(ListOpenIDConnectProvidersCommand)).toHaveLength(1);
  });

  it('indexes every page of ListRoles by the provider their trust policies name', async () => {
    // Prepare
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const role = (name: string, policy: unknown) => ({
      Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      RoleName: name,
      Path: '/',
      RoleId: 'AROA',
      CreateDate: new Date(0),
      AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(policy)),
    });
    const ec2 = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    };
    iamMock
      .on(ListRolesCommand)
      .resolvesOnce({
        Roles: [
          role('web-deploy', trustPolicyFor(ACCOUNT, 'repo:acme-corp/web:*', 'StringLike')),
          role('ec2-app', ec2),
        ],
        IsTruncated: true,
        Marker: 'm1',
      })
      .resolvesOnce({
        Roles: [role('api-deploy', trustPolicyFor(ACCOUNT, 'repo:acme-corp/api:*', 'StringLike'))],
        IsTruncated: false,
      });
    const r = reader({ t: 0 });

    // Act
    const trusting = await r.listRolesTrustingProvider(ACCOUNT, provider);
    const owners = await r.inferOwners(ACCOUNT);

    // Assess
    expect(trusting.ok && trusting.value.map((x) => x.arn.split('/')[1])).toEqual([
      'web-deploy',
      'api-deploy',
    ]);
    expect(owners).toEqual({ ok: true, value: ['acme-corp'], stale: false });
    expect(iamMock.commandCalls(ListRolesCommand)).toHaveLength(2);
  });

  it('forgets an invalidated role at once', async () => {
    // Prepare
    iamMock.on(GetRoleCommand).resolves(roleOutput);
    const r = reader({ t: 0 });
    await r.getRole(ACCOUNT, ROLE);

    // Act
    r.invalidateRole(ACCOUNT, 'payments-deploy');
    await r.getRole(ACCOUNT, ROLE);

    // Assess
    expect(iamMock.commandCalls(GetRoleCommand)).toHaveLength(2);
  });
});
