import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../../src/domain/subject/parse-subject.js';
import type { IssuerKind } from '../../../src/domain/types.js';

const ISSUER_KINDS: readonly (IssuerKind | null)[] = [
  null,
  'github',
  'gitlab',
  'terraform-cloud',
  'circleci',
  'buildkite',
  'bitbucket',
  'eks',
  'other',
];

/** Strings built from the characters subjects are made of, so the grammars are exercised. */
const subjectLike = fc
  .array(
    fc.oneof(
      fc.constantFrom('repo', 'ref', 'environment', 'pull_request', 'organization', 'project_path'),
      fc.constantFrom(':', '/', '@', '%3A', '{', '}', 'refs/heads/', 'system:serviceaccount:'),
      fc.string({ maxLength: 6 })
    ),
    { maxLength: 12 }
  )
  .map((parts) => parts.join(''));

describe('parseSubject: properties', () => {
  it('never throws and always keeps the raw subject', () => {
    // Prepare
    const property = fc.property(
      fc.oneof(fc.string(), fc.string({ unit: 'binary' }), subjectLike),
      fc.constantFrom(...ISSUER_KINDS),
      (sub, kind) => {
        // Act
        const subject = parseSubject(sub, kind);

        // Assess
        expect(subject.raw).toBe(sub);
        expect(subject.form).toBeTypeOf('string');
        if (kind !== null && kind !== 'other') expect(subject.issuerKind).toBe(kind);
      }
    );

    // Act
    const run = () => fc.assert(property, { numRuns: 2000 });

    // Assess
    expect(run).not.toThrow();
  });
});
