/**
 * The IAM snapshot file as users write it by hand: validated against its JSON Schema on read,
 * with errors that name the file and the field; a UTF-8 byte-order mark accepted; a snapshot that
 * leaves out `oidcProviders` or a provider's `clientIds` rejected rather than read as "no
 * provider" / "no audience"; a role or provider under an account its ARN does not name rejected.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot, validateSnapshot } from '../../../src/adapters/snapshot/iam-snapshot.js';
import { run } from '../../../src/cli/commands/classify.js';
import { OidcwatchError } from '../../../src/domain/errors.js';
import { fakeIo } from '../../helpers/fake-io.js';
import { deniedRecord } from '../../helpers/records.js';

const ACCOUNT = '111122223333';
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-deploy`;
const TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: PROVIDER },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
      },
    },
  ],
};

/** A valid one-account snapshot, with `change` applied to the account. */
function snapshot(change: (account: Record<string, unknown>) => void = () => {}): unknown {
  const account: Record<string, unknown> = {
    roles: [{ arn: ROLE, trustPolicy: TRUST, maxSessionDuration: 3600 }],
    oidcProviders: [{ arn: PROVIDER, clientIds: ['sts.amazonaws.com'], thumbprints: [] }],
  };
  change(account);
  return { accounts: { [ACCOUNT]: account } };
}

/** The message of the `ERR_SNAPSHOT_INVALID` that validating `doc` throws. */
function rejection(doc: unknown): string {
  try {
    validateSnapshot(doc, 'iam.json');
  } catch (e) {
    expect(e).toBeInstanceOf(OidcwatchError);
    expect((e as OidcwatchError).code).toBe('ERR_SNAPSHOT_INVALID');
    return (e as Error).message;
  }
  throw new Error('the snapshot was accepted');
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-snapshot-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a valid snapshot', () => {
  it('is read with the provider URL and thumbprints defaulted', () => {
    // Prepare
    const doc = snapshot((a) => {
      a.oidcProviders = [{ arn: PROVIDER, clientIds: ['sts.amazonaws.com'] }];
    });

    // Act
    const result = validateSnapshot(doc);

    // Assess
    expect(result.accounts[ACCOUNT]?.oidcProviders).toEqual([
      {
        arn: PROVIDER,
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
        thumbprints: [],
      },
    ]);
    expect(result.accounts[ACCOUNT]?.roles[0]?.arn).toBe(ROLE);
  });

  it('starting with a UTF-8 byte-order mark is read as if it had none', async () => {
    // Prepare
    const file = join(dir, 'bom.json');
    await writeFile(file, `\uFEFF${JSON.stringify(snapshot())}`, 'utf8');

    // Act
    const result = await loadSnapshot(file);

    // Assess
    expect(Object.keys(result.accounts)).toEqual([ACCOUNT]);
  });

  it('examples/iam-snapshot.json passes the published schema under a plain validator', () => {
    // Prepare
    const schema = JSON.parse(readFileSync('docs/iam-snapshot.schema.json', 'utf8'));
    const ajv = new Ajv2020({ strict: false });

    // Act
    const valid = ajv.validate(
      schema,
      JSON.parse(readFileSync('examples/iam-snapshot.json', 'utf8'))
    );

    // Assess
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });
});

describe('an invalid snapshot is rejected, naming the field', () => {
  it.each([
    [
      'an account without oidcProviders',
      snapshot((a) => {
        delete a.oidcProviders;
      }),
      `iam.json: "accounts.${ACCOUNT}.oidcProviders" is missing (Every IAM OIDC identity provider of the account`,
    ],
    [
      'a provider without clientIds',
      snapshot((a) => {
        a.oidcProviders = [{ arn: PROVIDER }];
      }),
      `iam.json: "accounts.${ACCOUNT}.oidcProviders[0].clientIds" is missing (The client IDs (audiences)`,
    ],
    [
      'an account without roles',
      snapshot((a) => {
        delete a.roles;
      }),
      `iam.json: "accounts.${ACCOUNT}.roles" is missing`,
    ],
    [
      'a role ARN that is not one',
      snapshot((a) => {
        a.roles = [{ arn: 'payments-deploy', trustPolicy: TRUST }];
      }),
      `iam.json: "accounts.${ACCOUNT}.roles[0].arn" must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)`,
    ],
    [
      'a trust policy that is a number',
      snapshot((a) => {
        a.roles = [{ arn: ROLE, trustPolicy: 42 }];
      }),
      `iam.json: "accounts.${ACCOUNT}.roles[0].trustPolicy" must be a policy object or its (URL-encoded) JSON text`,
    ],
    [
      'a clientIds entry that is not a string',
      snapshot((a) => {
        a.oidcProviders = [{ arn: PROVIDER, clientIds: ['sts.amazonaws.com', 7] }];
      }),
      `iam.json: "accounts.${ACCOUNT}.oidcProviders[0].clientIds[1]" must be a string`,
    ],
    [
      'an account id of 4 digits',
      { accounts: { '4444': { roles: [], oidcProviders: [] } } },
      'iam.json: "accounts.4444": the key must be a 12-digit account id',
    ],
    ['a document without accounts', { roles: [] }, 'iam.json: "accounts" is missing'],
    ['an array', [], 'iam.json: the document must be an object with "accounts"'],
  ])('%s', (_what, doc, message) => {
    // Act
    const got = rejection(doc);

    // Assess
    expect(got.startsWith(message)).toBe(true);
  });

  it('a role listed under an account its ARN does not name', () => {
    // Prepare
    const doc = snapshot((a) => {
      a.roles = [
        { arn: ROLE, trustPolicy: TRUST },
        { arn: 'arn:aws:iam::444455556666:role/data-deploy', trustPolicy: TRUST },
      ];
    });

    // Act
    const got = rejection(doc);

    // Assess
    expect(got).toBe(
      `iam.json: "accounts.${ACCOUNT}.roles[1].arn" names account 444455556666, but the role is listed under account ${ACCOUNT}: list it under the account its ARN names`
    );
  });

  it('a provider listed under an account its ARN does not name', () => {
    // Prepare
    const doc = snapshot((a) => {
      a.oidcProviders = [
        {
          arn: 'arn:aws:iam::999988887777:oidc-provider/token.actions.githubusercontent.com',
          clientIds: ['sts.amazonaws.com'],
        },
      ];
    });

    // Act
    const got = rejection(doc);

    // Assess
    expect(got).toContain(
      `"accounts.${ACCOUNT}.oidcProviders[0].arn" names account 999988887777, but the provider is listed under account ${ACCOUNT}`
    );
  });
});

describe('classify with a snapshot that leaves out oidcProviders', () => {
  it('stops with exit 1 naming the field, instead of diagnosing MISSING_OIDC_PROVIDER', async () => {
    // Prepare
    const file = join(dir, 'no-providers.json');
    await writeFile(
      file,
      JSON.stringify(
        snapshot((a) => {
          delete a.oidcProviders;
        })
      )
    );
    const io = fakeIo({ stdin: JSON.stringify(deniedRecord()) });

    // Act
    const code = await run(['--iam-snapshot', file, '--json'], io);

    // Assess
    expect(code).toBe(1);
    expect(io.out()).toBe('');
    expect(io.err()).toContain(
      `oidcwatch classify: ${file}: "accounts.${ACCOUNT}.oidcProviders" is missing`
    );
    expect(io.err()).not.toContain('MISSING_OIDC_PROVIDER');
  });
});
