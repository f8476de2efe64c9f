/**
 * The order of judgement of docs/causes.md: scope → an errorCode other than AccessDenied decides the
 * family → AccessDenied: role exists → Principal → Action → explicit Deny → aud → sub → unrecorded
 * claims → outside the trust policy. `errorMessage` is never read for AccessDenied.
 */
import { describe, expect, it } from 'vitest';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import { failedWebIdentityRecord, providerArn } from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  diagnose,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  snapshotReader,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const AUD = { [AUD_KEY]: 'sts.amazonaws.com' };
const HOTFIX = 'repo:acme-corp/checkout:ref:refs/heads/hotfix/cart';

function deniedWith(sub: string, policy: unknown) {
  return diagnose(
    failedWebIdentityRecord({ sub, role: 'checkout-deploy' }),
    iamView({ role: role('checkout-deploy', policy) })
  );
}

describe('order of judgement', () => {
  it('reports an explicit Deny before the sub mismatch of the Allow', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: { ...AUD, [SUB_KEY]: 'repo:acme-corp/checkout:ref:refs/heads/main' },
        },
      }),
      webIdentityStatement({
        sid: 'OnlyMain',
        effect: 'Deny',
        condition: { StringNotLike: { [SUB_KEY]: 'repo:acme-corp/*:ref:refs/heads/main' } },
      })
    );

    // Act
    const d = deniedWith(HOTFIX, policy);

    // Assess
    expect(d.cause).toBe('EXPLICIT_DENY');
    expect(d.explanation).toContain('Deny statement "OnlyMain"');
  });

  it('reports a wrong principal before a wrong action in the same statement', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        provider: providerArn('999988887777'),
        action: 'sts:AssumeRole',
        condition: { StringEquals: AUD, StringLike: { [SUB_KEY]: 'repo:acme-corp/checkout:*' } },
      })
    );

    // Act
    const d = deniedWith(HOTFIX, policy);

    // Assess
    expect(d.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
  });

  it('reports a wrong action before an explicit Deny', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({ action: 'sts:AssumeRole', condition: { StringEquals: AUD } }),
      webIdentityStatement({
        sid: 'NoHotfix',
        effect: 'Deny',
        condition: { StringLike: { [SUB_KEY]: '*:hotfix/*' } },
      })
    );

    // Act
    const d = deniedWith(HOTFIX, policy);

    // Assess
    expect(d.cause).toBe('WRONG_ACTION');
  });

  it('reports the audience before the sub', () => {
    // Prepare
    const policy = githubTrustPolicy('repo:acme-corp/checkout:ref:refs/heads/main');

    const record = failedWebIdentityRecord({
      sub: HOTFIX,
      role: 'checkout-deploy',
      aud: 'https://github.com/acme-corp',
    });
    const providers = [
      githubProvider({ clientIds: ['sts.amazonaws.com', 'https://github.com/acme-corp'] }),
    ];

    // Act
    const d = diagnose(record, iamView({ role: role('checkout-deploy', policy), providers }));

    // Assess
    expect([d.cause, d.detail]).toEqual(['AUDIENCE_MISMATCH', 'TRUST_POLICY']);
  });

  it('reports the sub before a condition on an unrecorded claim', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: {
            ...AUD,
            [SUB_KEY]: 'repo:acme-corp/checkout:ref:refs/heads/main',
            'token.actions.githubusercontent.com:actor': 'release-bot',
          },
        },
      })
    );

    // Act
    const d = deniedWith(HOTFIX, policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
  });

  it('judges the nearest statement when several allow the provider', () => {
    // Prepare
    const policy = trustPolicy(
      webIdentityStatement({
        sid: 'Releases',
        condition: {
          StringEquals: { ...AUD, [SUB_KEY]: 'repo:acme-corp/checkout:ref:refs/tags/v1' },
        },
      }),
      webIdentityStatement({
        sid: 'Main',
        condition: {
          StringEquals: {
            ...AUD,
            'token.actions.githubusercontent.com:job_workflow_ref':
              'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
          },
          StringLike: { [SUB_KEY]: 'repo:acme-corp/checkout:*' },
        },
      })
    );

    // Act
    const d = deniedWith(HOTFIX, policy);

    // Assess
    expect([d.cause, d.detail]).toEqual(['UNVERIFIABLE_CONDITION', 'job_workflow_ref']);
  });

  it('lets an errorCode other than AccessDenied decide, whatever the trust policy says', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: HOTFIX,
      role: 'checkout-deploy',
      errorCode: 'ExpiredTokenException',
      errorMessage: 'Token too old: 441398',
    });
    const policy = githubTrustPolicy('repo:acme-corp/checkout:ref:refs/heads/main');

    // Act
    const d = diagnose(record, iamView({ role: role('checkout-deploy', policy) }));

    // Assess
    expect(d.cause).toBe('EXPIRED_TOKEN');
  });

  it('never reads errorMessage for AccessDenied: "Incorrect token audience" is still judged from the trust policy', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: HOTFIX,
      role: 'checkout-deploy',
      errorCode: 'AccessDenied',
      errorMessage: 'Incorrect token audience',
    });
    const policy = githubTrustPolicy('repo:acme-corp/checkout:ref:refs/heads/main');

    // Act
    const d = diagnose(
      record,
      iamView({
        role: role('checkout-deploy', policy),
        providers: [githubProvider({ clientIds: ['sts.amazonaws.com'] })],
      })
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'BRANCH']);
    expect(d.explanation).not.toContain('Incorrect token audience');
  });

  it('never reads errorMessage for AccessDenied: "No OpenIDConnect provider found" does not make the provider missing', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/checkout:ref:refs/heads/main',
      role: 'checkout-deploy',
      errorMessage:
        'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
    });

    // Act
    const d = diagnose(
      record,
      iamView({
        role: role(
          'checkout-deploy',
          githubTrustPolicy('repo:acme-corp/checkout:ref:refs/heads/main')
        ),
      })
    );

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });

  it('reports a missing role before anything about its (absent) trust policy', async () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: HOTFIX,
      role: 'checkout-deploy',
      aud: 'https://github.com/acme-corp',
    });

    // Act
    const d = await diagnoseRecord(record, snapshotReader([]));

    // Assess
    expect(d.cause).toBe('ROLE_NOT_FOUND');
  });

  it('reports a missing provider before the principal of the trust policy', () => {
    // Prepare
    const record = failedWebIdentityRecord({ sub: HOTFIX, role: 'checkout-deploy' });
    const policy = trustPolicy(webIdentityStatement({ provider: providerArn('999988887777') }));

    // Act
    const d = diagnose(record, iamView({ role: role('checkout-deploy', policy), providers: [] }));

    // Assess
    expect(d.cause).toBe('MISSING_OIDC_PROVIDER');
  });
});
