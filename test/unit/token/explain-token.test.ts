/**
 * What doctor says about a token before any policy: the form of its sub, its issuer (public,
 * enterprise slug, GHE.com, GHES), its lifetime and what is odd about it.
 */
import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../../src/domain/token/decode-token.js';
import { explainIssuer } from '../../../src/domain/token/explain-issuer.js';
import { explainSubject } from '../../../src/domain/token/explain-subject.js';
import { explainToken } from '../../../src/domain/token/explain-token.js';

const NOW = new Date('2026-11-27T15:00:00Z');
const IAT = Math.floor(NOW.getTime() / 1000) - 10;

describe('explainSubject', () => {
  it.each([
    [
      'repo:acme-corp/payments-api:ref:refs/heads/main',
      'branch',
      'Branch form: the job runs on refs/heads/main and declares no environment.',
    ],
    [
      'repo:acme-corp/payments-api:ref:refs/tags/v1.2.0',
      'tag',
      'Tag form: the job runs on tag refs/tags/v1.2.0 and declares no environment.',
    ],
    [
      'repo:acme-corp/payments-api:ref:refs/heads/gh-readonly-queue/main/pr-7-abc',
      'branch',
      'Branch form: the job runs on refs/heads/gh-readonly-queue/main/pr-7-abc and declares no environment (a merge-queue run: its branch is not the target branch).',
    ],
    [
      'repo:acme-corp/payments-api:ref:refs/pull/7/merge',
      'ref',
      'Ref form: the job runs on refs/pull/7/merge, neither a branch nor a tag, and declares no environment.',
    ],
    [
      'repo:acme-corp/payments-api:pull_request',
      'pull_request',
      'Pull-request form: the job runs for a pull_request event and declares no environment, so the sub names no branch: every pull request of acme-corp/payments-api gets this same sub.',
    ],
  ])('explains %s as the %s form', (sub, form, description) => {
    // Prepare
    const input = sub;

    // Act
    const e = explainSubject(input);

    // Assess
    expect(e.form).toBe(form);
    expect(e.description).toBe(description);
  });

  it('explains a custom subject template with its keys in order', () => {
    // Prepare
    const sub =
      'repo:acme-corp/payments-api:environment:production:job_workflow_ref:acme-corp/shared/.github/workflows/d.yml@refs/heads/main';

    // Act
    const e = explainSubject(sub);

    // Assess
    expect(e.form).toBe('custom');
    expect(e.keys).toEqual(['repo', 'environment', 'job_workflow_ref']);
    expect(e.description).toContain(
      'customised the sub to the keys repo, environment, job_workflow_ref, in this order'
    );
    expect(e.description).toContain('{"use_default": true}');
  });

  it('explains the immutable form with the ids to write', () => {
    // Prepare
    const sub = 'repo:acme-corp@190000001/payments-api@820000002:environment:production';

    // Act
    const e = explainSubject(sub);

    // Assess
    expect(e).toMatchObject({ form: 'environment', immutable: true, environment: 'production' });
    expect(e.description).toContain(
      'Name-based values such as "repo:acme-corp/payments-api:*" do not match it'
    );
  });
});

describe('explainIssuer', () => {
  it.each([
    [
      'https://token.actions.githubusercontent.com',
      'github',
      'token.actions.githubusercontent.com:',
    ],
    [
      'https://token.actions.githubusercontent.com/acme-corp',
      'enterprise-slug',
      'token.actions.githubusercontent.com/acme-corp:',
    ],
    ['https://token.actions.octo-eu.ghe.com', 'ghe-com', 'token.actions.octo-eu.ghe.com:'],
    ['https://github.acme.example/_services/token', 'ghes', 'github.acme.example/_services/token:'],
    ['https://issuer.example', 'other', 'issuer.example:'],
  ])('names %s a %s issuer with key prefix %s', (iss, variant, prefix) => {
    // Prepare
    const input = iss;

    // Act
    const e = explainIssuer(input);

    // Assess
    expect(e.variant).toBe(variant);
    expect(e.keyPrefix).toBe(prefix);
    expect(e.providerUrl).toBe(iss);
  });

  it('says that an enterprise issuer needs its own provider and key prefix', () => {
    // Prepare
    const iss = 'https://token.actions.githubusercontent.com/acme-corp/';

    // Act
    const e = explainIssuer(iss);

    // Assess
    expect(e.enterpriseSlug).toBe('acme-corp');
    expect(e.providerUrl).toBe('https://token.actions.githubusercontent.com/acme-corp');
    expect(e.description).toContain(
      'a provider for token.actions.githubusercontent.com alone does not match, and keys such as "token.actions.githubusercontent.com:sub" are absent from the request.'
    );
  });
});

describe('explainToken', () => {
  it('gives the lifetime and the time left', () => {
    // Prepare
    const token = {
      header: { alg: 'RS256', kid: 'k', typ: 'JWT', x5t: null },
      claims: {
        iss: 'https://token.actions.githubusercontent.com',
        aud: 'sts.amazonaws.com',
        sub: 'repo:a/b:ref:refs/heads/main',
        iat: IAT,
        exp: IAT + 300,
      },
    };

    // Act
    const e = explainToken(token, { now: NOW, audience: 'sts.amazonaws.com' });

    // Assess
    expect(e.lifetime).toEqual({
      issuedAt: '2026-11-27T14:59:50Z',
      notBefore: null,
      expiresAt: '2026-11-27T15:04:50Z',
      lifetimeSeconds: 300,
      expiresInSeconds: 290,
      expired: false,
    });
    expect(e.warnings).toEqual([]);
  });

  it('warns about an expired token, another audience and a missing sub', () => {
    // Prepare
    const token = {
      header: { alg: 'RS256', kid: null, typ: null, x5t: null },
      claims: {
        iss: 'https://token.actions.githubusercontent.com',
        aud: 'https://github.com/acme-corp',
        iat: IAT - 600,
        exp: IAT - 300,
      },
    };

    // Act
    const e = explainToken(token, { now: NOW, audience: 'sts.amazonaws.com' });

    // Assess
    expect(e.warnings).toEqual([
      'The token has no sub claim: STS rejects it.',
      'The token\'s aud is "https://github.com/acme-corp", not the "sts.amazonaws.com" doctor asked for.',
      'The token expired 310 s ago: STS rejects it with ExpiredTokenException.',
    ]);
  });
});

describe('decodeToken', () => {
  it('says a value is not a JWT without quoting it', () => {
    // Prepare
    const value = 'eyJub3QiOiJhIHRva2VuIn0.bm90LWpzb24';

    // Act
    const result = decodeToken(value);

    // Assess
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('eyJ');
  });
});
