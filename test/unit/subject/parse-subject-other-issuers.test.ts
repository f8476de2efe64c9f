import { describe, expect, it } from 'vitest';
import { parseSubject } from '../../../src/domain/subject/parse-subject.js';

describe('parseSubject: GitLab', () => {
  it('parses the default project_path subject', () => {
    // Prepare
    const sub = 'project_path:mygroup/subgroup/deepproject:ref_type:branch:ref:main';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject).toMatchObject({
      issuerKind: 'gitlab',
      form: 'project',
      repository: 'mygroup/subgroup/deepproject',
      owner: 'mygroup/subgroup',
      ref: 'refs/heads/main',
      claims: {
        project_path: 'mygroup/subgroup/deepproject',
        ref_type: 'branch',
        ref: 'main',
      },
    });
  });

  it('gives the full ref of a tag', () => {
    // Prepare
    const sub = 'project_path:mygroup/myproject:ref_type:tag:ref:v1.0.0';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject.ref).toBe('refs/tags/v1.0.0');
  });

  it('parses an id-based subject', () => {
    // Prepare
    const sub = 'project_id:20:namespace_id:7:ref_type:branch:ref:main';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject).toMatchObject({
      form: 'project',
      repository: null,
      owner: null,
      repositoryId: '20',
      ownerId: '7',
      claims: { project_id: '20', namespace_id: '7', ref_type: 'branch', ref: 'main' },
    });
  });

  it('keeps an untyped ref as it is', () => {
    // Prepare
    const sub = 'namespace_path:mygroup:project_path:mygroup/app:ref:main';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject.ref).toBe('main');
    expect(subject.owner).toBe('mygroup');
  });

  it('takes the owner from namespace_path when there is no project path', () => {
    // Prepare
    const sub = 'namespace_path:mygroup:ref_type:branch:ref:main';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject.owner).toBe('mygroup');
    expect(subject.repository).toBeNull();
  });

  it('reads an environment and claims no ref when the subject has none', () => {
    // Prepare
    const sub = 'project_path:mygroup/app:environment:production';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject).toMatchObject({ environment: 'production', ref: null, owner: 'mygroup' });
    expect(subject.claims).not.toHaveProperty('ref');
  });

  it('names no owner for a project path without a namespace', () => {
    // Prepare
    const sub = 'project_path:solo:ref_type:branch:ref:main';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject.owner).toBeNull();
    expect(subject.repository).toBe('solo');
  });

  it('gives the unknown form for a GitHub subject under a GitLab issuer', () => {
    // Prepare
    const sub = 'repo:octo-org/octo-repo:ref:refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'gitlab');

    // Assess
    expect(subject.form).toBe('unknown');
    expect(subject.issuerKind).toBe('gitlab');
  });
});

describe('parseSubject: Terraform Cloud', () => {
  it('parses organization, project, workspace and run phase', () => {
    // Prepare
    const sub = 'organization:my-org:project:my-project:workspace:my-workspace:run_phase:apply';

    // Act
    const subject = parseSubject(sub, 'terraform-cloud');

    // Assess
    expect(subject).toMatchObject({
      form: 'project',
      repository: 'my-org/my-workspace',
      owner: 'my-org',
      claims: {
        organization: 'my-org',
        project: 'my-project',
        workspace: 'my-workspace',
        run_phase: 'apply',
        terraform_organization_name: 'my-org',
        terraform_project_name: 'my-project',
        terraform_workspace_name: 'my-workspace',
        terraform_run_phase: 'apply',
      },
    });
  });

  it('parses the older subject without a project', () => {
    // Prepare
    const sub = 'organization:my-org:workspace:ws:run_phase:plan';

    // Act
    const subject = parseSubject(sub, null);

    // Assess
    expect(subject.issuerKind).toBe('terraform-cloud');
    expect(subject.repository).toBe('my-org/ws');
  });

  it('restates only the keys Terraform defines as token claims', () => {
    // Prepare
    const sub = 'organization:my-org:workspace:ws:run_phase:apply:agent_pool:default';

    // Act
    const subject = parseSubject(sub, 'terraform-cloud');

    // Assess
    expect(subject.claims).toEqual({
      organization: 'my-org',
      workspace: 'ws',
      run_phase: 'apply',
      agent_pool: 'default',
      terraform_organization_name: 'my-org',
      terraform_workspace_name: 'ws',
      terraform_run_phase: 'apply',
    });
  });

  it('gives the unknown form for a subject without a workspace', () => {
    // Prepare
    const sub = 'organization:my-org:project:my-project';

    // Act
    const subject = parseSubject(sub, 'terraform-cloud');

    // Assess
    expect(subject.form).toBe('unknown');
  });
});

describe('parseSubject: CircleCI', () => {
  it('parses the V1 subject', () => {
    // Prepare
    const sub =
      'org/2a3b4c5d-1111-2222-3333-444455556666/project/76543210-ba98-fedc-3210-edcba0987654/user/aaaa1111-bbbb-2222-cccc-333344445555';

    // Act
    const subject = parseSubject(sub, 'circleci');

    // Assess
    expect(subject).toMatchObject({
      form: 'project',
      repository: '2a3b4c5d-1111-2222-3333-444455556666/76543210-ba98-fedc-3210-edcba0987654',
      ownerId: '2a3b4c5d-1111-2222-3333-444455556666',
      repositoryId: '76543210-ba98-fedc-3210-edcba0987654',
      ref: null,
      claims: { 'oidc.circleci.com/project-id': '76543210-ba98-fedc-3210-edcba0987654' },
    });
    expect(subject.pairs.map((p) => p.key)).toEqual(['org', 'project', 'user']);
  });

  it('parses the V2 subject with its VCS origin and ref', () => {
    // Prepare
    const sub =
      'org/O/project/P/user/U/vcs-origin/github.com/my-org/my-repo/vcs-ref/refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'circleci');

    // Assess
    expect(subject.ref).toBe('refs/heads/main');
    expect(subject.claims).toEqual({
      'oidc.circleci.com/project-id': 'P',
      'oidc.circleci.com/vcs-origin': 'github.com/my-org/my-repo',
      'oidc.circleci.com/vcs-ref': 'refs/heads/main',
    });
  });
});

describe('parseSubject: Buildkite', () => {
  it('parses organization, pipeline, ref, commit and step', () => {
    // Prepare
    const sub =
      'organization:acme-inc:pipeline:super-duper-app:ref:refs/heads/main:commit:9f3182061f1e2cca4702c368cbc039b7dc9d4485:step:build';

    // Act
    const subject = parseSubject(sub, 'buildkite');

    // Assess
    expect(subject).toMatchObject({
      form: 'project',
      repository: 'acme-inc/super-duper-app',
      owner: 'acme-inc',
      ref: 'refs/heads/main',
      claims: {
        organization_slug: 'acme-inc',
        pipeline_slug: 'super-duper-app',
        build_commit: '9f3182061f1e2cca4702c368cbc039b7dc9d4485',
        step_key: 'build',
      },
    });
  });

  it('claims no step key for an empty step, and is recognised by its shape', () => {
    // Prepare
    const sub =
      'organization:example-org:pipeline:example-pipeline:ref:refs/heads/main:commit:b5ffe3aeea51cec6c41aef16e45ee6bce47d8810:step:';

    // Act
    const subject = parseSubject(sub, null);

    // Assess
    expect(subject.issuerKind).toBe('buildkite');
    expect(subject.claims).not.toHaveProperty('step_key');
  });

  it('gives the unknown form for a subject without a pipeline', () => {
    // Prepare
    const sub = 'organization:acme-inc:ref:refs/heads/main';

    // Act
    const subject = parseSubject(sub, 'buildkite');

    // Assess
    expect(subject.form).toBe('unknown');
  });
});

describe('parseSubject: Bitbucket', () => {
  it('parses a normal step subject', () => {
    // Prepare
    const sub = '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}:{759de0c6-eaee-4eaa-b7a6-c507eec759a7}';

    // Act
    const subject = parseSubject(sub, 'bitbucket');

    // Assess
    expect(subject).toMatchObject({
      form: 'project',
      pairs: [],
      repository: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}',
      claims: {
        repositoryUuid: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}',
        stepUuid: '{759de0c6-eaee-4eaa-b7a6-c507eec759a7}',
      },
    });
  });

  it('parses a deployment step subject', () => {
    // Prepare
    const sub =
      '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}:{bd715740-c970-486b-b68a-b421ec2a1f8b}:{759de0c6-eaee-4eaa-b7a6-c507eec759a7}';

    // Act
    const subject = parseSubject(sub, 'bitbucket');

    // Assess
    expect(subject.claims).toEqual({
      repositoryUuid: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}',
      deploymentEnvironmentUuid: '{bd715740-c970-486b-b68a-b421ec2a1f8b}',
      stepUuid: '{759de0c6-eaee-4eaa-b7a6-c507eec759a7}',
    });
  });
});

describe('parseSubject: EKS service accounts', () => {
  it('parses a service-account subject', () => {
    // Prepare
    const sub = 'system:serviceaccount:argo:argo-workflows';

    // Act
    const subject = parseSubject(sub, 'eks');

    // Assess
    expect(subject).toMatchObject({
      issuerKind: 'eks',
      form: 'service-account',
      repository: null,
      claims: { namespace: 'argo', service_account: 'argo-workflows' },
    });
  });

  it('is recognised by its shape when the issuer is other', () => {
    // Prepare
    const sub = 'system:serviceaccount:kube-system:aws-node';

    // Act
    const subject = parseSubject(sub, 'other');

    // Assess
    expect(subject.issuerKind).toBe('eks');
  });
});

describe('parseSubject: unrecognised subjects', () => {
  it.each([
    ['a Google user id', '112233445566778899000'],
    ['text with spaces', 'not a subject'],
    ['a lone key', 'repo'],
  ])('gives the unknown form for %s', (_case, sub) => {
    // Prepare
    const raw = sub;

    // Act
    const subject = parseSubject(raw, null);

    // Assess
    expect(subject).toEqual({
      raw,
      issuerKind: 'other',
      form: 'unknown',
      pairs: [],
      repository: null,
      owner: null,
      ownerId: null,
      repositoryId: null,
      immutable: false,
      ref: null,
      environment: null,
      claims: {},
    });
  });

  it('survives a non-string subject passed from untyped code', () => {
    // Prepare
    const sub = 42 as unknown as string;

    // Act
    const subject = parseSubject(sub, null);

    // Assess
    expect(subject).toMatchObject({ raw: '42', form: 'unknown' });
  });
});
