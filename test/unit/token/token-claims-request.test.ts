/**
 * The request context doctor builds from the token: every claim STS exposes is present with the
 * token's value, a claim the token lacks or STS does not expose is absent, keys under another
 * issuer are absent, and keys STS fills from elsewhere stay unknown.
 */
import { describe, expect, it } from 'vitest';
import {
  presentedConditionKeys,
  tokenClaimsRequest,
} from '../../../src/domain/policy/token-claims-request.js';

const ISSUER = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;
const CLAIMS = {
  iss: `https://${ISSUER}`,
  aud: 'sts.amazonaws.com',
  sub: 'repo:acme-corp/payments-api:ref:refs/heads/main',
  job_workflow_ref: 'acme-corp/payments-api/.github/workflows/deploy.yml@refs/heads/main',
  repository_owner: 'acme-corp',
  run_attempt: '1',
  exp: 1795791890,
};

describe('tokenClaimsRequest', () => {
  it('presents a claim STS exposes with the token value, whatever the case of the key', () => {
    // Prepare
    const request = tokenClaimsRequest({
      providerArn: PROVIDER,
      issuerUrl: ISSUER,
      claims: CLAIMS,
    });

    // Act
    const found = request.lookup(`${ISSUER}:Job_Workflow_Ref`);

    // Assess
    expect(found).toEqual({ state: 'present', values: [CLAIMS.job_workflow_ref], origin: 'token' });
    expect(request.principal).toEqual({ type: 'Federated', id: PROVIDER });
    expect(request.action).toBe('sts:AssumeRoleWithWebIdentity');
  });

  it('finds a claim the token lacks absent', () => {
    // Prepare
    const request = tokenClaimsRequest({
      providerArn: PROVIDER,
      issuerUrl: ISSUER,
      claims: CLAIMS,
    });

    // Act
    const found = request.lookup(`${ISSUER}:environment`);

    // Assess
    expect(found).toEqual({ state: 'absent', reason: 'the token has no "environment" claim' });
  });

  it('finds a claim STS does not expose absent, even when the token carries it', () => {
    // Prepare
    const request = tokenClaimsRequest({
      providerArn: PROVIDER,
      issuerUrl: ISSUER,
      claims: CLAIMS,
    });

    // Act
    const found = request.lookup(`${ISSUER}:repository_owner`);

    // Assess
    expect(found).toEqual({
      state: 'absent',
      reason: 'STS does not make the token\'s "repository_owner" claim a condition key',
    });
  });

  it('finds a key under another issuer absent and an sts: key unknown', () => {
    // Prepare
    const request = tokenClaimsRequest({
      providerArn: PROVIDER,
      issuerUrl: `${ISSUER}/acme-corp`,
      claims: CLAIMS,
    });

    // Act
    const foreign = request.lookup(`${ISSUER}:sub`);
    const session = request.lookup('sts:RoleSessionName');

    // Assess
    expect(foreign).toEqual({
      state: 'absent',
      reason: `key "${ISSUER}:sub" names issuer "${ISSUER}", but the token's issuer is "${ISSUER}/acme-corp"`,
    });
    expect(session.state).toBe('unrecorded');
  });

  it('lists the condition keys the token presents, aud and sub first, numbers as text', () => {
    // Prepare
    const input = {
      providerArn: PROVIDER,
      issuerUrl: ISSUER,
      claims: { ...CLAIMS, repository_id: 820000002 },
    };

    // Act
    const keys = presentedConditionKeys(input);

    // Assess
    expect(keys).toEqual([
      { key: `${ISSUER}:aud`, values: ['sts.amazonaws.com'] },
      { key: `${ISSUER}:sub`, values: [CLAIMS.sub] },
      { key: `${ISSUER}:job_workflow_ref`, values: [CLAIMS.job_workflow_ref] },
      { key: `${ISSUER}:repository_id`, values: ['820000002'] },
    ]);
  });
});
