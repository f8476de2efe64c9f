import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmfResultMetrics } from '../../../src/adapters/metrics/emf-result-metrics.js';
import type { Diagnosis } from '../../../src/domain/types.js';
import { captureEmf } from '../../helpers/capture.js';

function diagnosis(overrides: Partial<Diagnosis>): Diagnosis {
  return {
    eventId: 'e1',
    eventTime: '2026-11-27T14:03:12Z',
    eventName: 'AssumeRoleWithWebIdentity',
    account: '111122223333',
    region: 'us-east-1',
    errorCode: 'AccessDenied',
    roleArn: 'arn:aws:iam::111122223333:role/payments-deploy',
    provider: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
    issuer: 'github',
    aud: 'sts.amazonaws.com',
    sub: 'repo:acme-corp/payments-api:environment:production',
    repository: 'acme-corp/payments-api',
    cause: 'SUB_MISMATCH',
    detail: 'ENVIRONMENT_FORM',
    explanation: 'x',
    fix: 'y',
    findings: [],
    candidates: [],
    enrichment: 'iam',
    stale: false,
    trace: null,
    ...overrides,
  };
}

let emf: ReturnType<typeof captureEmf>;
beforeEach(() => {
  emf = captureEmf();
});
afterEach(() => emf.restore());

describe('EmfResultMetrics', () => {
  it('counts a failure with the three bounded dimension sets and no high-cardinality dimension', () => {
    // Prepare
    const metrics = new EmfResultMetrics({ namespace: 'OIDCWatch' });

    // Act
    metrics.record(diagnosis({}));

    // Assess
    expect(emf.docs).toHaveLength(1);
    const doc = emf.docs[0] as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: {
          Namespace: string;
          Dimensions: string[][];
          Metrics: { Name: string }[];
        }[];
      };
    };
    expect(doc._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'OIDCWatch',
        Dimensions: [[], ['Cause'], ['Account', 'Region']],
        Metrics: [{ Name: 'AssumeRoleFailures', Unit: 'Count' }],
      },
    ]);
    expect(doc).toMatchObject({
      Cause: 'SUB_MISMATCH',
      Account: '111122223333',
      Region: 'us-east-1',
      AssumeRoleFailures: 1,
    });
    expect(JSON.stringify(doc)).not.toContain('payments-api');
    expect(doc).not.toHaveProperty('service');
  });

  it('counts findings by code, enrichment errors, malformed events, and nothing for a success without findings', () => {
    // Prepare
    const metrics = new EmfResultMetrics({ namespace: 'OIDCWatch' });
    const finding = {
      code: 'OVER_PERMISSIVE_TRUST_POLICY' as const,
      detail: 'NO_SUB_CONDITION',
      roleArn: null,
      statement: null,
      message: 'm',
    };

    // Act
    metrics.record(
      diagnosis({ cause: 'SUCCESS', detail: null, errorCode: null, findings: [finding, finding] })
    );
    metrics.record(diagnosis({ cause: 'SUCCESS', detail: null, errorCode: null }));
    metrics.record(diagnosis({ cause: 'ENRICHMENT_FAILED', detail: 'Throttling' }));
    metrics.record(
      diagnosis({ cause: 'MALFORMED_EVENT', detail: 'bad', account: null, region: null })
    );

    // Assess
    const names = emf.docs.map((d) =>
      Object.keys(d).filter(
        (k) => /^[A-Z]/.test(k) && !['Cause', 'Account', 'Region', 'Finding'].includes(k)
      )
    );
    expect(names).toEqual([
      ['TrustPolicyFindings'],
      ['AssumeRoleFailures'],
      ['EnrichmentErrors'],
      ['MalformedEvents'],
    ]);
    expect(emf.docs[0]).toMatchObject({
      Finding: 'OVER_PERMISSIVE_TRUST_POLICY',
      TrustPolicyFindings: 2,
    });
  });
});
