import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../../src/domain/subject/parse-subject.js';

describe('parseSubject: GitHub default forms', () => {
  it('parses the branch form', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject).toEqual({
      raw: sub,
      issuerKind: 'github',
      form: 'branch',
      pairs: [
        { key: 'repo', value: 'octo-org/octo-repo' },
        { key: 'ref', value: 'refs/heads/main' },
      ],
      repository: 'octo-org/octo-repo',
      owner: 'octo-org',
      ownerId: null,
      repositoryId: null,
      immutable: false,
      ref: 'refs/heads/main',
      environment: null,
      claims: {
        repository: 'octo-org/octo-repo',
        repository_owner: 'octo-org',
        ref: 'refs/heads/main',
        ref_type: 'branch',
      },
    });
  });

  it('parses the tag form', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/tags/v1.2.3';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('tag');
    expect(subject.ref).toBe('refs/tags/v1.2.3');
    expect(subject.claims.ref_type).toBe('tag');
  });

  it('parses another ref as the ref form without guessing its type', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/pull/42/merge';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('ref');
    expect(subject.ref).toBe('refs/pull/42/merge');
    expect(subject.claims).toEqual({
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      ref: 'refs/pull/42/merge',
    });
  });

  it('parses the pull_request form and proves event_name', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:pull_request';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('pull_request');
    expect(subject.pairs).toEqual([
      { key: 'repo', value: 'octo-org/octo-repo' },
      { key: 'pull_request', value: null },
    ]);
    expect(subject.ref).toBeNull();
    expect(subject.claims).toEqual({
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      event_name: 'pull_request',
    });
  });

  it('parses the environment form, decodes %3A and claims no ref', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:environment:Production%3AV1';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.raw).toBe(sub);
    expect(subject.form).toBe('environment');
    expect(subject.environment).toBe('Production:V1');
    expect(subject.ref).toBeNull();
    expect(subject.claims).toEqual({
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      environment: 'Production:V1',
    });
  });

  it('parses the repo-only form', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('repo-only');
    expect(subject.repository).toBe('octo-org/octo-repo');
  });
});

describe('parseSubject: GitHub immutable subjects', () => {
  it('strips the ids of the immutable form from the repository', () => {
    // Prepare
    const sub = 'repo:octo-org@123456/octo-repo@7891011:ref:refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject).toMatchObject({
      form: 'branch',
      immutable: true,
      repository: 'octo-org/octo-repo',
      owner: 'octo-org',
      ownerId: '123456',
      repositoryId: '7891011',
      claims: {
        repository: 'octo-org/octo-repo',
        repository_owner: 'octo-org',
        repository_id: '7891011',
        repository_owner_id: '123456',
        ref: 'refs/heads/main',
        ref_type: 'branch',
      },
    });
  });

  it('reads a real immutable subject', () => {
    // Prepare
    const sub = 'repo:andreaso@285964/actions-tester@1339936803:ref:refs/heads/x';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject).toMatchObject({
      form: 'branch',
      immutable: true,
      repository: 'andreaso/actions-tester',
      ownerId: '285964',
      repositoryId: '1339936803',
      ref: 'refs/heads/x',
    });
  });

  it('keeps the immutable flag on a custom template', () => {
    // Prepare
    const sub =
      'repo:octo-org@123456/octo-repo@7891011:environment:prod:job_workflow_ref:octo-org/ci/.github/workflows/d.yml@refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('custom');
    expect(subject.immutable).toBe(true);
    expect(subject.environment).toBe('prod');
  });
});

describe('parseSubject: GitHub custom templates', () => {
  it('parses repo, context and job_workflow_ref', () => {
    // Prepare
    const sub =
      'repo:octo-org/octo-repo:environment:prod:job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('custom');
    expect(subject.environment).toBe('prod');
    expect(subject.claims).toEqual({
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      environment: 'prod',
      job_workflow_ref: 'octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main',
    });
  });

  it('parses job_workflow_ref alone, naming no repository', () => {
    // Prepare
    const sub =
      'job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('custom');
    expect(subject.repository).toBeNull();
    expect(subject.owner).toBeNull();
    expect(subject.claims).toEqual({
      job_workflow_ref: 'octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main',
    });
  });

  it('parses repository_owner and repository_visibility', () => {
    // Prepare
    const sub = 'repository_owner:monalisa:repository_visibility:private';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('custom');
    expect(subject.repository).toBeNull();
    expect(subject.owner).toBe('monalisa');
    expect(subject.claims).toEqual({
      repository_owner: 'monalisa',
      repository_visibility: 'private',
    });
  });

  it('takes ids and the repository from their own keys', () => {
    // Prepare
    const sub = 'repository_owner_id:72338:repository_id:1296269:repository:octocat/Hello-World';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject).toMatchObject({
      form: 'custom',
      repository: 'octocat/Hello-World',
      owner: 'octocat',
      ownerId: '72338',
      repositoryId: '1296269',
      immutable: false,
    });
  });

  it('does not take a repository key that names no owner/name', () => {
    // Prepare
    const sub = 'repository:Hello-World:actor:octocat';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.repository).toBeNull();
    expect(subject.claims).toEqual({ repository: 'Hello-World', actor: 'octocat' });
  });

  it('keeps custom keys verbatim, with empty values and repo properties', () => {
    // Prepare
    const sub =
      'repo:octo-org/octo-repo:context:x:head_ref::event_name:push:repo_property_workspace_id:ws%3A42:runner_environment:github-hosted';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('custom');
    expect(subject.claims).toEqual({
      repository: 'octo-org/octo-repo',
      repository_owner: 'octo-org',
      context: 'x',
      head_ref: '',
      event_name: 'push',
      repo_property_workspace_id: 'ws:42',
      runner_environment: 'github-hosted',
    });
  });

  it('lets a key the template states win over a derived one', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/heads/main:ref_type:tag';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('custom');
    expect(subject.claims.ref_type).toBe('tag');
  });

  it('parses an environment-first template by its shape when the issuer is unknown', () => {
    // Prepare
    const sub = 'environment:production%3Aeastus:repository_owner:octo-org';

    // Act
    const subject = parseSubject(sub, null);

    // Assess
    expect(subject.issuerKind).toBe('github');
    expect(subject.environment).toBe('production:eastus');
    expect(subject.claims).toEqual({
      environment: 'production:eastus',
      repository_owner: 'octo-org',
    });
  });

  it('keeps a claim named __proto__ as an own property', () => {
    // Prepare
    const sub = '__proto__:x:repo:o/r';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(Object.hasOwn(subject.claims, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(subject.claims)).toBe(Object.prototype);
  });
});

describe('parseSubject: GitHub subjects that do not follow the grammar', () => {
  it.each([
    ['a key without a value', 'repo:octo-org/octo-repo:ref'],
    ['an empty key', 'repo:octo-org/octo-repo::x'],
    ['a key with spaces', 'repo:o/r:my key:v'],
    ['an empty subject', ''],
  ])('gives the unknown form for %s', (_case, sub) => {
    // Prepare
    const raw = sub;

    // Act
    const subject = parseSubject(raw, 'github');

    // Assess
    expect(subject).toMatchObject({
      raw,
      issuerKind: 'github',
      form: 'unknown',
      pairs: [],
      repository: null,
      claims: {},
    });
  });

  it('names no repository for a repo value that is not owner/name, yet keeps the form', () => {
    // Prepare
    const sub = 'repo:octo-org:ref:refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'github');

    // Assess
    expect(subject.form).toBe('branch');
    expect(subject.repository).toBeNull();
    expect(subject.claims).toEqual({ ref: 'refs/heads/main', ref_type: 'branch' });
  });

  it('does not recognise unknown keys as GitHub when the issuer is unknown', () => {
    // Prepare
    const sub = 'tenant:acme:team:payments';

    // Act
    const subject = parseSubject(sub, null);

    // Assess
    expect(subject.issuerKind).toBe('other');
    expect(subject.form).toBe('unknown');
  });
});
