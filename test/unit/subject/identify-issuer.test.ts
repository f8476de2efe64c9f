import { describe, expect, it } from 'vitest';
import {
  identifyIssuer,
  issuerUrlOf,
  providerAccountId,
} from '../../../src/domain/subject/identify-issuer.js';

describe('identifyIssuer', () => {
  it.each([
    [
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      { kind: 'github', url: 'token.actions.githubusercontent.com', enterprise: false },
    ],
    [
      'https://token.actions.githubusercontent.com/',
      { kind: 'github', url: 'token.actions.githubusercontent.com', enterprise: false },
    ],
    [
      'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com/acme',
      { kind: 'github', url: 'token.actions.githubusercontent.com/acme', enterprise: true },
    ],
    [
      'https://token.actions.octocorp.ghe.com',
      { kind: 'github', url: 'token.actions.octocorp.ghe.com', enterprise: true },
    ],
    [
      'https://github.myorg.net/_services/token',
      { kind: 'github', url: 'github.myorg.net/_services/token', enterprise: true },
    ],
    [
      'arn:aws:iam::111122223333:oidc-provider/ghes.example.com/_services/token',
      { kind: 'github', url: 'ghes.example.com/_services/token', enterprise: true },
    ],
    ['https://gitlab.com', { kind: 'gitlab', url: 'gitlab.com', enterprise: false }],
    [
      'gitlab.internal.example.com',
      { kind: 'gitlab', url: 'gitlab.internal.example.com', enterprise: false },
    ],
    [
      'https://app.terraform.io',
      { kind: 'terraform-cloud', url: 'app.terraform.io', enterprise: false },
    ],
    ['tfe.example.com', { kind: 'terraform-cloud', url: 'tfe.example.com', enterprise: false }],
    [
      'arn:aws:iam::111122223333:oidc-provider/oidc.circleci.com/org/2a3b4c5d-1111-2222-3333-444455556666',
      {
        kind: 'circleci',
        url: 'oidc.circleci.com/org/2a3b4c5d-1111-2222-3333-444455556666',
        enterprise: false,
      },
    ],
    [
      'https://agent.buildkite.com',
      { kind: 'buildkite', url: 'agent.buildkite.com', enterprise: false },
    ],
    [
      'https://api.bitbucket.org/2.0/workspaces/my-workspace/pipelines-config/identity/oidc',
      {
        kind: 'bitbucket',
        url: 'api.bitbucket.org/2.0/workspaces/my-workspace/pipelines-config/identity/oidc',
        enterprise: false,
      },
    ],
    [
      'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      {
        kind: 'eks',
        url: 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
        enterprise: false,
      },
    ],
    [
      'arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC',
      { kind: 'eks', url: 'oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC', enterprise: false },
    ],
    ['accounts.google.com', { kind: 'other', url: 'accounts.google.com', enterprise: false }],
    ['https://auth.example.com/', { kind: 'other', url: 'auth.example.com', enterprise: false }],
    ['', { kind: 'other', url: '', enterprise: false }],
  ])('identifies %s', (input, expected) => {
    // Prepare
    const providerOrUrl = input;

    // Act
    const issuer = identifyIssuer(providerOrUrl);

    // Assess
    expect(issuer).toEqual(expected);
  });

  it('matches the GitHub host case-insensitively and keeps the URL as given', () => {
    // Prepare
    const url = 'HTTPS://Token.Actions.GitHubUserContent.com/Acme/';

    // Act
    const issuer = identifyIssuer(url);

    // Assess
    expect(issuer).toEqual({
      kind: 'github',
      url: 'Token.Actions.GitHubUserContent.com/Acme',
      enterprise: true,
    });
  });
});

describe('issuerUrlOf', () => {
  it('strips the ARN prefix, the scheme and trailing slashes', () => {
    // Prepare
    const inputs = [
      'arn:aws-us-gov:iam::111122223333:oidc-provider/gitlab.com',
      '  https://gitlab.com//  ',
    ];

    // Act
    const urls = inputs.map(issuerUrlOf);

    // Assess
    expect(urls).toEqual(['gitlab.com', 'gitlab.com']);
  });
});

describe('providerAccountId', () => {
  it('tells the account of a provider ARN', () => {
    // Prepare
    const arn = 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com';

    // Act
    const account = providerAccountId(arn);

    // Assess
    expect(account).toBe('111122223333');
  });

  it.each([
    'accounts.google.com',
    'arn:aws:iam::111122223333:role/deploy',
    'arn:aws:iam::1111:oidc-provider/x',
  ])('gives null for %s, which is not a provider ARN', (input) => {
    // Prepare
    const value = input;

    // Act
    const account = providerAccountId(value);

    // Assess
    expect(account).toBeNull();
  });
});
