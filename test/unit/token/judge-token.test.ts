/**
 * `judgeToken`: a trust policy judged with every claim of the job's token. The cause is the one
 * the classifier gives the same denial from CloudTrail; where CloudTrail cannot decide, the
 * token's claims do, and the verdict names the claim and its value.
 */
import { describe, expect, it } from 'vitest';
import { readTrustPolicy, type TrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import { principalFromPolicy } from '../../../src/domain/token/choose-principal.js';
import { explainToken, type TokenExplanation } from '../../../src/domain/token/explain-token.js';
import { judgeToken } from '../../../src/domain/token/judge-token.js';
import { FAKE_NOW, type JobSpec, jobClaims } from '../../helpers/github-oidc-token.js';

const GITHUB = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${GITHUB}`;
const AUD = { [`${GITHUB}:aud`]: 'sts.amazonaws.com' };
const ANY_REPO = { [`${GITHUB}:sub`]: 'repo:acme-corp/*' };

function token(spec: Partial<JobSpec> = {}): TokenExplanation {
  const claims = jobClaims({ iss: `https://${GITHUB}`, ...spec });
  return explainToken(
    { header: { alg: 'RS256', kid: 'k', typ: 'JWT', x5t: null }, claims },
    { now: FAKE_NOW, audience: 'sts.amazonaws.com' }
  );
}

function policyOf(...statements: Record<string, unknown>[]): TrustPolicy {
  const read = readTrustPolicy({ Version: '2012-10-17', Statement: statements });
  if (!read.ok) throw new Error(read.reason);
  return read.policy;
}

function statement(
  sid: string,
  condition: Record<string, Record<string, string>>,
  effect = 'Allow',
  provider = PROVIDER
) {
  return {
    Sid: sid,
    Effect: effect,
    Principal: { Federated: provider },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: condition,
  };
}

function judge(policy: TrustPolicy, t = token()) {
  return judgeToken({ token: t, policy, providerArn: PROVIDER, label: 'trust.json' });
}

describe('judgeToken: the token decides what CloudTrail cannot', () => {
  it('names an explicit Deny on a claim CloudTrail does not record', () => {
    // Prepare
    const policy = policyOf(
      statement('Deploy', { StringEquals: AUD, StringLike: ANY_REPO }),
      statement('NoBots', { StringEquals: { [`${GITHUB}:actor`]: 'octocat-test' } }, 'Deny')
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j).toMatchObject({
      allowed: false,
      decision: 'explicit-deny',
      cloudTrailCause: 'UNVERIFIABLE_CONDITION/actor',
    });
    expect(j.verdict?.cause).toBe('EXPLICIT_DENY');
    expect(j.verdict?.explanation).toContain(
      'Deny statement "NoBots" of trust.json matches this call'
    );
  });

  it('prefers the statement that fails only on a token claim over one that fails on sub', () => {
    // Prepare
    const policy = policyOf(
      statement('Production', {
        StringEquals: {
          ...AUD,
          [`${GITHUB}:sub`]: 'repo:acme-corp/payments-api:environment:production',
        },
      }),
      statement('SharedWorkflow', {
        StringEquals: {
          ...AUD,
          [`${GITHUB}:job_workflow_ref`]:
            'acme-corp/shared/.github/workflows/deploy.yml@refs/heads/main',
        },
        StringLike: ANY_REPO,
      })
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j.verdict).toMatchObject({
      cause: 'UNVERIFIABLE_CONDITION',
      detail: 'job_workflow_ref',
    });
    expect(j.verdict?.explanation).toContain(
      'Statement "SharedWorkflow" of the trust policy of trust.json requires'
    );
  });

  it('says STS offers no condition key for a claim it does not expose', () => {
    // Prepare
    const policy = policyOf(
      statement('Owner', {
        StringEquals: { ...AUD, [`${GITHUB}:repository_owner`]: 'acme-corp' },
        StringLike: ANY_REPO,
      })
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j.cloudTrailCause).toBe('SUB_MISMATCH/OTHER');
    // The same mistake gets the same cause from the token as from CloudTrail: a key STS never sets.
    expect(j.verdict).toMatchObject({ cause: 'SUB_MISMATCH', detail: 'OTHER' });
    expect(j.verdict?.explanation).toContain(
      `conditions on "${GITHUB}:repository_owner" (StringEquals), but STS does not make the token's "repository_owner" claim a condition key: the condition can never hold`
    );
    expect(j.verdict?.fix).toMatch(/^Condition on a claim STS sets \(sub, aud, /);
  });

  it('tells a job under a custom subject template to declare the environment the policy requires', () => {
    // Prepare
    const t = token({ sub: 'repository_owner:acme-corp:repository_visibility:private' });
    const policy = policyOf(
      statement('Production', {
        StringEquals: { ...AUD, [`${GITHUB}:environment`]: 'production' },
        StringLike: { [`${GITHUB}:sub`]: 'repository_owner:acme-corp:*' },
      })
    );

    // Act
    const j = judge(policy, t);

    // Assess
    expect(j.cloudTrailCause).toBe('UNVERIFIABLE_CONDITION/environment');
    expect(j.verdict?.explanation).toContain('but the token has no "environment" claim');
    expect(j.verdict?.fix).toBe(
      `Declare the environment on the job (\`environment: production\`), or drop the ${GITHUB}:environment condition if jobs without an environment should assume the role.`
    );
  });

  it('says to remove the value from a negated condition that excludes the job', () => {
    // Prepare
    const policy = policyOf(
      statement('NotThisActor', {
        StringEquals: AUD,
        StringLike: ANY_REPO,
        StringNotEquals: { [`${GITHUB}:actor`]: 'octocat-test' },
      })
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j.verdict).toMatchObject({ cause: 'UNVERIFIABLE_CONDITION', detail: 'actor' });
    expect(j.verdict?.fix).toBe(
      `The policy excludes this actor on purpose; if this job should assume the role, remove "octocat-test" from StringNotEquals["${GITHUB}:actor"] in statement "NotThisActor".`
    );
  });

  it('leaves a condition on sts:RoleSessionName to be checked by hand', () => {
    // Prepare
    const policy = policyOf(
      statement('Session', {
        StringEquals: { ...AUD, 'sts:RoleSessionName': 'GitHubActions' },
        StringLike: ANY_REPO,
      })
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j.decision).toBe('unknown');
    expect(j.verdict).toMatchObject({ cause: 'UNVERIFIABLE_CONDITION', detail: 'rolesessionname' });
    expect(j.verdict?.fix).toBe(
      'Check the condition on sts:RoleSessionName by hand: its value comes from the call or from STS (session name, source identity, …), not from the token.'
    );
  });
});

describe('judgeToken: causes CloudTrail can prove', () => {
  it("gives the classifier's SUB_MISMATCH for a job without the environment the policy requires", () => {
    // Prepare
    const policy = policyOf(
      statement('Production', {
        StringEquals: { ...AUD, [`${GITHUB}:environment`]: 'production' },
        StringLike: ANY_REPO,
      })
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j.verdict?.cause).toBe('SUB_MISMATCH');
    expect(j.verdict?.fix).toContain(
      'Declare the environment on the job (`environment: production`)'
    );
    expect(j.cloudTrailCause).toBe('SUB_MISMATCH/OTHER');
  });

  it('names the provider of an enterprise issuer as the principal to trust', () => {
    // Prepare
    const t = token({ iss: `https://${GITHUB}/acme-corp` });
    const policy = policyOf(statement('Deploy', { StringEquals: AUD, StringLike: ANY_REPO }));
    const principal = principalFromPolicy(policy, t.issuer?.url ?? '');

    // Act
    const j = judgeToken({ token: t, policy, providerArn: principal.arn, label: 'trust.json' });

    // Assess
    expect(principal.arn).toBe(`arn:aws:iam::111122223333:oidc-provider/${GITHUB}/acme-corp`);
    expect(j.verdict?.cause).toBe('WRONG_PROVIDER_PRINCIPAL');
    expect(j.verdict?.fix).toBe(
      `Name arn:aws:iam::111122223333:oidc-provider/${GITHUB}/acme-corp as Principal.Federated in the Allow statement for sts:AssumeRoleWithWebIdentity, with condition keys under "${GITHUB}/acme-corp:".`
    );
  });

  it('admits a token whose every condition passes, without a verdict', () => {
    // Prepare
    const policy = policyOf(
      statement('Deploy', {
        StringEquals: {
          ...AUD,
          [`${GITHUB}:repository_id`]: '820000002',
          [`${GITHUB}:ref`]: 'refs/heads/main',
        },
        StringLike: ANY_REPO,
      })
    );

    // Act
    const j = judge(policy);

    // Assess
    expect(j).toMatchObject({
      allowed: true,
      decision: 'allow',
      verdict: null,
      cloudTrailCause: null,
    });
  });
});
