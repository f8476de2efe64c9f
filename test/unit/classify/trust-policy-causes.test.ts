/**
 * The causes judged inside a readable trust policy, after the principal: WRONG_ACTION,
 * EXPLICIT_DENY, UNVERIFIABLE_CONDITION (detail: the claim key) and DENIED_OUTSIDE_TRUST_POLICY.
 */
import { describe, expect, it } from 'vitest';
import { failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  diagnose,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

const AUD = { [AUD_KEY]: 'sts.amazonaws.com' };

function deniedWith(sub: string, name: string, policy: unknown) {
  return diagnose(
    failedWebIdentityRecord({ sub, role: name }),
    iamView({ role: role(name, policy) })
  );
}

describe('WRONG_ACTION', () => {
  const wrongAction = trustPolicy(
    webIdentityStatement({
      action: 'sts:AssumeRole',
      condition: { StringEquals: AUD, StringLike: { [SUB_KEY]: 'repo:acme-corp/search:*' } },
    })
  );

  it('classifies a statement that trusts the provider for sts:AssumeRole as WRONG_ACTION', () => {
    // Prepare
    const sub = 'repo:acme-corp/search:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'search-deploy', wrongAction);

    // Assess
    expect([d.cause, d.detail]).toEqual(['WRONG_ACTION', null]);
    expect(d.explanation).toBe(
      'Statement "GitHubActions" of arn:aws:iam::111122223333:role/search-deploy trusts the provider but allows "sts:AssumeRole", not "sts:AssumeRoleWithWebIdentity".'
    );
    expect(d.fix).toBe(
      'Add "sts:AssumeRoleWithWebIdentity" to the Action of statement "GitHubActions" (it trusts the provider, but an OIDC token can only be used with that action).'
    );
  });

  it('accepts the action through a wildcard (sts:AssumeRoleWith*)', () => {
    // Prepare
    const wildcard = trustPolicy(
      webIdentityStatement({
        action: 'sts:AssumeRoleWith*',
        condition: { StringEquals: AUD, StringLike: { [SUB_KEY]: 'repo:acme-corp/search:*' } },
      })
    );

    // Act
    const d = deniedWith('repo:acme-corp/search:ref:refs/heads/main', 'search-deploy', wildcard);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('EXPLICIT_DENY', () => {
  const guarded = trustPolicy(
    webIdentityStatement({
      condition: { StringEquals: AUD, StringLike: { [SUB_KEY]: 'repo:acme-corp/*' } },
    }),
    webIdentityStatement({
      sid: 'OnlyMainInProd',
      effect: 'Deny',
      condition: { StringNotLike: { [SUB_KEY]: 'repo:acme-corp/*:ref:refs/heads/main' } },
    })
  );

  it('classifies a Deny with StringNotLike that matches the sub as EXPLICIT_DENY', () => {
    // Prepare
    const sub = 'repo:acme-corp/checkout:ref:refs/heads/hotfix/cart';

    // Act
    const d = deniedWith(sub, 'prod-guarded', guarded);

    // Assess
    expect([d.cause, d.detail]).toEqual(['EXPLICIT_DENY', null]);
    expect(d.explanation).toBe(
      'Deny statement "OnlyMainInProd" of arn:aws:iam::111122223333:role/prod-guarded matches this call: StringNotLike token.actions.githubusercontent.com:sub "repo:acme-corp/*:ref:refs/heads/main" (got "repo:acme-corp/checkout:ref:refs/heads/hotfix/cart"). An explicit Deny wins over any Allow.'
    );
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.remedy?.statement).toBe('"OnlyMainInProd"');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.fix).toContain(
      'run the job so that its sub matches "repo:acme-corp/*:ref:refs/heads/main", as the Deny permits'
    );
    expect(d.trace?.decision).toBe('explicit-deny');
  });

  it('does not report the Deny for main, which it spares', () => {
    // Prepare
    const sub = 'repo:acme-corp/checkout:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'prod-guarded', guarded);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
    expect(d.trace?.decision).toBe('allow');
  });
});

describe('UNVERIFIABLE_CONDITION', () => {
  const sharedWorkflow = trustPolicy(
    webIdentityStatement({
      condition: {
        StringEquals: {
          ...AUD,
          'token.actions.githubusercontent.com:job_workflow_ref':
            'acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
        },
        StringLike: { [SUB_KEY]: 'repo:acme-corp/orders:*' },
      },
    })
  );

  it('classifies a deciding condition on job_workflow_ref as UNVERIFIABLE_CONDITION/job_workflow_ref', () => {
    // Prepare
    const sub = 'repo:acme-corp/orders:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'shared-deploy', sharedWorkflow);

    // Assess
    expect([d.cause, d.detail]).toEqual(['UNVERIFIABLE_CONDITION', 'job_workflow_ref']);
    expect(d.explanation).toContain('The conditions CloudTrail can prove (aud, sub) pass');
    expect(d.explanation).toContain(
      "the token's job_workflow_ref is not recorded in CloudTrail, so it most likely differs"
    );
    expect(d.fix).toContain(
      'Statement "GitHubActions" pins job_workflow_ref to "acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main": the role is meant for that shared workflow only. Make sure the job runs it (`uses: acme-corp/workflows/.github/workflows/deploy.yml@main`) rather than adding its own workflow; CloudTrail does not record the job\'s job_workflow_ref, `oidcwatch doctor` in the job shows it.'
    );
    expect(d.trace?.decision).toBe('unknown');
    // A pinned workflow is deliberate: nothing is loosened, the statement is named.
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.remedy?.statement).toBe('"GitHubActions"');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.remedy?.policy).toBeNull();
  });

  it('names repository_id for a name-based sub, which does not prove it', () => {
    // Prepare
    const byId = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: {
            ...AUD,
            'token.actions.githubusercontent.com:repository_id': '998877665',
          },
          StringLike: { [SUB_KEY]: 'repo:acme-corp/billing-service:*' },
        },
      })
    );

    // Act
    const d = deniedWith(
      'repo:acme-corp/billing-service:ref:refs/heads/main',
      'billing-deploy',
      byId
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['UNVERIFIABLE_CONDITION', 'repository_id']);
  });

  it('does not call a condition unverifiable when the sub already fails', () => {
    // Prepare
    const sub = 'repo:acme-corp/payments:ref:refs/heads/main';

    // Act
    const d = deniedWith(sub, 'shared-deploy', sharedWorkflow);

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'REPOSITORY']);
  });

  it('uses a claim the sub proves (environment) instead of calling it unverifiable', () => {
    // Prepare
    const envPolicy = trustPolicy(
      webIdentityStatement({
        condition: {
          StringEquals: { ...AUD, 'token.actions.githubusercontent.com:environment': 'production' },
          StringLike: { [SUB_KEY]: 'repo:acme-corp/web:*' },
        },
      })
    );

    // Act
    const d = deniedWith('repo:acme-corp/web:environment:production', 'web-deploy', envPolicy);

    // Assess
    expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
  });
});

describe('DENIED_OUTSIDE_TRUST_POLICY', () => {
  it('classifies a denial the trust policy would admit as DENIED_OUTSIDE_TRUST_POLICY (SCP/RCP)', () => {
    // Prepare
    const sub = 'repo:acme-corp/ledger:ref:refs/heads/main';

    // Act
    const d = deniedWith(
      sub,
      'ledger-deploy',
      githubTrustPolicy('repo:acme-corp/ledger:ref:refs/heads/main')
    );

    // Assess
    expect([d.cause, d.detail]).toEqual(['DENIED_OUTSIDE_TRUST_POLICY', null]);
    expect(d.explanation).toContain(
      `Statement "GitHubActions" of arn:aws:iam::111122223333:role/ledger-deploy's trust policy admits this aud and sub, yet STS denied the call`
    );
    expect(d.fix).toContain(
      'aws organizations list-policies-for-target --target-id 111122223333 --filter SERVICE_CONTROL_POLICY'
    );
    expect(d.trace?.decision).toBe('allow');
  });

  it('is not reported when the policy rejects the sub', () => {
    // Prepare
    const sub = 'repo:acme-corp/ledger:ref:refs/heads/dev';

    // Act
    const d = deniedWith(
      sub,
      'ledger-deploy',
      githubTrustPolicy('repo:acme-corp/ledger:ref:refs/heads/main')
    );

    // Assess
    expect(d.cause).toBe('SUB_MISMATCH');
  });
});
