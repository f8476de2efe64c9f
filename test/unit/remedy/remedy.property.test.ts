/**
 * Properties of remedies (fast-check, fixed seed): for generated trust policies and denied calls,
 * every trust-policy remedy offered admits the call under our evaluator, and newly admits no
 * subject outside the job's repository, unless the original policy already admits other
 * repositories of the job's owner (then only that owner's). The subjects checked are an
 * independent pool, not the probes the remedy itself was verified with.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCall } from '../../../src/domain/classify/classify.js';
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy, type TrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import { webIdentityRequest } from '../../../src/domain/policy/web-identity-request.js';
import type { OidcCall } from '../../../src/domain/types.js';
import { callOf, failedWebIdentityRecord } from '../../helpers/cloudtrail-records.js';
import { AUD_KEY, iamView, role, SUB_KEY } from '../../helpers/iam-view.js';

const OWNERS = ['acme-corp', 'Acme-Corp', 'octo-org'] as const;
const REPOS = ['api', 'web', 'payments-api'] as const;
const CONTEXTS = [
  'ref:refs/heads/main',
  'ref:refs/heads/dev',
  'ref:refs/heads/release/1.2',
  'ref:refs/heads/gh-readonly-queue/main/pr-12-3f9c2d7e8a1b4c6d9e0f1a2b3c4d5e6f7a8b9c0d',
  'ref:refs/tags/v1.2.3',
  'ref:refs/tags/release-2026.11',
  'pull_request',
  'environment:prod',
  'environment:staging',
] as const;

function subOf(owner: string, repo: string, context: string, immutable: boolean): string {
  return immutable
    ? `repo:${owner}@123/${repo}@456:${context}`
    : `repo:${owner}/${repo}:${context}`;
}

/** Every subject of the pool the patched policies are checked against. */
const POOL: readonly string[] = OWNERS.flatMap((o) =>
  REPOS.flatMap((r) => CONTEXTS.flatMap((c) => [subOf(o, r, c, false), subOf(o, r, c, true)]))
);

const subject = fc.record({
  owner: fc.constantFrom(...OWNERS),
  repo: fc.constantFrom(...REPOS),
  context: fc.constantFrom(...CONTEXTS),
  immutable: fc.boolean(),
});

/** A value of a sub condition: a subject of the pool, or a pattern over one. */
const subValue = fc
  .tuple(subject, fc.constantFrom('exact', 'any-ref', 'any-repo', 'branches', 'tags', 'everything'))
  .map(([s, shape]) => {
    const base = subOf(s.owner, s.repo, s.context, s.immutable);
    const repo = s.immutable ? `${s.owner}@123/${s.repo}@456` : `${s.owner}/${s.repo}`;
    switch (shape) {
      case 'any-ref':
        return `repo:${repo}:*`;
      case 'any-repo':
        return `repo:${s.owner}/*`;
      case 'branches':
        return `repo:${repo}:ref:refs/heads/*`;
      case 'tags':
        return `repo:${repo}:ref:refs/tags/v*`;
      case 'everything':
        return 'repo:*';
      default:
        return base;
    }
  });

const statement = fc.record({
  effect: fc.constantFrom('Allow', 'Allow', 'Allow', 'Allow', 'Allow', 'Allow', 'Deny'),
  operator: fc.constantFrom(
    'StringEquals',
    'StringLike',
    'StringEqualsIgnoreCase',
    'ForAnyValue:StringLike',
    'StringNotLike'
  ),
  values: fc.array(subValue, { minLength: 1, maxLength: 3 }),
  aud: fc.constantFrom('sts.amazonaws.com', 'sts.amazonaws.com', 'sts.amazonaws.com', null),
  environment: fc.constantFrom(null, null, null, null, null, 'prod', 'staging'),
});

const policyArb = fc.array(statement, { minLength: 1, maxLength: 3 }).map((sts) => ({
  Version: '2012-10-17',
  Statement: sts.map((s, i) => {
    const condition: Record<string, Record<string, string | string[]>> = {};
    if (s.aud !== null) condition.StringEquals = { [AUD_KEY]: s.aud };
    condition[s.operator] = {
      ...condition[s.operator],
      [SUB_KEY]: s.values.length === 1 ? (s.values[0] as string) : s.values,
    };
    if (s.operator === 'StringNotLike') condition.StringLike = { [SUB_KEY]: 'repo:*' };
    if (s.environment !== null)
      condition.StringEquals = {
        ...condition.StringEquals,
        'token.actions.githubusercontent.com:environment': s.environment,
      };
    return {
      Sid: `S${i}`,
      Effect: s.effect,
      Principal: {
        Federated: 'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
      },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: condition,
    };
  }),
}));

function decision(policy: TrustPolicy, call: OidcCall, sub: string): string {
  const other = callOf(
    failedWebIdentityRecord({ sub, role: 'deploy', aud: call.aud ?? undefined })
  );
  return evaluateTrustPolicy(policy, webIdentityRequest(other)).decision;
}

describe('remedies: properties', () => {
  it('every trust-policy remedy admits the call and newly admits nothing beyond its repository (or an owner already admitted)', () => {
    let offered = 0;
    fc.assert(
      fc.property(
        policyArb,
        subject,
        fc.constantFrom('sts.amazonaws.com', 'sts.amazonaws.com', 'https://github.com/acme-corp'),
        (doc, s, aud) => {
          // Prepare
          const sub = subOf(s.owner, s.repo, s.context, s.immutable);
          const call = callOf(failedWebIdentityRecord({ sub, role: 'deploy', aud }));
          const original = readTrustPolicy(doc);
          if (!original.ok) return;

          // Act
          const d = classifyCall(call, iamView({ role: role('deploy', doc) }));

          // Assess
          const r = d.remedy;
          if (r?.kind !== 'trust-policy') return;
          offered += 1;
          const patched = readTrustPolicy(r.policy);
          expect(patched.ok).toBe(true);
          if (!patched.ok) return;
          const admitted = evaluateTrustPolicy(patched.policy, webIdentityRequest(call)).decision;
          expect(['allow', 'unknown']).toContain(admitted);
          if (admitted === 'unknown') expect(r.verification?.notes.length).toBeGreaterThan(0);
          const repository = call.subject?.repository ?? '';
          const owner = (call.subject?.owner ?? '').toLowerCase();
          const ownerAlready = POOL.some((other) => {
            const o = callOf(failedWebIdentityRecord({ sub: other, role: 'deploy' })).subject;
            return (
              o?.owner?.toLowerCase() === owner &&
              o.repository?.toLowerCase() !== repository.toLowerCase() &&
              decision(original.policy, call, other) !== 'implicit-deny' &&
              decision(original.policy, call, other) !== 'explicit-deny'
            );
          });
          for (const other of POOL) {
            const before = decision(original.policy, call, other);
            const after = decision(patched.policy, call, other);
            if (after !== 'allow' || before === 'allow') continue;
            const o = callOf(failedWebIdentityRecord({ sub: other, role: 'deploy' })).subject;
            // GitHub owner and repository names are case-insensitive: one repository.
            const sameRepository = o?.repository?.toLowerCase() === repository.toLowerCase();
            const sameOwner = o?.owner?.toLowerCase() === owner;
            expect(
              sameRepository || (sameOwner && ownerAlready),
              `${r.summary}\n newly admits ${other} (job ${sub})`
            ).toBe(true);
          }
        }
      ),
      { seed: 20261127, numRuns: 400 }
    );
    // The generator must exercise the property, not skip it.
    expect(offered).toBeGreaterThan(80);
  });

  it('never offers a trust-policy change when a Deny statement matches the call', () => {
    fc.assert(
      fc.property(policyArb, subject, (doc, s) => {
        // Prepare
        const sub = subOf(s.owner, s.repo, s.context, s.immutable);
        const call = callOf(failedWebIdentityRecord({ sub, role: 'deploy' }));

        // Act
        const d = classifyCall(call, iamView({ role: role('deploy', doc) }));

        // Assess
        if (d.cause === 'EXPLICIT_DENY') {
          expect(d.remedy?.kind).toBe('intentional');
          expect(d.remedy?.edits).toEqual([]);
        }
      }),
      { seed: 20261128, numRuns: 300 }
    );
  });
});
