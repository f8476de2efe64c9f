/**
 * The subvectors peer suite (CC0 data from Dashtid/subvectors, see
 * test/fixtures/conformance/subvectors/SOURCE.md): OIDC subjects against AWS trust conditions,
 * some confirmed against the live IAM policy simulator. Our evaluator must agree with every vector.
 *
 * Vectors that condition only on `sub`/`aud` are evaluated from what a CloudTrail record carries.
 * The others (conditions on `environment`, `job_workflow_ref`, … which CloudTrail does not record)
 * are evaluated twice: with the vector's full claim set the evaluator must agree with the vector,
 * and from the record alone it must never give a definite answer that contradicts it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import type { KeyLookup, TrustRequest } from '../../../src/domain/policy/trust-request.js';
import { webIdentityRequest } from '../../../src/domain/policy/web-identity-request.js';
import { identifyIssuer } from '../../../src/domain/subject/identify-issuer.js';
import { parseSubject } from '../../../src/domain/subject/parse-subject.js';

interface SimpleCondition {
  consumer: 'aws-stringequals' | 'aws-stringlike';
  claim?: string;
  pattern: string | string[];
  qualifier?: 'ForAllValues' | 'ForAnyValue';
}
interface Vector {
  id: string;
  issuer: string;
  subject: string;
  claims?: Record<string, string>;
  condition: SimpleCondition | { consumer: 'aws-all'; of: SimpleCondition[] };
  expect: 'match' | 'no-match';
  status: string;
}

const DIR = join(import.meta.dirname, '../../fixtures/conformance/subvectors');
const SUITES = ['github', 'gitlab', 'terraform', 'circleci', 'bitbucket'] as const;

/** Condition-key prefixes, as the suite README fixes them. */
const PREFIX: Record<string, string> = {
  github: 'token.actions.githubusercontent.com',
  gitlab: 'gitlab.com',
  'terraform-cloud': 'app.terraform.io',
  circleci: 'oidc.circleci.com/org/2a3b4c5d-1111-2222-3333-444455556666',
  bitbucket: 'api.bitbucket.org/2.0/workspaces/my-workspace/pipelines-config/identity/oidc',
};

function loadSuite(name: string): Vector[] {
  const text = readFileSync(join(DIR, `${name}-aws.json`), 'utf8');
  return (JSON.parse(text) as { vectors: Vector[] }).vectors;
}

function simpleConditions(v: Vector): SimpleCondition[] {
  return v.condition.consumer === 'aws-all' ? v.condition.of : [v.condition];
}

function claimsRead(v: Vector): Set<string> {
  return new Set(simpleConditions(v).map((c) => c.claim ?? 'sub'));
}

/** One Allow statement; the vector's conditions grouped by operator into one Condition block. */
function trustPolicyFor(v: Vector, providerArn: string, prefix: string): unknown {
  const condition: Record<string, Record<string, string | string[]>> = {};
  for (const c of simpleConditions(v)) {
    const base = c.consumer === 'aws-stringequals' ? 'StringEquals' : 'StringLike';
    const operator = c.qualifier ? `${c.qualifier}:${base}` : base;
    condition[operator] ??= {};
    (condition[operator] as Record<string, string | string[]>)[`${prefix}:${c.claim ?? 'sub'}`] =
      c.pattern;
  }
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: condition,
      },
    ],
  };
}

/** A request that knows every claim of the token (what STS itself sees). */
function fullClaimsRequest(base: TrustRequest, prefix: string, claims: Record<string, string>) {
  const lookup = (key: string): KeyLookup => {
    const lower = key.toLowerCase();
    if (lower.startsWith(`${prefix.toLowerCase()}:`)) {
      const claim = key.slice(prefix.length + 1);
      const value = claims[claim];
      return value === undefined
        ? { state: 'absent', reason: `token has no "${claim}" claim` }
        : { state: 'present', values: [value], origin: 'recorded' };
    }
    return base.lookup(key);
  };
  return { ...base, lookup };
}

describe('subvectors conformance (Dashtid/subvectors, CC0)', () => {
  for (const suite of SUITES) {
    describe(`${suite}-aws`, () => {
      for (const v of loadSuite(suite)) {
        const prefix = PREFIX[v.issuer] as string;
        const providerArn = `arn:aws:iam::111122223333:oidc-provider/${prefix}`;
        const aud = v.claims?.aud ?? 'sts.amazonaws.com';
        const onlySubAud = [...claimsRead(v)].every((c) => c === 'sub' || c === 'aud');

        it(`${onlySubAud ? 'agrees' : 'agrees with full claims'} on ${v.id} (${v.expect}, ${v.status})`, () => {
          // Prepare
          const issuer = identifyIssuer(providerArn);
          const subject = parseSubject(v.subject, issuer.kind);
          const read = readTrustPolicy(trustPolicyFor(v, providerArn, prefix));
          if (!read.ok) throw new Error(read.reason);
          const fromRecord = webIdentityRequest({
            provider: providerArn,
            issuer,
            aud,
            sub: v.subject,
            subject,
          });
          const request = onlySubAud
            ? fromRecord
            : fullClaimsRequest(fromRecord, prefix, { ...v.claims, sub: v.subject, aud });

          // Act
          const decision = evaluateTrustPolicy(read.policy, request).decision;
          const recordDecision = evaluateTrustPolicy(read.policy, fromRecord).decision;

          // Assess
          expect(decision).toBe(v.expect === 'match' ? 'allow' : 'implicit-deny');
          const contradicting = v.expect === 'match' ? 'implicit-deny' : 'allow';
          expect(recordDecision).not.toBe(contradicting);
        });
      }
    });
  }

  it('covers the 82 AWS vectors of the five suites, 63 of them on sub/aud only', () => {
    // Prepare
    const all = SUITES.flatMap(loadSuite);

    // Act
    const subAudOnly = all.filter((v) =>
      [...claimsRead(v)].every((c) => c === 'sub' || c === 'aud')
    );

    // Assess
    expect(all).toHaveLength(82);
    expect(subAudOnly).toHaveLength(63);
  });
});
