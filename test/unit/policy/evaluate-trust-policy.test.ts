import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy } from '../../../src/domain/policy/evaluate-trust-policy.js';
import { readTrustPolicy, type TrustPolicy } from '../../../src/domain/policy/parse-policy.js';
import type { KeyLookup, TrustRequest } from '../../../src/domain/policy/trust-request.js';
import { webIdentityRequest } from '../../../src/domain/policy/web-identity-request.js';
import type { Issuer, Subject } from '../../../src/domain/types.js';

const GH = 'token.actions.githubusercontent.com';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${GH}`;
const ISSUER: Issuer = { kind: 'github', url: GH, enterprise: false };
const MAIN = 'repo:acme/api:ref:refs/heads/main';

function policy(statements: unknown[], version = '2012-10-17'): TrustPolicy {
  const read = readTrustPolicy({ Version: version, Statement: statements });
  if (!read.ok) throw new Error(read.reason);
  return read.policy;
}

function allow(condition?: unknown, extra: Record<string, unknown> = {}) {
  return {
    Effect: 'Allow',
    Principal: { Federated: PROVIDER },
    Action: 'sts:AssumeRoleWithWebIdentity',
    ...(condition === undefined ? {} : { Condition: condition }),
    ...extra,
  };
}

function request(
  sub = MAIN,
  aud = 'sts.amazonaws.com',
  subject: Subject | null = null,
  issuer: Issuer = ISSUER,
  provider = PROVIDER
): TrustRequest {
  return webIdentityRequest({ provider, issuer, aud, sub, subject });
}

/** A request whose context holds exactly these keys (others absent). */
function contextRequest(keys: Record<string, string[] | 'unrecorded'>): TrustRequest {
  const lower = new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    action: 'sts:AssumeRoleWithWebIdentity',
    principal: { type: 'Federated', id: PROVIDER },
    lookup: (key): KeyLookup => {
      const v = lower.get(key.toLowerCase());
      if (v === undefined) return { state: 'absent', reason: 'not in the test context' };
      if (v === 'unrecorded') return { state: 'unrecorded', reason: 'not recorded' };
      return { state: 'present', values: v, origin: 'recorded' };
    },
  };
}

function decide(p: TrustPolicy, r: TrustRequest) {
  return evaluateTrustPolicy(p, r).decision;
}

describe('string operators', () => {
  it('ORs several values under StringEquals', () => {
    // Prepare
    const p = policy([
      allow({ StringEquals: { [`${GH}:sub`]: ['repo:acme/web:ref:refs/heads/main', MAIN] } }),
    ]);

    // Act
    const admitted = decide(p, request());
    const rejected = decide(p, request('repo:acme/api:ref:refs/heads/dev'));

    // Assess
    expect(admitted).toBe('allow');
    expect(rejected).toBe('implicit-deny');
  });

  it('matches a * under StringEquals literally', () => {
    // Prepare
    const p = policy([allow({ StringEquals: { [`${GH}:sub`]: 'repo:acme/api:*' } })]);

    // Act
    const other = decide(p, request());
    const literal = decide(p, request('repo:acme/api:*'));

    // Assess
    expect(other).toBe('implicit-deny');
    expect(literal).toBe('allow');
  });

  it('lets * span separators and match nothing under StringLike, and ? match one character', () => {
    // Prepare
    const star = policy([allow({ StringLike: { [`${GH}:sub`]: 'repo:acme/*' } })]);
    const zeroWidth = policy([allow({ StringLike: { [`${GH}:sub`]: `${MAIN}*` } })]);
    const one = policy([
      allow({ StringLike: { [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/ma?n' } }),
    ]);

    // Act
    const results = [
      decide(star, request('repo:acme/api:ref:refs/heads/feature/x')),
      decide(zeroWidth, request()),
      decide(one, request()),
      decide(one, request('repo:acme/api:ref:refs/heads/maiin')),
    ];

    // Assess
    expect(results).toEqual(['allow', 'allow', 'allow', 'implicit-deny']);
  });

  it('treats ${*}, ${?} and ${$} as literal characters under StringLike', () => {
    // Prepare
    const p = policy([
      allow({ StringLike: { [`${GH}:sub`]: 'repo:acme/api:environment:a${*}b${?}${$}' } }),
    ]);

    // Act
    const literal = decide(p, request('repo:acme/api:environment:a*b?$'));
    const wild = decide(p, request('repo:acme/api:environment:axxb!$'));

    // Assess
    expect(literal).toBe('allow');
    expect(wild).toBe('implicit-deny');
  });

  it('keeps ${*} verbatim in a policy without Version 2012-10-17', () => {
    // Prepare
    const p = policy([allow({ StringEquals: { [`${GH}:sub`]: 'a${*}' } })], '2008-10-17');

    // Act
    const verbatim = decide(p, request('a${*}'));
    const substituted = decide(p, request('a*'));

    // Assess
    expect(verbatim).toBe('allow');
    expect(substituted).toBe('implicit-deny');
  });

  it('compares keys case-insensitively and values case-sensitively', () => {
    // Prepare
    const p = policy([
      allow({ StringEquals: { 'Token.Actions.GithubUserContent.com:SUB': MAIN } }),
    ]);

    // Act
    const sameCase = decide(p, request());
    const otherCase = decide(p, request('repo:Acme/api:ref:refs/heads/main'));

    // Assess
    expect(sameCase).toBe('allow');
    expect(otherCase).toBe('implicit-deny');
  });

  it('ignores value case under StringEqualsIgnoreCase and StringNotEqualsIgnoreCase', () => {
    // Prepare
    const eq = policy([allow({ StringEqualsIgnoreCase: { [`${GH}:sub`]: MAIN.toUpperCase() } })]);
    const ne = policy([
      allow({ StringNotEqualsIgnoreCase: { [`${GH}:sub`]: MAIN.toUpperCase() } }),
    ]);

    // Act
    const results = [decide(eq, request()), decide(ne, request())];

    // Assess
    expect(results).toEqual(['allow', 'implicit-deny']);
  });

  it('ANDs several values under a negated operator', () => {
    // Prepare
    const p = policy([
      allow({
        StringNotEquals: {
          [`${GH}:sub`]: ['repo:acme/api:pull_request', 'repo:acme/api:ref:refs/heads/dev'],
        },
      }),
    ]);

    // Act
    const results = [
      decide(p, request()),
      decide(p, request('repo:acme/api:pull_request')),
      decide(p, request('repo:acme/api:ref:refs/heads/dev')),
    ];

    // Assess
    expect(results).toEqual(['allow', 'implicit-deny', 'implicit-deny']);
  });

  it('ANDs keys and operators within a statement', () => {
    // Prepare
    const p = policy([
      allow({
        StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' },
      }),
    ]);

    // Act
    const results = [
      decide(p, request()),
      decide(p, request(MAIN, 'https://github.com/acme')),
      decide(p, request('repo:acme/web:ref:refs/heads/main')),
    ];

    // Assess
    expect(results).toEqual(['allow', 'implicit-deny', 'implicit-deny']);
  });
});

describe('absent keys, IfExists, Null, Bool and set qualifiers', () => {
  it('passes ForAllValues when the key is absent and fails ForAnyValue', () => {
    // Prepare
    const all = policy([allow({ 'ForAllValues:StringEquals': { 'x:environment': 'prod' } })]);
    const any = policy([allow({ 'ForAnyValue:StringEquals': { 'x:environment': 'prod' } })]);
    const r = contextRequest({});

    // Act
    const results = [decide(all, r), decide(any, r)];

    // Assess
    expect(results).toEqual(['allow', 'implicit-deny']);
  });

  it('checks every value under ForAllValues and one under ForAnyValue when present', () => {
    // Prepare
    const all = policy([allow({ 'ForAllValues:StringLike': { 'x:tags': ['a*', 'b'] } })]);
    const any = policy([allow({ 'ForAnyValue:StringLike': { 'x:tags': ['a*'] } })]);
    const mixed = contextRequest({ 'x:tags': ['alpha', 'c'] });
    const listed = contextRequest({ 'x:tags': ['alpha', 'b'] });

    // Act
    const results = [decide(all, mixed), decide(all, listed), decide(any, mixed)];

    // Assess
    expect(results).toEqual(['implicit-deny', 'allow', 'allow']);
  });

  it('passes an IfExists operator when the key is absent and tests it when present', () => {
    // Prepare
    const p = policy([allow({ StringEqualsIfExists: { 'x:environment': 'prod' } })]);

    // Act
    const results = [
      decide(p, contextRequest({})),
      decide(p, contextRequest({ 'x:environment': ['prod'] })),
      decide(p, contextRequest({ 'x:environment': ['dev'] })),
    ];

    // Assess
    expect(results).toEqual(['allow', 'allow', 'implicit-deny']);
  });

  it('fails a positive operator on an absent key and passes a negated one', () => {
    // Prepare
    const positive = policy([allow({ StringLike: { 'x:environment': '*' } })]);
    const negated = policy([allow({ StringNotLike: { 'x:environment': 'prod' } })]);
    const r = contextRequest({});

    // Act
    const results = [decide(positive, r), decide(negated, r)];

    // Assess
    expect(results).toEqual(['implicit-deny', 'allow']);
  });

  it('evaluates Null for absence and presence', () => {
    // Prepare
    const mustBeAbsent = policy([allow({ Null: { 'x:environment': 'true' } })]);
    const mustExist = policy([allow({ Null: { 'x:environment': 'false' } })]);
    const absent = contextRequest({});
    const present = contextRequest({ 'x:environment': ['prod'] });

    // Act
    const results = [
      decide(mustBeAbsent, absent),
      decide(mustBeAbsent, present),
      decide(mustExist, absent),
      decide(mustExist, present),
    ];

    // Assess
    expect(results).toEqual(['allow', 'implicit-deny', 'implicit-deny', 'allow']);
  });

  it('compares Bool values without regard to case, whether written as JSON booleans or strings', () => {
    // Prepare
    const p = policy([allow({ Bool: { 'x:ref_protected': true } })]);

    // Act
    const results = [
      decide(p, contextRequest({ 'x:ref_protected': ['TRUE'] })),
      decide(p, contextRequest({ 'x:ref_protected': ['false'] })),
    ];

    // Assess
    expect(results).toEqual(['allow', 'implicit-deny']);
  });

  it('returns unknown, naming the claim, when a condition reads a claim CloudTrail does not record', () => {
    // Prepare
    const p = policy([
      allow({
        StringEquals: {
          [`${GH}:sub`]: MAIN,
          [`${GH}:job_workflow_ref`]: 'acme/ci/.github/workflows/deploy.yml@refs/heads/main',
        },
      }),
    ]);

    // Act
    const trace = evaluateTrustPolicy(p, request());

    // Assess
    expect(trace.decision).toBe('unknown');
    const jwr = trace.statements[0]?.conditions.find((c) => c.key.endsWith('job_workflow_ref'));
    expect(jwr).toMatchObject({ verdict: 'unknown', tested: null });
    expect(jwr?.note).toContain('not recorded in CloudTrail');
  });

  it('still denies when a recorded claim fails beside an unrecorded one', () => {
    // Prepare
    const p = policy([
      allow({
        StringEquals: { [`${GH}:sub`]: MAIN, [`${GH}:actor`]: 'octocat' },
      }),
    ]);

    // Act
    const decision = decide(p, request('repo:acme/api:ref:refs/heads/dev'));

    // Assess
    expect(decision).toBe('implicit-deny');
  });

  it('treats a key under another issuer prefix as absent (enterprise issuer slug)', () => {
    // Prepare
    const enterprise: Issuer = { kind: 'github', url: `${GH}/acme`, enterprise: true };
    const provider = `arn:aws:iam::111122223333:oidc-provider/${GH}/acme`;
    const p = policy([
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { [`${GH}:sub`]: 'repo:acme/*' } },
      },
    ]);
    const fixed = policy([
      {
        Effect: 'Allow',
        Principal: { Federated: provider },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringLike: { [`${GH}/acme:sub`]: 'repo:acme/*' } },
      },
    ]);
    const r = request(MAIN, 'sts.amazonaws.com', null, enterprise, provider);

    // Act
    const trace = evaluateTrustPolicy(p, r);
    const fixedDecision = decide(fixed, r);

    // Assess
    expect(trace.decision).toBe('implicit-deny');
    expect(trace.statements[0]?.conditions[0]?.note).toContain(`token's issuer is "${GH}/acme"`);
    expect(fixedDecision).toBe('allow');
  });

  it('names an operator it does not evaluate and answers unknown rather than guessing', () => {
    // Prepare
    const p = policy([
      allow({
        ArnLike: { 'aws:SourceArn': 'arn:aws:iam::*' },
        StringEquals: { [`${GH}:sub`]: MAIN },
      }),
    ]);

    // Act
    const trace = evaluateTrustPolicy(p, request());

    // Assess
    expect(trace.decision).toBe('unknown');
    expect(trace.statements[0]?.conditions[0]?.note).toContain('operator "ArnLike"');
  });
});

describe('statements, principals and actions', () => {
  it('lets an explicit Deny with StringNotLike win over a matching Allow', () => {
    // Prepare
    const p = policy([
      allow({ StringLike: { [`${GH}:sub`]: 'repo:acme/*' } }),
      {
        Effect: 'Deny',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringNotLike: { [`${GH}:sub`]: 'repo:acme/*:ref:refs/heads/main' } },
      },
    ]);

    // Act
    const onMain = decide(p, request());
    const onBranch = decide(p, request('repo:acme/api:ref:refs/heads/dev'));

    // Assess
    expect(onMain).toBe('allow');
    expect(onBranch).toBe('explicit-deny');
  });

  it('matches Action and NotAction with wildcards, case-insensitively', () => {
    // Prepare
    const star = policy([allow(undefined, { Action: ['sts:AssumeRoleWith*'] })]);
    const upper = policy([allow(undefined, { Action: 'STS:ASSUMEROLEWITHWEBIDENTITY' })]);
    const wrong = policy([allow(undefined, { Action: 'sts:AssumeRole' })]);
    const notAction = policy([
      { Effect: 'Allow', Principal: { Federated: PROVIDER }, NotAction: 'sts:TagSession' },
    ]);

    // Act
    const results = [star, upper, wrong, notAction].map((p) => decide(p, request()));

    // Assess
    expect(results).toEqual(['allow', 'allow', 'implicit-deny', 'allow']);
  });

  it('requires Principal.Federated to name the token provider', () => {
    // Prepare
    const other = policy([
      allow(undefined, {
        Principal: { Federated: `arn:aws:iam::444455556666:oidc-provider/${GH}` },
      }),
    ]);
    const listed = policy([
      allow(undefined, { Principal: { Federated: ['accounts.google.com', PROVIDER] } }),
    ]);
    const notPrincipal = policy([
      {
        Effect: 'Allow',
        NotPrincipal: { Federated: 'accounts.google.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
      },
    ]);

    // Act
    const results = [other, listed, notPrincipal].map((p) => decide(p, request()));
    const trace = evaluateTrustPolicy(other, request());

    // Assess
    expect(results).toEqual(['implicit-deny', 'allow', 'allow']);
    expect(trace.statements[0]?.principalMatches).toBe(false);
  });

  it('matches an AWS principal by role ARN, account id or account root', () => {
    // Prepare
    const role = 'arn:aws:iam::111122223333:role/gha-base';
    const r: TrustRequest = {
      ...contextRequest({}),
      action: 'sts:AssumeRole',
      principal: { type: 'AWS', id: role },
    };
    const byArn = policy([{ Effect: 'Allow', Principal: { AWS: role }, Action: 'sts:AssumeRole' }]);
    const byRoot = policy([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'sts:AssumeRole',
      },
    ]);
    const byId = policy([
      { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 'sts:AssumeRole' },
    ]);
    const other = policy([
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444455556666:root' },
        Action: 'sts:AssumeRole',
      },
    ]);

    // Act
    const results = [byArn, byRoot, byId, other].map((p) => decide(p, r));

    // Assess
    expect(results).toEqual(['allow', 'allow', 'allow', 'implicit-deny']);
  });

  it('reads a single Statement object, string-or-array fields and the URL-encoded GetRole form', () => {
    // Prepare
    const doc = {
      Version: '2012-10-17',
      Statement: {
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: ['sts:AssumeRoleWithWebIdentity'],
        Condition: { StringEquals: { [`${GH}:sub`]: MAIN, [`${GH}:aud`]: ['sts.amazonaws.com'] } },
      },
    };
    const encoded = encodeURIComponent(JSON.stringify(doc));

    // Act
    const fromObject = readTrustPolicy(doc);
    const fromEncoded = readTrustPolicy(encoded);
    const fromText = readTrustPolicy(JSON.stringify(doc));

    // Assess
    for (const read of [fromObject, fromEncoded, fromText]) {
      expect(read.ok).toBe(true);
      if (read.ok) expect(decide(read.policy, request())).toBe('allow');
    }
  });

  it('reports a document that is not JSON, naming the problem', () => {
    // Prepare
    const inputs = [
      '{"Version": "2012-10-17", "Statement": [',
      '%7B%22Version%22%3A',
      42,
      { Version: '2012-10-17' },
    ];

    // Act
    const reasons = inputs.map((i) => {
      const r = readTrustPolicy(i);
      return r.ok ? null : r.reason;
    });

    // Assess
    expect(reasons[0]).toMatch(/^trust policy is not JSON/);
    expect(reasons[1]).toMatch(/URL-encoded but not JSON/);
    expect(reasons[2]).toBe('trust policy must be a JSON object');
    expect(reasons[3]).toBe('trust policy has no "Statement" element');
  });

  it('reports a condition value of the wrong type with its path', () => {
    // Prepare
    const doc = {
      Version: '2012-10-17',
      Statement: [allow({ StringEquals: { [`${GH}:sub`]: { a: 1 } } })],
    };

    // Act
    const read = readTrustPolicy(doc);

    // Assess
    expect(read).toEqual({
      ok: false,
      reason: `trust policy Statement[0].Condition.StringEquals["${GH}:sub"] must be a string or an array of strings`,
    });
  });
});
