/**
 * Remedies outside the `sub`: separations that are deliberate (a Deny, plan/apply roles), session
 * durations within IAM's limits, issuer-specific advice (GitLab is not GitHub), trust policies IAM
 * itself would reject, and a misspelled condition key.
 */
import { describe, expect, it } from 'vitest';
import { auditAccounts } from '../../../src/domain/audit/audit.js';
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import { webIdentityRequest } from '../../../src/domain/policy/web-identity-request.js';
import { callOf, failedWebIdentityRecord, providerArn } from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  diagnose,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';
import { deniedBy, patchedDecision } from './remedy-helpers.js';

const TFC = 'app.terraform.io';
const GITLAB = 'gitlab.com';

describe('deliberate separations', () => {
  it('keeps a plan-only role from the apply phase (HCP Terraform) and names the role to use', () => {
    // Prepare
    const plan = trustPolicy(
      webIdentityStatement({
        sid: 'TerraformPlan',
        provider: providerArn(undefined, TFC),
        condition: {
          StringEquals: { [`${TFC}:aud`]: 'aws.workload.identity' },
          StringLike: {
            [`${TFC}:sub`]: 'organization:acme-corp:project:*:workspace:network:run_phase:plan',
          },
        },
      })
    );

    // Act
    const d = deniedBy(
      plan,
      {
        sub: 'organization:acme-corp:project:infra:workspace:network:run_phase:apply',
        aud: 'aws.workload.identity',
        issuerUrl: TFC,
        role: 'tf-network-plan',
      },
      { providers: [githubProvider({ url: TFC, clientIds: ['aws.workload.identity'] })] }
    );

    // Assess
    expect(d.remedy?.kind).toBe('intentional');
    expect(d.remedy?.statement).toBe('"TerraformPlan"');
    expect(d.remedy?.edits).toEqual([]);
    expect(d.fix).toContain('TFC_AWS_APPLY_ROLE_ARN');
  });
});

describe('session duration', () => {
  it('never suggests a MaxSessionDuration above 43,200 seconds', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/batch:ref:refs/heads/main',
      role: 'batch-export',
      errorCode: 'ValidationError',
      errorMessage:
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      durationSeconds: 50_000,
    });

    // Act
    const d = diagnose(
      record,
      iamView({ role: role('batch-export', githubTrustPolicy('repo:acme-corp/batch:*')) })
    );

    // Assess
    expect(d.detail).toBe('DURATION_EXCEEDS_MAX_SESSION');
    expect(d.remedy?.workflow).toEqual([{ key: 'with.role-duration-seconds', value: '3600' }]);
    expect(d.fix).not.toMatch(/--max-session-duration (4[3-9]\d{3}|[5-9]\d{4}|\d{6,})/);
    expect(d.fix).toContain("above IAM's limit of 43,200 s");
  });

  it('offers raising MaxSessionDuration to what the job asks when IAM allows it', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'repo:acme-corp/reports:ref:refs/heads/main',
      role: 'reports-deploy',
      errorCode: 'ValidationError',
      errorMessage:
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
      durationSeconds: 7_200,
    });

    // Act
    const d = diagnose(
      record,
      iamView({ role: role('reports-deploy', githubTrustPolicy('repo:acme-corp/reports:*')) })
    );

    // Assess
    expect(d.fix).toContain(
      'aws iam update-role --role-name reports-deploy --max-session-duration 7200'
    );
    expect(d.remedy?.verification?.withinLimits).toBe(true);
  });
});

describe('issuer-specific advice', () => {
  it('gives a GitLab job GitLab advice, never configure-aws-credentials', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
      aud: 'https://gitlab.com',
      issuerUrl: GITLAB,
      role: 'gitlab-deploy',
      errorCode: 'ExpiredTokenException',
      errorMessage: 'Token expired: current date/time 1795877209 must be before the expiration',
    });

    // Act
    const d = diagnose(record, iamView({ providers: [githubProvider({ url: GITLAB })] }));

    // Assess
    expect(d.cause).toBe('EXPIRED_TOKEN');
    expect(d.remedy?.kind).toBe('none');
    expect(d.fix).toContain('id_tokens');
    expect(d.fix).not.toContain('configure-aws-credentials');
    expect(d.explanation).not.toContain('GitHub');
  });

  it('asks a GitLab job for the audience in .gitlab-ci.yml when the token has none', () => {
    // Prepare
    const record = failedWebIdentityRecord({
      sub: 'project_path:acme-corp/platform/api:ref_type:branch:ref:main',
      aud: 'https://gitlab.com',
      issuerUrl: GITLAB,
      role: 'gitlab-deploy',
      errorCode: 'InvalidIdentityToken',
      errorMessage: 'Missing a required claim: aud',
    });

    // Act
    const d = diagnose(record, iamView({ providers: [githubProvider({ url: GITLAB })] }));

    // Assess
    expect(d.fix).toContain('.gitlab-ci.yml');
    expect(d.fix).not.toContain('ACTIONS_ID_TOKEN_REQUEST_URL');
  });
});

describe('trust policies IAM would reject', () => {
  const statement = (effect: unknown) => ({
    Sid: 'GitHubActions',
    ...(effect === undefined ? {} : { Effect: effect }),
    Principal: { Federated: providerArn() },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: {
      StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' },
      StringLike: { [SUB_KEY]: 'repo:acme-corp/importer:*' },
    },
  });

  it('names an Effect of "allow" as invalid, never as WRONG_PROVIDER_PRINCIPAL, and offers the corrected document', () => {
    // Prepare
    const policy = { Version: '2012-10-17', Statement: [statement('allow')] };

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/importer:ref:refs/heads/main',
      role: 'importer',
    });

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'TRUST_POLICY_INVALID']);
    expect(d.explanation).toContain('Statement[0].Effect is "allow"');
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.edits).toEqual([
      {
        statement: '"GitHubActions"',
        element: 'Effect',
        operator: null,
        key: null,
        added: ['Allow'],
        removed: ['allow'],
      },
    ]);
    expect(patchedDecision(d.remedy, { sub: 'repo:acme-corp/importer:ref:refs/heads/main' })).toBe(
      'allow'
    );
    // Everything the corrected document admits is new; here, only acme-corp/importer.
    expect(d.remedy?.blastRadius?.scope).toBe('repository');
    expect(d.remedy?.verified).toBe(true);
  });

  it('corrects the Effect of an owner-wide statement, judging the owner on the corrected document', () => {
    // Prepare
    const owned = { ...statement('allow') };
    owned.Condition = { ...owned.Condition, StringLike: { [SUB_KEY]: 'repo:acme-corp/*' } };
    const policy = { Version: '2012-10-17', Statement: [owned] };

    // Act
    const d = deniedBy(policy, { sub: 'repo:acme-corp/importer:ref:refs/heads/main' });

    // Assess
    expect(d.remedy?.kind).toBe('trust-policy');
    expect(d.remedy?.blastRadius).toMatchObject({ scope: 'owner', ownerAdmitted: true });
  });

  it('offers no corrected Effect when the corrected document would admit any owner', () => {
    // Prepare
    const open = { ...statement('allow') };
    open.Condition = { ...open.Condition, StringLike: { [SUB_KEY]: 'repo:*' } };
    const policy = { Version: '2012-10-17', Statement: [open] };

    // Act
    const d = deniedBy(policy, { sub: 'repo:acme-corp/importer:ref:refs/heads/main' });

    // Assess
    expect(d.remedy?.kind).toBe('none');
    expect(d.remedy?.policy).toBeNull();
    expect(d.remedy?.declined?.blastRadius?.scope).toBe('wider');
    expect(d.fix).toContain('No trust-policy change is offered');
  });

  it.each([
    ['a statement without Effect', [statement(undefined)], 'Statement[0] has no "Effect"'],
    ['an empty Statement', [], 'empty "Statement" list'],
  ])('names %s and guesses no fix', (_, statements, words) => {
    // Prepare
    const policy = { Version: '2012-10-17', Statement: statements };

    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/importer:ref:refs/heads/main',
      role: 'importer',
    });

    // Assess
    expect([d.cause, d.detail]).toEqual(['ENRICHMENT_FAILED', 'TRUST_POLICY_INVALID']);
    expect(d.explanation).toContain(words);
    expect(d.remedy?.kind).toBe('none');
    expect(d.remedy?.policy).toBeNull();
  });
});

describe('a misspelled condition key', () => {
  const policy = trustPolicy(
    webIdentityStatement({
      condition: {
        StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' },
        StringLike: { 'token.actions.githubusercontent.com:subject': 'repo:acme-corp/reports:*' },
      },
    })
  );

  it('is named by classify as a key STS never sets (not "not recorded"), and renamed by the remedy', () => {
    // Act
    const d = deniedBy(policy, {
      sub: 'repo:acme-corp/reports:ref:refs/heads/main',
      role: 'reports',
    });

    // Assess
    expect([d.cause, d.detail]).toEqual(['SUB_MISMATCH', 'OTHER']);
    expect(d.explanation).toContain('a key STS never sets for this issuer');
    expect(d.explanation).not.toContain('not recorded');
    expect(d.remedy?.edits[0]).toMatchObject({
      removed: ['key token.actions.githubusercontent.com:subject'],
      added: ['key token.actions.githubusercontent.com:sub'],
    });
    expect(d.remedy?.verified).toBe(true);
  });

  it('is evaluated as absent, so the statement can never match (what simulate prints)', () => {
    // Prepare
    const read = readTrustPolicy(policy);
    if (!read.ok) throw new Error(read.reason);
    const call = callOf(
      failedWebIdentityRecord({ sub: 'repo:acme-corp/reports:ref:refs/heads/main' })
    );

    // Act
    const trace = evaluateTrustPolicy(read.policy, webIdentityRequest(call));

    // Assess
    expect(trace.decision).toBe('implicit-deny');
    const c = trace.statements[0]?.conditions[1];
    expect(c?.verdict).toBe('fail');
    expect(c?.note).toContain(
      'STS sets no condition key "token.actions.githubusercontent.com:subject" for this issuer (did you mean "token.actions.githubusercontent.com:sub"?)'
    );
  });

  it('is a statement that never matches for audit, not a HIGH over-permissive one', () => {
    // Act
    const report = auditAccounts({
      '111122223333': { roles: [role('reports', policy)], oidcProviders: [githubProvider()] },
    });

    // Assess
    expect(report.findings.map((f) => `${f.code}/${f.detail} ${f.severity}`)).toEqual([
      'SUB_NEVER_MATCHES/UNKNOWN_CONDITION_KEY medium',
    ]);
  });
});
