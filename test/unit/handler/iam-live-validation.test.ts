/**
 * Issue 15, item 8 (the live side): what IAM itself would never return is rejected with a message
 * naming the field, and the call is ENRICHMENT_FAILED (classified from its code alone), never a
 * confident cause built on it.
 */
import {
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IamApiReader } from '../../../src/adapters/iam/iam-api-reader.js';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import { deniedRecord, trustPolicyFor } from '../../helpers/records.js';

const ACCOUNT = '111122223333';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-deploy`;

let iam = mockClient(IAMClient);
beforeEach(() => {
  iam = mockClient(IAMClient);
  iam
    .on(ListOpenIDConnectProvidersCommand)
    .resolves({ OpenIDConnectProviderList: [{ Arn: PROVIDER }] });
  iam.on(GetOpenIDConnectProviderCommand).resolves({
    Url: 'token.actions.githubusercontent.com',
    ClientIDList: ['sts.amazonaws.com'],
    ThumbprintList: [],
  });
  iam.on(ListRolesCommand).resolves({ Roles: [] });
});
afterEach(() => iam.restore());

function reader() {
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
  });
  return new IamApiReader({ clientFor: async () => client });
}

const policy = encodeURIComponent(
  JSON.stringify(trustPolicyFor(ACCOUNT, 'repo:acme-corp/payments-api:ref:refs/heads/main'))
);

describe('live IAM answers IAM would never give', () => {
  for (const [what, role, field] of [
    [
      'a role of another account',
      {
        Arn: 'arn:aws:iam::999988887777:role/payments-deploy',
        AssumeRolePolicyDocument: policy,
        MaxSessionDuration: 3600,
      },
      'Role.Arn',
    ],
    [
      'a session duration of 99,999 s',
      { Arn: ROLE, AssumeRolePolicyDocument: policy, MaxSessionDuration: 99_999 },
      'Role.MaxSessionDuration',
    ],
    [
      'a role without a trust policy',
      { Arn: ROLE, MaxSessionDuration: 3600 },
      'AssumeRolePolicyDocument',
    ],
  ] as const) {
    it(`rejects ${what}, naming ${field}, instead of judging the policy`, async () => {
      // Prepare
      iam.on(GetRoleCommand).resolves({
        Role: {
          RoleName: 'payments-deploy',
          Path: '/',
          RoleId: 'AROA',
          CreateDate: new Date(),
          ...role,
        } as never,
      });

      // Act
      const d = await diagnoseRecord(
        deniedRecord({ role: 'payments-deploy', account: ACCOUNT }),
        reader()
      );

      // Assess
      expect(d.cause).toBe('ENRICHMENT_FAILED');
      expect(d.detail).toBe('InvalidIamResponseError');
      expect(d.explanation).toContain(field);
      expect(d.explanation).toContain('IAM never returns that');
    });
  }

  it('rejects a provider without a URL or with a thumbprint that is not 40 hex digits', async () => {
    // Prepare
    iam.on(GetRoleCommand).resolves({
      Role: {
        Arn: ROLE,
        RoleName: 'payments-deploy',
        Path: '/',
        RoleId: 'AROA',
        CreateDate: new Date(),
        AssumeRolePolicyDocument: policy,
      },
    });
    iam
      .on(GetOpenIDConnectProviderCommand)
      .resolves({ ClientIDList: [], ThumbprintList: ['not-a-thumbprint'] });

    // Act
    const d = await diagnoseRecord(
      deniedRecord({ role: 'payments-deploy', account: ACCOUNT }),
      reader()
    );

    // Assess
    expect(d.cause).toBe('ENRICHMENT_FAILED');
    expect(d.explanation).toContain('Url');
  });
});
