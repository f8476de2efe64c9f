import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AccountClients,
  AssumedRoleCredentials,
} from '../../../src/adapters/iam/account-clients.js';

const stsMock = mockClient(STSClient);
const MEMBER = '444455556666';

function assumed(expiresAt: number, key = 'ASIAEXAMPLE') {
  return {
    Credentials: {
      AccessKeyId: key,
      SecretAccessKey: 'secret',
      SessionToken: 'session',
      Expiration: new Date(expiresAt),
    },
  };
}

afterEach(() => stsMock.reset());

describe('AssumedRoleCredentials', () => {
  it('assumes the read role once for concurrent requests and reuses the credentials', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves(assumed(3_600_000));
    const creds = new AssumedRoleCredentials({
      sts: new STSClient({ region: 'us-east-1' }),
      roleName: 'oidcwatch-read',
      now: () => 0,
    });

    // Act
    const all = await Promise.all([creds.get(MEMBER), creds.get(MEMBER), creds.get(MEMBER)]);
    const later = await creds.get(MEMBER);

    // Assess
    expect(all.every((c) => c.accessKeyId === 'ASIAEXAMPLE')).toBe(true);
    expect(later.accessKeyId).toBe('ASIAEXAMPLE');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(1);
    expect(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({
      RoleArn: `arn:aws:iam::${MEMBER}:role/oidcwatch-read`,
      RoleSessionName: 'oidcwatch',
    });
  });

  it('refreshes five minutes before the credentials expire', async () => {
    // Prepare
    stsMock
      .on(AssumeRoleCommand)
      .resolvesOnce(assumed(3_600_000, 'FIRST'))
      .resolves(assumed(7_200_000, 'SECOND'));
    const clock = { t: 0 };
    const creds = new AssumedRoleCredentials({
      sts: new STSClient({ region: 'us-east-1' }),
      roleName: 'oidcwatch-read',
      now: () => clock.t,
    });
    await creds.get(MEMBER);

    // Act
    clock.t = 3_600_000 - 5 * 60_000 - 1;
    const stillFirst = await creds.get(MEMBER);
    clock.t = 3_600_000 - 5 * 60_000 + 1;
    const refreshed = await creds.get(MEMBER);

    // Assess
    expect(stillFirst.accessKeyId).toBe('FIRST');
    expect(refreshed.accessKeyId).toBe('SECOND');
    expect(stsMock.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('names the role it could not assume', async () => {
    // Prepare
    const denied = new Error('not authorized to perform: sts:AssumeRole');
    denied.name = 'AccessDenied';
    stsMock.on(AssumeRoleCommand).rejects(denied);
    const creds = new AssumedRoleCredentials({
      sts: new STSClient({ region: 'us-east-1' }),
      roleName: 'oidcwatch-read',
    });

    // Act
    const failure = creds.get(MEMBER);

    // Assess
    await expect(failure).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `sts:AssumeRole arn:aws:iam::${MEMBER}:role/oidcwatch-read: AccessDenied: not authorized to perform: sts:AssumeRole`,
    });
  });
});

describe('AccountClients', () => {
  it('uses its own client for the home account and one client per other account', async () => {
    // Prepare
    const creds = new AssumedRoleCredentials({
      sts: new STSClient({ region: 'us-east-1' }),
      roleName: 'oidcwatch-read',
    });
    const clients = new AccountClients({
      clientConfig: { region: 'us-east-1', maxAttempts: 1 },
      homeAccount: null,
      credentials: creds,
    });
    clients.learnHomeAccount('111122223333');

    // Act
    const home = await clients.clientFor('111122223333');
    const member = await clients.clientFor(MEMBER);
    const memberAgain = await clients.clientFor(MEMBER);

    // Assess
    expect(member).not.toBe(home);
    expect(memberAgain).toBe(member);
  });

  it('reads every account with its own credentials when no read role is configured', async () => {
    // Prepare
    const clients = new AccountClients({
      clientConfig: { region: 'us-east-1', maxAttempts: 1 },
      homeAccount: null,
      credentials: null,
    });

    // Act
    const a = await clients.clientFor('111122223333');
    const b = await clients.clientFor(MEMBER);

    // Assess
    expect(a).toBe(b);
  });
});
