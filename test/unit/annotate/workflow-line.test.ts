/**
 * The workflow line an annotation points at: the `configure-aws-credentials` input the fix
 * concerns, told apart by the recorded role, audience or environment, and no line at all when
 * the file does not say which.
 */
import { describe, expect, it } from 'vitest';
import { findWorkflowLine, workflowKeyOf } from '../../../src/domain/annotate/workflow-line.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { failure } from '../../helpers/annotate-fixtures.js';

const DEPLOY_YML = `name: Deploy
on:
  push:
    branches: [main, 'feature/**']
permissions:
  id-token: write
  contents: read
jobs:
  deploy:
    runs-on: ubuntu-latest
    environment: production
    steps:
      - uses: actions/checkout@v4
      # role-to-assume: arn:aws:iam::111122223333:role/old (commented out)
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: arn:aws:iam::111122223333:role/payments-deploy
          aws-region: us-east-1
      - run: ./deploy.sh
  smoke:
    runs-on: ubuntu-latest
    steps:
      - uses: aws-actions/configure-aws-credentials@v4
        with:
          role-to-assume: "arn:aws:iam::111122223333:role/payments-smoke"
          audience: sts.amazonaws.com
          aws-region: us-east-1
`;

describe('workflowKeyOf', () => {
  it('takes the key from the remedy, else from the cause', () => {
    // Prepare
    const cases: [Partial<Diagnosis>, string][] = [
      [{ cause: 'SUB_MISMATCH', detail: 'BRANCH' }, 'role-to-assume'],
      [{ cause: 'SUB_MISMATCH', detail: 'WRONG_ENVIRONMENT' }, 'environment'],
      [{ cause: 'AUDIENCE_MISMATCH', detail: 'TRUST_POLICY' }, 'audience'],
      [
        { cause: 'INVALID_REQUEST', detail: 'DURATION_EXCEEDS_MAX_SESSION' },
        'role-duration-seconds',
      ],
      [{ cause: 'ROLE_NOT_FOUND', detail: null }, 'role-to-assume'],
    ];

    // Act
    const keys = cases.map(([d]) => workflowKeyOf(failure(d)));

    // Assess
    expect(keys).toEqual(cases.map(([, k]) => k));
  });
});

describe('findWorkflowLine', () => {
  it('points at the role-to-assume line naming the recorded role, skipping comments and other jobs', () => {
    // Act
    const line = findWorkflowLine(
      DEPLOY_YML,
      failure({ cause: 'SUB_MISMATCH', detail: 'BRANCH' }),
      null
    );

    // Assess
    expect(line).toEqual({
      key: 'role-to-assume',
      line: 17,
      value: 'arn:aws:iam::111122223333:role/payments-deploy',
    });
  });

  it('reads a quoted value and tells it apart by role', () => {
    // Act
    const line = findWorkflowLine(
      DEPLOY_YML,
      failure({
        cause: 'ROLE_NOT_FOUND',
        roleArn: 'arn:aws:iam::111122223333:role/payments-smoke',
      }),
      null
    );

    // Assess
    expect(line?.line).toBe(25);
  });

  it('gives no line when several jobs assume roles and none is the recorded one', () => {
    // Act
    const line = findWorkflowLine(
      DEPLOY_YML,
      failure({ cause: 'SUB_MISMATCH', roleArn: 'arn:aws:iam::111122223333:role/elsewhere' }),
      null
    );

    // Assess
    expect(line).toBeNull();
  });

  it("points an audience fix at the step's audience, or at its role-to-assume when it sets none", () => {
    // Prepare
    const single = DEPLOY_YML.split('  smoke:')[0] as string;

    // Act
    const withAudience = findWorkflowLine(
      DEPLOY_YML,
      failure({ cause: 'AUDIENCE_MISMATCH', detail: 'TRUST_POLICY', aud: 'sts.amazonaws.com' }),
      null
    );
    const withoutAudience = findWorkflowLine(
      single,
      failure({
        cause: 'AUDIENCE_MISMATCH',
        detail: 'TRUST_POLICY',
        aud: 'https://github.com/acme-corp',
      }),
      null
    );

    // Assess
    expect(withAudience).toMatchObject({ key: 'audience', line: 26 });
    expect(withoutAudience).toMatchObject({ key: 'role-to-assume', line: 17 });
  });

  it('points an environment fix at the job environment', () => {
    // Act
    const line = findWorkflowLine(
      DEPLOY_YML,
      failure({
        cause: 'SUB_MISMATCH',
        detail: 'WRONG_ENVIRONMENT',
        sub: 'repo:acme-corp/payments-api:environment:production',
      }),
      'production'
    );

    // Assess
    expect(line).toEqual({ key: 'environment', line: 11, value: 'production' });
  });
});
