/**
 * The checks STS makes before the trust policy, as doctor runs them with what IAM lists: a
 * provider for the token's issuer, with the token's audience among its client IDs.
 */
import { describe, expect, it } from 'vitest';
import { checkProvider } from '../../../src/domain/token/check-provider.js';
import { explainIssuer } from '../../../src/domain/token/explain-issuer.js';
import type { OidcProviderInfo } from '../../../src/domain/types.js';

const GITHUB = 'token.actions.githubusercontent.com';
const PROVIDER: OidcProviderInfo = {
  arn: `arn:aws:iam::111122223333:oidc-provider/${GITHUB}`,
  url: GITHUB,
  clientIds: ['sts.amazonaws.com'],
  thumbprints: [],
};

describe('checkProvider', () => {
  it('passes a token whose issuer has a provider listing its audience', () => {
    // Prepare
    const issuer = explainIssuer(`https://${GITHUB}`);

    // Act
    const check = checkProvider({
      account: '111122223333',
      providers: [PROVIDER],
      issuer,
      aud: 'sts.amazonaws.com',
    });

    // Assess
    expect(check).toEqual({ provider: PROVIDER, accountProviders: [GITHUB], verdict: null });
  });

  it('finds MISSING_OIDC_PROVIDER in an account without providers', () => {
    // Prepare
    const issuer = explainIssuer(`https://${GITHUB}`);

    // Act
    const check = checkProvider({
      account: '111122223333',
      providers: [],
      issuer,
      aud: 'sts.amazonaws.com',
    });

    // Assess
    expect(check.verdict?.cause).toBe('MISSING_OIDC_PROVIDER');
    expect(check.verdict?.explanation).toContain(
      `Account 111122223333 has no IAM OIDC provider for ${GITHUB} (it has none).`
    );
    expect(check.verdict?.fix).toBe(
      `aws iam create-open-id-connect-provider --url https://${GITHUB} --client-id-list sts.amazonaws.com`
    );
  });

  it('gives the command that adds a missing client ID when sts.amazonaws.com is not listed either', () => {
    // Prepare
    const issuer = explainIssuer(`https://${GITHUB}`);
    const provider = { ...PROVIDER, clientIds: ['https://github.com/acme-corp'] };

    // Act
    const check = checkProvider({
      account: '111122223333',
      providers: [provider],
      issuer,
      aud: 'sts.amazonaws.com',
    });

    // Assess
    expect(check.verdict).toMatchObject({
      cause: 'AUDIENCE_MISMATCH',
      detail: 'PROVIDER_CLIENT_ID',
    });
    expect(check.verdict?.fix).toBe(
      `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${PROVIDER.arn} --client-id sts.amazonaws.com`
    );
  });
});
