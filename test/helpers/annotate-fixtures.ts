/**
 * Diagnoses for annotator tests, shaped like `oidcwatch classify --json` lines of the sample data
 * (the payments-api branch failure), with a trust-policy remedy as the remedy contract describes
 * it. Tests that need the real classifier output use `sampleDiagnoses()` instead.
 */
import type { Remedy } from '../../src/domain/remedy/remedy-types.js';
import type { Diagnosis } from '../../src/domain/types.js';

export const ACCOUNT = '111122223333';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/payments-deploy`;
export const SUB = 'repo:acme-corp/payments-api:ref:refs/heads/feature/retry-logic';

/** A verified trust-policy remedy adding the job's branch subject. */
export const TRUST_POLICY_REMEDY: Remedy = {
  kind: 'trust-policy',
  summary: `Add "${SUB}" to StringEquals["token.actions.githubusercontent.com:sub"] in statement "GitHubActions".`,
  roleArn: ROLE,
  policy: {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'GitHubActions',
        Effect: 'Allow',
        Principal: {
          Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
        },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
            'token.actions.githubusercontent.com:sub': [
              'repo:acme-corp/payments-api:ref:refs/heads/main',
              SUB,
            ],
          },
        },
      },
    ],
  },
  command:
    'aws iam update-assume-role-policy --role-name payments-deploy --policy-document file://payments-deploy-trust.json',
  edits: [
    {
      statement: '"GitHubActions"',
      element: 'Condition',
      operator: 'StringEquals',
      key: 'token.actions.githubusercontent.com:sub',
      added: [SUB],
      removed: [],
    },
  ],
  workflow: [],
  useRoleArn: null,
  statement: null,
  verified: true,
  verification: {
    admitsCall: true,
    newFindings: [],
    withinLimits: true,
    problems: [],
    notes: [],
  },
  blastRadius: { scope: 'call', probes: [], newlyAdmitted: [], ownerAdmitted: false },
  declined: null,
};

/** A failed call of acme-corp/payments-api's deploy job, with `overrides`. */
export function failure(overrides: Partial<Diagnosis> = {}): Diagnosis {
  return {
    eventId: '8c3f2a71-5b0e-4d9a-9e61-1f2a3b4c5d6e',
    eventTime: '2026-11-27T14:05:40Z',
    eventName: 'AssumeRoleWithWebIdentity',
    account: ACCOUNT,
    region: 'us-east-1',
    errorCode: 'AccessDenied',
    roleArn: ROLE,
    provider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
    issuer: 'github',
    aud: 'sts.amazonaws.com',
    sub: SUB,
    repository: 'acme-corp/payments-api',
    cause: 'SUB_MISMATCH',
    detail: 'BRANCH',
    explanation: `The trust policy of ${ROLE} allows token.actions.githubusercontent.com:sub StringEquals "repo:acme-corp/payments-api:ref:refs/heads/main"; the job's sub is "${SUB}": the job runs on refs/heads/feature/retry-logic, a branch the policy does not list.`,
    fix: TRUST_POLICY_REMEDY.summary,
    findings: [],
    candidates: [],
    enrichment: 'snapshot',
    stale: false,
    trace: null,
    remedy: TRUST_POLICY_REMEDY,
    ...overrides,
  };
}
