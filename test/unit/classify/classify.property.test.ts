/**
 * Properties of the classifier (STYLE.md §3.11): whatever the input — any JSON value, a realistic
 * record with fields deleted, of the wrong type or full of `:`/`%3A`/unicode, any trust policy —
 * the pipeline never throws, no rule throws, and one record gives exactly one Diagnosis with a
 * cause from CAUSES. End to end, the readers and the classifier give one result per record in
 * every container shape the README's "classify" names.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyInputs } from '../../../src/cli/commands/classify.js';
import { CAUSES } from '../../../src/domain/causes.js';
import { classifyCall } from '../../../src/domain/classify/classify.js';
import type { Diagnosis, IamView, OidcCall } from '../../../src/domain/types.js';
import { diagnoseRecord } from '../../../src/usecases/diagnose-record.js';
import {
  type CloudTrailRecord,
  callOf,
  chainedAssumeRoleRecord,
  eventBridgeEnvelope,
  failedWebIdentityRecord,
  GITHUB_PROVIDER,
  providerArn,
  roleArn,
  successWebIdentityRecord,
} from '../../helpers/cloudtrail-records.js';
import {
  AUD_KEY,
  githubProvider,
  githubTrustPolicy,
  iamView,
  role,
  SUB_KEY,
  snapshotReader,
  trustPolicy,
  webIdentityStatement,
} from '../../helpers/iam-view.js';

/** The checks every diagnosis must pass. */
function expectWellFormed(d: Diagnosis): void {
  expect(Array.isArray(d)).toBe(false);
  expect(CAUSES).toContain(d.cause);
  // A rule that threw is caught and reported as CLASSIFICATION_ERROR: it must never happen.
  expect(d.detail).not.toBe('CLASSIFICATION_ERROR');
  expect(typeof d.explanation).toBe('string');
  expect(d.explanation).not.toBe('');
  expect(Array.isArray(d.findings)).toBe(true);
  expect(Array.isArray(d.candidates)).toBe(true);
  expect(() => JSON.stringify(d)).not.toThrow();
}

const SUBS = [
  'repo:acme-corp/payments-api:ref:refs/heads/main',
  'repo:acme-corp/payments-api:environment:production',
  'repo:acme-corp/web:pull_request',
  'repo:acme-corp@41235811/billing-service@998877665:ref:refs/heads/main',
  'repo:acme-corp/api:environment:prod%3Aeu:job_workflow_ref:acme-corp/workflows/.github/workflows/deploy.yml@refs/heads/main',
  'repository_owner:acme-corp:repository_visibility:private',
  'system:serviceaccount:kube-system:external-dns',
];

/** Strings that stress sub parsing and matching. */
const nastyString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ':',
    '::',
    '%3A',
    '%',
    '%E0%A4%A',
    'repo:',
    'repo::ref:',
    'repo:a/b:ref:refs/heads/x:y',
    'repo:acme-corp/web:environment:prod%3Aeu',
    'repo:acme-corp/web:environment:Ünïcødé-🚀',
    'repo:*',
    '*',
    '?',
    '${*}',
    '${token.actions.githubusercontent.com:sub}',
    'arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com',
    'repo:acme@/x@:ref',
    '\u2028\u2029',
    'a\u0000b',
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'
  ),
  fc
    .constantFrom(...SUBS)
    .chain((s) => fc.nat({ max: s.length }).map((i) => `${s.slice(0, i)}:%3A${s.slice(i)}`))
);

/** A value of the wrong type for any field. */
const wrongValue = fc.oneof(
  fc.constantFrom(null, true, 0, -1, 1e21, [], {}, [null], { Records: [] }),
  fc.jsonValue({ maxDepth: 2 }),
  nastyString
);

/** Every path (array of keys) inside a JSON value, the root excluded. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...pathsOf(v, [...prefix, k])]);
}

type Mutation =
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'set'; readonly at: number; readonly value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: wrongValue })
);

/** Applies the mutations, each at a path of the record as it stands then. */
function mutate(record: CloudTrailRecord, mutations: readonly Mutation[]): CloudTrailRecord {
  const copy = structuredClone(record);
  for (const m of mutations) {
    const paths = pathsOf(copy);
    if (paths.length === 0) break;
    const path = paths[m.at % paths.length] as (string | number)[];
    let parent: Record<string | number, unknown> = copy;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (m.op === 'delete') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else parent[last] = structuredClone(m.value);
  }
  return copy;
}

/** Realistic records of every in-scope shape, with varied claims and outcomes. */
const realisticRecord: fc.Arbitrary<CloudTrailRecord> = fc.oneof(
  fc
    .record({
      sub: fc.oneof(fc.constantFrom(...SUBS), nastyString),
      aud: fc.constantFrom('sts.amazonaws.com', 'https://github.com/acme-corp', 'a:b:c'),
      role: fc.constantFrom('payments-deploy', 'web-deploy', 'missing-role', null),
      account: fc.constantFrom('111122223333', '777788889999'),
      errorCode: fc.constantFrom(
        'AccessDenied',
        'AccessDenied',
        'InvalidIdentityToken',
        'ExpiredTokenException',
        'IDPCommunicationError',
        'IDPRejectedClaim',
        'ValidationError',
        'RegionDisabledException',
        'ThrottlingException'
      ),
      errorMessage: fc.oneof(
        fc.constantFrom(
          'An unknown error occurred',
          'Incorrect token audience',
          'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com',
          "OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint",
          'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'
        ),
        nastyString
      ),
    })
    .map((s) => failedWebIdentityRecord(s)),
  fc
    .record({
      sub: fc.oneof(fc.constantFrom(...SUBS), nastyString),
      role: fc.constantFrom('payments-deploy', 'web-deploy'),
    })
    .map((s) => successWebIdentityRecord(s)),
  fc.constantFrom('AccessDenied', null).map((errorCode) => chainedAssumeRoleRecord({ errorCode })),
  fc
    .constantFrom(...SUBS)
    .map((sub) => eventBridgeEnvelope(failedWebIdentityRecord({ sub, role: 'web-deploy' })))
);

const mutatedRecord = fc
  .tuple(realisticRecord, fc.array(mutation, { minLength: 1, maxLength: 4 }))
  .map(([record, mutations]) => mutate(record, mutations));

const READER = snapshotReader([
  role('payments-deploy', githubTrustPolicy('repo:acme-corp/payments-api:ref:refs/heads/main')),
  role(
    'web-deploy',
    githubTrustPolicy('repo:acme-corp/web:environment:*', { operator: 'StringLike' })
  ),
  role(
    'legacy-ci',
    trustPolicy(
      webIdentityStatement({ condition: { StringEquals: { [AUD_KEY]: 'sts.amazonaws.com' } } })
    )
  ),
  role('gha-base', githubTrustPolicy('repo:acme-corp/*', { operator: 'StringLike' })),
  role(
    'cross-deploy',
    trustPolicy({
      Effect: 'Allow',
      Principal: { AWS: roleArn('gha-base') },
      Action: 'sts:AssumeRole',
    })
  ),
]);

describe('diagnoseRecord: properties', () => {
  it('never throws and gives one well-formed Diagnosis for any value', async () => {
    // Prepare
    const property = fc.asyncProperty(fc.anything(), async (value) => {
      // Act
      const d = await diagnoseRecord(value, READER);

      // Assess
      expectWellFormed(d);
    });

    // Act
    const run = fc.assert(property, { numRuns: 500 });

    // Assess
    await expect(run).resolves.toBeUndefined();
  });

  it('never throws on realistic records with fields deleted, mistyped or full of :, %3A and unicode', async () => {
    // Prepare
    const property = fc.asyncProperty(mutatedRecord, async (record) => {
      // Act
      const withIam = await diagnoseRecord(record, READER);
      const withoutIam = await diagnoseRecord(record, null);

      // Assess
      expectWellFormed(withIam);
      expectWellFormed(withoutIam);
    });

    // Act
    const run = fc.assert(property, { numRuns: 1000 });

    // Assess
    await expect(run).resolves.toBeUndefined();
  });

  it('classifies every unmutated realistic record to a cause of its family', async () => {
    // Prepare
    const property = fc.asyncProperty(realisticRecord, async (record) => {
      // Act
      const d = await diagnoseRecord(record, READER);

      // Assess
      expectWellFormed(d);
      expect(['IGNORED', 'MALFORMED_EVENT']).not.toContain(d.cause);
      if (d.errorCode === null) expect(d.cause).toBe('SUCCESS');
      else expect(d.cause).not.toBe('SUCCESS');
    });

    // Act
    const run = fc.assert(property, { numRuns: 500 });

    // Assess
    await expect(run).resolves.toBeUndefined();
  });
});

// ---- trust policies ----------------------------------------------------------------------------

const OPERATORS = [
  'StringEquals',
  'StringLike',
  'StringNotEquals',
  'StringNotLike',
  'StringEqualsIgnoreCase',
  'ForAnyValue:StringLike',
  'ForAllValues:StringEquals',
  'StringLikeIfExists',
  'Null',
  'Bool',
  'ArnLike',
  'DateGreaterThan',
  'NumericLessThan',
  'ForSomething:StringLike',
  'stringlike',
];

const KEYS = [
  AUD_KEY,
  SUB_KEY,
  'token.actions.githubusercontent.com:environment',
  'token.actions.githubusercontent.com:ref',
  'token.actions.githubusercontent.com:repository',
  'token.actions.githubusercontent.com:job_workflow_ref',
  'TOKEN.ACTIONS.GITHUBUSERCONTENT.COM:SUB',
  'token.actions.githubusercontent.com/acme:sub',
  'gitlab.com:sub',
  'aws:SourceIp',
  'sts:RoleSessionName',
  ':',
  '',
];

const VALUES = [
  'sts.amazonaws.com',
  'repo:acme-corp/*',
  'repo:acme-corp/payments-api:ref:refs/heads/main',
  'repo:acme-corp/web:environment:*',
  'repo:*',
  '*',
  '?',
  'repo:acme-corp/${token.actions.githubusercontent.com:repository}:*',
  'repo:${token.actions.githubusercontent.com:actor}/x',
  '${*}',
  'true',
  'production',
  'refs/heads/main',
];

const conditionValue = fc.oneof(
  fc.constantFrom(...VALUES),
  nastyString,
  fc.array(fc.oneof(fc.constantFrom(...VALUES), nastyString), { maxLength: 3 }),
  fc.constantFrom(true, 3, null, [1, 'x'], { nested: 'x' })
);

const condition = fc.dictionary(
  fc.oneof(fc.constantFrom(...OPERATORS), fc.string({ maxLength: 8 })),
  fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), conditionValue, {
      maxKeys: 3,
    }),
    wrongValue
  ),
  { maxKeys: 3 }
);

const principal = fc.oneof(
  fc.constant('*'),
  fc.record({
    Federated: fc.oneof(
      fc.constantFrom(
        GITHUB_PROVIDER,
        providerArn('999988887777'),
        'token.actions.githubusercontent.com',
        '*'
      ),
      fc.array(fc.constantFrom(GITHUB_PROVIDER, '*'))
    ),
  }),
  fc.record({ AWS: fc.constantFrom(roleArn('gha-base'), '111122223333', '*') }),
  wrongValue
);

const statement = fc.record(
  {
    Sid: fc.oneof(fc.constantFrom('GitHubActions', ''), wrongValue),
    Effect: fc.oneof(fc.constantFrom('Allow', 'Allow', 'Deny', 'allow'), wrongValue),
    Principal: principal,
    NotPrincipal: principal,
    Action: fc.oneof(
      fc.constantFrom(
        'sts:AssumeRoleWithWebIdentity',
        'sts:AssumeRole',
        'sts:*',
        '*',
        ['sts:AssumeRole', 'sts:TagSession'],
        'sts:AssumeRoleWith*'
      ),
      wrongValue
    ),
    NotAction: fc.constantFrom('sts:AssumeRole', ['sts:TagSession']),
    Condition: fc.oneof(condition, wrongValue),
  },
  { requiredKeys: ['Effect'] }
);

const structuredPolicy = fc
  .record({
    Version: fc.constantFrom('2012-10-17', '2008-10-17', undefined),
    Statement: fc.oneof(fc.array(statement, { maxLength: 4 }), statement),
  })
  .chain((doc) =>
    fc.constantFrom(
      doc,
      JSON.stringify(doc),
      encodeURIComponent(JSON.stringify(doc)),
      JSON.stringify(doc).slice(0, 20)
    )
  );

const CALLS: readonly OidcCall[] = [
  ...SUBS.map((sub) => callOf(failedWebIdentityRecord({ sub, role: 'deploy' }))),
  callOf(failedWebIdentityRecord({ sub: SUBS[0] as string, role: null })),
  callOf(
    failedWebIdentityRecord({
      sub: SUBS[1] as string,
      aud: 'https://github.com/acme-corp',
      role: 'deploy',
    })
  ),
  callOf(successWebIdentityRecord({ sub: SUBS[0] as string, role: 'deploy' })),
  callOf(chainedAssumeRoleRecord({ targetRole: 'deploy' })),
  callOf(
    failedWebIdentityRecord({
      sub: SUBS[0] as string,
      role: 'deploy',
      errorCode: 'ValidationError',
      errorMessage:
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    })
  ),
];

function viewWith(policies: readonly unknown[]): IamView {
  const roles = policies.map((p, i) => role(i === 0 ? 'deploy' : `candidate-${i}`, p));
  return iamView({
    role: roles[0] ?? null,
    providers: [
      githubProvider({ clientIds: ['sts.amazonaws.com', 'https://github.com/acme-corp'] }),
    ],
    rolesTrustingProvider: roles,
    knownOwners: ['acme-corp'],
  });
}

describe('classifyCall with any trust policy: properties', () => {
  it('never throws for arbitrary values as trust policy', () => {
    // Prepare
    const property = fc.property(
      fc.constantFrom(...CALLS),
      fc.array(fc.anything(), { minLength: 1, maxLength: 3 }),
      (call, policies) => {
        // Act
        const d = classifyCall(call, viewWith(policies));

        // Assess
        expectWellFormed(d);
      }
    );

    // Act
    const run = () => fc.assert(property, { numRuns: 500 });

    // Assess
    expect(run).not.toThrow();
  });

  it('never throws for structured random policies, and its cause agrees with the trace', () => {
    // Prepare
    const property = fc.property(
      fc.constantFrom(...CALLS),
      fc.array(structuredPolicy, { minLength: 1, maxLength: 3 }),
      (call, policies) => {
        // Act
        const d = classifyCall(call, viewWith(policies));

        // Assess
        expectWellFormed(d);
        if (d.trace !== null && call.chained === null) {
          if (d.trace.decision === 'allow') expect(d.cause).toBe('DENIED_OUTSIDE_TRUST_POLICY');
          if (d.trace.decision === 'explicit-deny')
            expect(d.cause).toMatch(/^(EXPLICIT_DENY|WRONG_PROVIDER_PRINCIPAL|WRONG_ACTION)$/);
          if (d.cause === 'SUB_MISMATCH' || d.cause === 'AUDIENCE_MISMATCH')
            expect(d.trace.decision).toBe('implicit-deny');
        }
      }
    );

    // Act
    const run = () => fc.assert(property, { numRuns: 1500 });

    // Assess
    expect(run).not.toThrow();
  });
});

// ---- readers and classifier end to end -----------------------------------------------------------

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oidcwatch-classify-property-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CONTAINERS = {
  'JSON array': (records: readonly unknown[]) => JSON.stringify(records),
  'JSON Lines': (records: readonly unknown[]) =>
    records.map((r) => `${JSON.stringify(r)}\n`).join(''),
  'CloudTrail log file': (records: readonly unknown[]) => JSON.stringify({ Records: records }),
} as const;

describe('readers + classifier: properties', () => {
  for (const [shape, write] of Object.entries(CONTAINERS)) {
    it(`emits exactly one result per record written as a ${shape}`, async () => {
      // Prepare
      let n = 0;
      const property = fc.asyncProperty(
        fc.array(fc.oneof(realisticRecord, mutatedRecord), { maxLength: 12 }),
        async (records) => {
          const file = join(dir, `records-${n++}.json`);
          await writeFile(file, write(records));
          const results: Diagnosis[] = [];
          const stderr: string[] = [];
          const io = {
            stdin: Readable.from([]),
            stderr: new Writable({
              write(chunk, _encoding, done) {
                stderr.push(String(chunk));
                done();
              },
            }),
          };

          // Act
          const { unreadable } = await classifyInputs([file], READER, (d) => results.push(d), io);

          // Assess
          expect(unreadable).toBe(0);
          expect(stderr).toEqual([]);
          expect(results).toHaveLength(records.length);
          for (const d of results) expectWellFormed(d);
        }
      );

      // Act
      const run = fc.assert(property, { numRuns: 60 });

      // Assess
      await expect(run).resolves.toBeUndefined();
    });
  }
});
