/**
 * Creates the OIDC providers and roles of an IAM snapshot in the emulator, account by account
 * (moto maps credentials from `sts:AssumeRole` into the target account).
 */
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { IamSnapshot } from '../../src/adapters/snapshot/iam-snapshot.js';
import { motoClientConfig } from './moto.js';

/** An IAM client acting in `account` of the emulator. */
export async function iamClientIn(endpoint: string, account: string): Promise<IAMClient> {
  const base = motoClientConfig(endpoint);
  const sts = new STSClient(base);
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${account}:role/oidcwatch-seed`,
      RoleSessionName: 'seed',
    })
  );
  const c = out.Credentials;
  if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined)
    throw new Error('moto returned no credentials');
  return new IAMClient({
    ...base,
    credentials: {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    },
  });
}

function policyText(policy: unknown): string {
  if (typeof policy !== 'string') return JSON.stringify(policy);
  return policy.trim().startsWith('{') ? policy : decodeURIComponent(policy);
}

/** Creates every provider and role of `snapshot` in the emulator. */
export async function seedIam(endpoint: string, snapshot: IamSnapshot): Promise<void> {
  for (const [account, contents] of Object.entries(snapshot.accounts)) {
    const iam = await iamClientIn(endpoint, account);
    for (const p of contents.oidcProviders)
      await iam.send(
        new CreateOpenIDConnectProviderCommand({
          Url: `https://${p.url}`,
          ClientIDList: [...p.clientIds],
          ThumbprintList: [...p.thumbprints],
        })
      );
    for (const r of contents.roles)
      await iam.send(
        new CreateRoleCommand({
          RoleName: r.arn.slice(r.arn.lastIndexOf('/') + 1),
          AssumeRolePolicyDocument: policyText(r.trustPolicy),
          MaxSessionDuration: r.maxSessionDuration,
        })
      );
  }
}
