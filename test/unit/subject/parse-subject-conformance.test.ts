import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../../src/domain/subject/parse-subject.js';
import { CONFORMANCE_SUBJECTS } from './conformance-subjects.js';

describe('parseSubject: conformance subjects', () => {
  it.each(CONFORMANCE_SUBJECTS)('parses $subject with the $issuer grammar', (vector) => {
    // Prepare
    const { issuer, subject: sub } = vector;

    // Act
    const subject = parseSubject(sub, issuer);

    // Assess
    expect(subject.issuerKind).toBe(issuer);
    expect(subject.form).toBe(vector.form);
    expect(subject.repository).toBe(vector.repository);
    expect(subject.raw).toBe(sub);
  });

  it.each(CONFORMANCE_SUBJECTS)('recognises $subject as $issuer by its shape', (vector) => {
    // Prepare
    const sub = vector.subject;

    // Act
    const subject = parseSubject(sub, null);

    // Assess
    expect(subject.issuerKind).toBe(vector.issuer);
    expect(subject.form).toBe(vector.form);
    expect(subject.repository).toBe(vector.repository);
  });
});
