/**
 * Distinct subjects of the subvectors conformance suites, with the form and repository each must
 * parse to. Subjects copied (data only, CC0-1.0) from repository Dashtid/subvectors, folder `vectors/`:
 * - `vectors/github-aws.json` at commit `1a6340ec0d70eb117ee1b0ed39fde82dc76c711c`
 * - `vectors/gitlab-aws.json` at commit `7dcc6e0d40e1ba15397b7c55aa7d8cb83f3d1372`
 * - `vectors/terraform-aws.json` at commit `c2fe44c3dd4f718bdc0cb62e6b0cc0dc426994c6`
 * - `vectors/circleci-aws.json` at commit `7dcc6e0d40e1ba15397b7c55aa7d8cb83f3d1372`
 * - `vectors/bitbucket-aws.json` at commit `cf610f6d420d855e74f5605c6a64904c13f0011b`
 */
import type { IssuerKind, SubjectForm } from '../../../src/domain/types.js';

/** One conformance subject and what it must parse to. */
interface ConformanceSubject {
  readonly issuer: IssuerKind;
  readonly subject: string;
  readonly form: SubjectForm;
  readonly repository: string | null;
}

const CONFORMANCE_SUBJECTS: readonly ConformanceSubject[] = [
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    form: 'branch',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/unrelated-repo:ref:refs/heads/main',
    form: 'branch',
    repository: 'octo-org/unrelated-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:pull_request',
    form: 'pull_request',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:ref:refs/heads/feature-x',
    form: 'branch',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org@123456/octo-repo@7891011:ref:refs/heads/main',
    form: 'branch',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/repo-b:ref:refs/heads/main',
    form: 'branch',
    repository: 'octo-org/repo-b',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/repo-c:ref:refs/heads/main',
    form: 'branch',
    repository: 'octo-org/repo-c',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/anything:pull_request',
    form: 'pull_request',
    repository: 'octo-org/anything',
  },
  {
    issuer: 'github',
    subject: 'job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main',
    form: 'custom',
    repository: null,
  },
  {
    issuer: 'github',
    subject:
      'repo:octo-org/octo-repo:environment:prod:job_workflow_ref:octo-org/octo-automation/.github/workflows/oidc.yml@refs/heads/main',
    form: 'custom',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:ref:refs/heads/main-hotfix',
    form: 'branch',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:ref:refs/heads/feature/x',
    form: 'branch',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:Octo-Org/octo-repo:ref:refs/heads/main',
    form: 'branch',
    repository: 'Octo-Org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:environment:Production',
    form: 'environment',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:ref:refs/heads/octo-branch',
    form: 'branch',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:environment:Sandbox',
    form: 'environment',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo',
    form: 'repo-only',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:environment:Production%3AV1',
    form: 'environment',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'repo:octo-org/octo-repo:environment:Production-sandbox',
    form: 'environment',
    repository: 'octo-org/octo-repo',
  },
  {
    issuer: 'github',
    subject: 'environment:production%3Aeastus:repository_owner:octo-org',
    form: 'custom',
    repository: null,
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/myproject:ref_type:branch:ref:main',
    form: 'project',
    repository: 'mygroup/myproject',
  },
  {
    issuer: 'gitlab',
    subject: 'project_id:20:ref_type:branch:ref:main',
    form: 'project',
    repository: null,
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/subgroup/deepproject:ref_type:branch:ref:main',
    form: 'project',
    repository: 'mygroup/subgroup/deepproject',
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/otherproject:ref_type:branch:ref:main',
    form: 'project',
    repository: 'mygroup/otherproject',
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/myproject:ref_type:tag:ref:v1.0.0',
    form: 'project',
    repository: 'mygroup/myproject',
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/myproject:ref_type:tag:ref:main',
    form: 'project',
    repository: 'mygroup/myproject',
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/myproject:ref_type:branch:ref:feature-x',
    form: 'project',
    repository: 'mygroup/myproject',
  },
  {
    issuer: 'gitlab',
    subject: 'project_path:mygroup/myproject:ref_type:branch:ref:contributor-mr-branch',
    form: 'project',
    repository: 'mygroup/myproject',
  },
  {
    issuer: 'terraform-cloud',
    subject: 'organization:my-org:project:my-project:workspace:my-workspace:run_phase:apply',
    form: 'project',
    repository: 'my-org/my-workspace',
  },
  {
    issuer: 'terraform-cloud',
    subject: 'organization:my-org:project:my-project:workspace:my-workspace:run_phase:plan',
    form: 'project',
    repository: 'my-org/my-workspace',
  },
  {
    issuer: 'terraform-cloud',
    subject: 'organization:my-org:project:my-project:workspace:other-workspace:run_phase:apply',
    form: 'project',
    repository: 'my-org/other-workspace',
  },
  {
    issuer: 'terraform-cloud',
    subject: 'organization:my-org:project:other-project:workspace:other-workspace:run_phase:plan',
    form: 'project',
    repository: 'my-org/other-workspace',
  },
  {
    issuer: 'circleci',
    subject:
      'org/2a3b4c5d-1111-2222-3333-444455556666/project/76543210-ba98-fedc-3210-edcba0987654/user/aaaa1111-bbbb-2222-cccc-333344445555',
    form: 'project',
    repository: '2a3b4c5d-1111-2222-3333-444455556666/76543210-ba98-fedc-3210-edcba0987654',
  },
  {
    issuer: 'circleci',
    subject:
      'org/2a3b4c5d-1111-2222-3333-444455556666/project/99998888-7777-6666-5555-444433332222/user/bbbb2222-cccc-3333-dddd-444455556666',
    form: 'project',
    repository: '2a3b4c5d-1111-2222-3333-444455556666/99998888-7777-6666-5555-444433332222',
  },
  {
    issuer: 'circleci',
    subject:
      'org/2a3b4c5d-1111-2222-3333-444455556666/project/76543210-ba98-fedc-3210-edcba0987654/user/aaaa1111-bbbb-2222-cccc-333344445555/vcs-origin/github.com/my-org/my-repo/vcs-ref/refs/heads/main',
    form: 'project',
    repository: '2a3b4c5d-1111-2222-3333-444455556666/76543210-ba98-fedc-3210-edcba0987654',
  },
  {
    issuer: 'bitbucket',
    subject:
      '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}:{bd715740-c970-486b-b68a-b421ec2a1f8b}:{759de0c6-eaee-4eaa-b7a6-c507eec759a7}',
    form: 'project',
    repository: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}',
  },
  {
    issuer: 'bitbucket',
    subject: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}:{759de0c6-eaee-4eaa-b7a6-c507eec759a7}',
    form: 'project',
    repository: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}',
  },
  {
    issuer: 'bitbucket',
    subject: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}:{8f0a1b2c-3d4e-5f60-7182-93a4b5c6d7e8}',
    form: 'project',
    repository: '{1de489be-ce6a-42a0-a8c8-eadbf1174ac7}',
  },
  {
    issuer: 'bitbucket',
    subject: '{99997777-5555-3333-1111-aaaabbbbcccc}:{759de0c6-eaee-4eaa-b7a6-c507eec759a7}',
    form: 'project',
    repository: '{99997777-5555-3333-1111-aaaabbbbcccc}',
  },
];

export type { ConformanceSubject };
export { CONFORMANCE_SUBJECTS };
