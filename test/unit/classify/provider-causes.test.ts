/**
 * The provider causes: MISSING_OIDC_PROVIDER (told by STS, or seen in IAM), THUMBPRINT_MISMATCH
 * and WRONG_PROVIDER_PRINCIPAL (the trust policy names another provider, often another account's).
 */
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  failedWebIdentityRecord,
  GITHUB_PROVIDER,
  providerArn,
} from '../../helpers/cloudtrail-records.js';
import {
  diagnose,
  failedView,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  snapshotReader,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const NO_PROVIDER_MESSAGE =
  'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com';
const SUB = 'repo:acme-corp/payments-api:ref:refs/heads/main';
const POLICY = githubTrustPolicy('repo:acme-corp/payments-api:*', {
  operator: 'StringLike',
  account: '222233334444',
});

describe('MISSING_OIDC_PROVIDER', () => {
  it('classifies "No OpenIDConnect provider found" as MISSING_OIDC_PROVIDER with the create command', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: SUB,
      account: '222233334444',
      role: 'staging-deploy',
      errorCode: 'InvalidIdentityToken',
      errorMessage: NO_PROVIDER_MESSAGE,
    });

    // Act
    const d = diagnose(record, failedView('no IAM source was given', 'none'));

    // Assess
    expect([d.cause, d.detail]).toEqual(['MISSING_OIDC_PROVIDER', null]);
    expect(d.explanation).toBe(
      'STS found no IAM OIDC provider for https://token.actions.githubusercontent.com in 222233334444.'
    );
    expect(d.fix).toBe(
      'Create the IAM OIDC provider for token.actions.githubusercontent.com in account 222233334444 (client ID sts.amazonaws.com): aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com'
    );
  });

  it('names the providers the account has when the issuer differs (a GHES issuer URL)', () => {
    // Prepare
    const ghes = 'github.acme-internal.example/_services/token';
    const record = failedWebIdentityRecord({
      sub: 'repo:platform/deployer:ref:refs/heads/main',
      account: '555566667777',
      issuerUrl: ghes,
      role: 'ghes-deploy',
      errorCode: 'InvalidIdentityToken',
      errorMessage: `No OpenIDConnect provider found in your account for https://${ghes}`,
    });
    const view = iamView({
      role: undefined,
      providers: [githubProvider({ account: '555566667777' })],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect(d.cause).toBe('MISSING_OIDC_PROVIDER');
    expect(d.explanation).toContain(
      `The account has providers for "token.actions.githubusercontent.com", not "${ghes}".`
    );
    expect(d.remedy?.kind).toBe('provider');
    expect(d.remedy?.command).toBe(
      `aws iam create-open-id-connect-provider --url https://${ghes} --client-id-list sts.amazonaws.com`
    );
    expect(d.fix).toContain(d.remedy?.command ?? '?');
  });

  it('classifies an AccessDenied in an account whose IAM lists no provider as MISSING_OIDC_PROVIDER', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: SUB,
      account: '222233334444',
      role: 'staging-deploy',
    });
    const reader = snapshotReader([role('staging-deploy', POLICY, { account: '222233334444' })], {
      account: '222233334444',
      oidcProviders: [],
    });

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect([d.cause, d.detail]).toEqual(['MISSING_OIDC_PROVIDER', null]);
    expect(d.explanation).toContain(
      'Account 222233334444 has no IAM OIDC provider for token.actions.githubusercontent.com now (it has none)'
    );
    expect(d.fix).toBe(
      'Create the IAM OIDC provider for token.actions.githubusercontent.com in account 222233334444 (client ID sts.amazonaws.com): aws iam create-open-id-connect-provider --url https://token.actions.githubusercontent.com --client-id-list sts.amazonaws.com'
    );
    expect(d.enrichment).toBe('snapshot');
  });

  it('does not report a missing provider when IAM lists one for the issuer', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: SUB,
      account: '222233334444',
      role: 'staging-deploy',
    });
    const reader = snapshotReader([role('staging-deploy', POLICY, { account: '222233334444' })], {
      account: '222233334444',
    });

    // Act
    const d = await diagnoseRecord(record, reader);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('THUMBPRINT_MISMATCH', () => {
  const ghes = 'github.acme-internal.example/_services/token';

  it('classifies "OpenIDConnect provider\'s HTTPS certificate doesn\'t match configured thumbprint" as THUMBPRINT_MISMATCH', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:platform/deployer:ref:refs/heads/main',
      account: '555566667777',
      issuerUrl: ghes,
      role: 'ghes-deploy',
      errorCode: 'InvalidIdentityToken',
      errorMessage:
        "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
    });
    const provider = githubProvider({
      account: '555566667777',
      url: ghes,
      thumbprints: ['0000000000000000000000000000000000000000'],
    });

    // Act
    const d = diagnose(record, iamView({ role: undefined, providers: [provider] }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['THUMBPRINT_MISMATCH', null]);
    expect(d.explanation).toContain('(0000000000000000000000000000000000000000)');
    expect(d.remedy?.kind).toBe('provider');
    expect(d.remedy?.command).toBe(
      `aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ${providerArn('555566667777', ghes)} --thumbprint-list <SHA-1 of the issuer's top intermediate CA certificate>`
    );
  });

  it('does not call another InvalidIdentityToken a thumbprint mismatch', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: SUB,
      errorCode: 'InvalidIdentityToken',
      errorMessage: 'Missing a required claim: aud',
    });

    // Act
    const d = diagnose(record, failedView('no IAM source was given', 'none'));

    // Assess
    expect(d.cause).toBe('INVALID_TOKEN');
  });
});

describe('WRONG_PROVIDER_PRINCIPAL', () => {
  it("classifies a policy copied from another account's provider as WRONG_PROVIDER_PRINCIPAL", () => {
    // Prepare
    const copied = trustPolicy(
      webIdentityStatement({
        sid: null,
        provider: providerArn('999988887777'),
        condition: {
          StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme-corp/mobile:*' },
        },
      })
    );
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/mobile:ref:refs/heads/main',
      role: 'copied-deploy',
    });

    // Act
    const d = diagnose(record, iamView({ role: role('copied-deploy', copied) }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['WRONG_PROVIDER_PRINCIPAL', null]);
    expect(d.explanation).toContain(
      `names "${providerArn('999988887777')}" as principal, but the token came through "${GITHUB_PROVIDER}"`
    );
    expect(d.explanation).toContain('a policy copied between accounts');
    expect(d.fix).toContain(`Set Principal.Federated of statement #0 to "${GITHUB_PROVIDER}"`);
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.edits).toEqual([
      {
        statement: '#0',
        element: 'Principal.Federated',
        operator: null,
        key: null,
        added: [GITHUB_PROVIDER],
        removed: [providerArn('999988887777')],
      },
    ]);
  });

  it('classifies a bare issuer URL as principal (a common typo) as WRONG_PROVIDER_PRINCIPAL', () => {
    // Prepare
    const typo = trustPolicy(
      webIdentityStatement({
        provider: 'token.actions.githubusercontent.com',
        condition: {
          StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme-corp/*' },
        },
      })
    );
    const record = failedWebIdentityRecord({ sub: SUB, role: 'deploy' });

    // Act
    const d = diagnose(record, iamView({ role: role('deploy', typo) }));

    // Assess
    expect(d.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
    expect(d.explanation).not.toContain('copied between accounts');
  });

  it("does not report the principal when it names the token's provider", () => {
    // Prepare
    const record = failedWebIdentityRecord({ sub: SUB, role: 'deploy' });

    // Act
    const d = diagnose(
      record,
      iamView({
        role: role(
          'deploy',
          githubTrustPolicy('repo:acme-corp/payments-api:*', { operator: 'StringLike' })
        ),
      })
    );

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});
