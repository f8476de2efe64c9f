/**
 * AUDIENCE_MISMATCH: the token's `aud` is rejected by the trust policy (`TRUST_POLICY`) or is not
 * in the OIDC provider's client-ID list (`PROVIDER_CLIENT_ID`, seen in IAM or told by STS as
 * "Incorrect token audience").
 */
import { describe, expect, it } from 'vitest';
import { failedWebIdentityRecord, GITHUB_PROVIDER } from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  diagnose,
  failedView,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const DOCS_POLICY = githubTrustPolicy('repo:acme-corp/docs:ref:refs/heads/main', {
  operator: 'StringLike',
});

describe('AUDIENCE_MISMATCH/TRUST_POLICY', () => {
  it("classifies GitHub's default owner-URL audience against an sts.amazonaws.com policy as AUDIENCE_MISMATCH/TRUST_POLICY", () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/docs:ref:refs/heads/main',
      aud: 'https://github.com/acme-corp',
      role: 'docs-publish',
    });
    const view = iamView({
      role: role('docs-publish', DOCS_POLICY),
      providers: [
        githubProvider({ clientIds: ['sts.amazonaws.com', 'https://github.com/acme-corp'] }),
      ],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect([d.cause, d.detail]).toEqual(['AUDIENCE_MISMATCH', 'TRUST_POLICY']);
    expect(d.aud).toBe('https://github.com/acme-corp');
    expect(d.explanation).toContain(
      'The trust policy of arn:aws:iam::111122223333:role/docs-publish expects token.actions.githubusercontent.com:aud StringEquals "sts.amazonaws.com", but the token\'s aud is "https://github.com/acme-corp" (GitHub\'s default audience: the job did not ask for one).'
    );
    expect(d.fix).toBe(
      'Request the audience statement "GitHubActions" expects: set `audience` of aws-actions/configure-aws-credentials to sts.amazonaws.com (its default; the job overrides it or requests the token itself).'
    );
    expect(d.remedy?.kind).toBe('workflow');
    expect(d.remedy?.workflow).toEqual([{ key: 'with.audience', value: 'sts.amazonaws.com' }]);
    expect(d.remedy?.verified).toBe(true);
    expect(d.trace?.decision).toBe('implicit-deny');
  });

  it('says the key is wrong, not the audience, when the aud key names another issuer', () => {
    // Prepare
    const slug = 'token.actions.githubusercontent.com/acme-corp';
    const slugProvider = `arn:aws:iam::111122223333:oidc-provider/${slug}`;
    const policy = trustPolicy(
      webIdentityStatement({
        provider: slugProvider,
        condition: {
          StringEquals: {
            [AUD_KEY]: 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': 'repo:acme-corp/docs:ref:refs/heads/main',
          },
        },
      })
    );
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/docs:ref:refs/heads/main',
      issuerUrl: slug,
      role: 'docs-publish',
    });

    // Act
    const d = diagnose(
      record,
      iamView({ role: role('docs-publish', policy), providers: [githubProvider({ url: slug })] })
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['AUDIENCE_MISMATCH', 'TRUST_POLICY']);
    expect(d.explanation).toContain(
      `so STS fills ${slug}:aud and token.actions.githubusercontent.com:aud is absent`
    );
    expect(d.fix).toContain(
      `Rename the condition keys of statement "GitHubActions" from "token.actions.githubusercontent.com:…" to "${slug}:…"`
    );
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.verified).toBe(true);
    expect(d.remedy?.edits.map((e) => [e.removed, e.added])).toContainEqual([
      [`key ${AUD_KEY}`],
      [`key ${slug}:aud`],
    ]);
    expect(d.fix).not.toContain('set `audience:');
  });

  it('does not report an audience the policy expects', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/docs:ref:refs/heads/feature',
      role: 'docs-publish',
    });

    // Act
    const d = diagnose(record, iamView({ role: role('docs-publish', DOCS_POLICY) }));

    // Assess
    expect(d.cause).toBe('SUB_MISMATCH');
    expect(d.detail).toBe('BRANCH');
  });
});

describe('AUDIENCE_MISMATCH/PROVIDER_CLIENT_ID', () => {
  const sub = 'repo:acme-corp/analytics:ref:refs/heads/main';
  const policy = githubTrustPolicy('repo:acme-corp/analytics:*', {
    operator: 'StringLike',
    account: '444455556666',
  });
  const dataProvider = githubProvider({
    account: '444455556666',
    clientIds: ['https://github.com/acme-corp'],
  });

  it("classifies an AccessDenied whose aud IAM does not list among the provider's client IDs as PROVIDER_CLIENT_ID", () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub,
      account: '444455556666',
      role: 'analytics-deploy',
    });
    const view = iamView({
      role: role('analytics-deploy', policy, { account: '444455556666' }),
      providers: [dataProvider],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect([d.cause, d.detail]).toEqual(['AUDIENCE_MISMATCH', 'PROVIDER_CLIENT_ID']);
    expect(d.explanation).toBe(
      'The token\'s aud "sts.amazonaws.com" is not in the client-ID list of arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com ("https://github.com/acme-corp").'
    );
    expect(d.fix).toBe(
      `Add the job's audience "sts.amazonaws.com" to the client IDs of arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com: aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::444455556666:oidc-provider/token.actions.githubusercontent.com --client-id sts.amazonaws.com`
    );
  });

  it('classifies STS\'s "Incorrect token audience" as PROVIDER_CLIENT_ID and names the list IAM holds', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub,
      account: '444455556666',
      role: 'analytics-deploy',
      errorCode: 'InvalidIdentityToken',
      errorMessage: 'Incorrect token audience',
    });
    const view = iamView({
      role: role('analytics-deploy', policy, { account: '444455556666' }),
      providers: [dataProvider],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect([d.cause, d.detail]).toEqual(['AUDIENCE_MISMATCH', 'PROVIDER_CLIENT_ID']);
    expect(d.explanation).toContain('STS rejected the token\'s audience "sts.amazonaws.com"');
    expect(d.explanation).toContain('("https://github.com/acme-corp")');
    expect(d.fix).toContain('--client-id sts.amazonaws.com');
  });

  it('classifies "Incorrect token audience" without IAM from the message alone', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub,
      aud: 'https://github.com/acme-corp',
      errorCode: 'InvalidIdentityToken',
      errorMessage: 'Incorrect token audience',
    });

    // Act
    const d = diagnose(record, failedView('no IAM source was given', 'none'));

    // Assess
    expect([d.cause, d.detail]).toEqual(['AUDIENCE_MISMATCH', 'PROVIDER_CLIENT_ID']);
    expect(d.remedy?.kind).toBe('provider');
    expect(d.fix).toContain(
      "Add the workflow's audience to the provider's client IDs (aws iam add-client-id-to-open-id-connect-provider)"
    );
    expect(d.enrichment).toBe('none');
  });

  it('does not blame the provider when its client IDs hold the aud', () => {
    // Prepare
    const record = failedWebIdentityRecord({ sub, role: 'analytics-deploy' });
    const view = iamView({
      role: role(
        'analytics-deploy',
        githubTrustPolicy('repo:acme-corp/analytics:*', { operator: 'StringLike' })
      ),
      providers: [githubProvider({ clientIds: ['sts.amazonaws.com'] })],
    });

    // Act
    const d = diagnose(record, view);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
    expect(d.provider).toBe(GITHUB_PROVIDER);
  });
});
