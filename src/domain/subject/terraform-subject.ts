/**
 * HCP Terraform / Terraform Enterprise subjects:
 * `organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:plan|apply`.
 */
import type { Subject } from '../types.js';
import { buildSubject, claimsOf } from './subject-builder.js';
import { splitSubjectPairs } from './subject-pairs.js';

const NO_BARE_KEYS: ReadonlySet<string> = new Set();

/** The token claim each subject key restates. */
const TOKEN_CLAIM: Readonly<Record<string, string>> = {
  organization: 'terraform_organization_name',
  project: 'terraform_project_name',
  workspace: 'terraform_workspace_name',
  run_phase: 'terraform_run_phase',
};

/**
 * Parses a Terraform Cloud subject. `repository` is `ORG/WORKSPACE`. `claims` holds each segment
 * under its subject key (`organization`, `project`, `workspace`, `run_phase`) and under the token
 * claim it restates (`terraform_organization_name`, …).
 *
 * @param sub - the subject as recorded
 * @returns the subject (form `project`), or `null` when it names no organization and workspace
 *
 * @example
 * ```ts
 * parseTerraformSubject('organization:my-org:project:p:workspace:ws:run_phase:apply')?.repository;
 * // 'my-org/ws'
 * ```
 */
function parseTerraformSubject(sub: string): Subject | null {
  const { pairs, complete } = splitSubjectPairs(sub, NO_BARE_KEYS);
  if (!complete || pairs[0]?.key !== 'organization') return null;
  const own = claimsOf(pairs.map((p) => [p.key, p.value]));
  const { organization = '', workspace } = own;
  if (workspace === undefined) return null;
  const restated = Object.entries(own).flatMap(([key, value]): [string, string][] => {
    const claim = TOKEN_CLAIM[key];
    return claim === undefined ? [] : [[claim, value]];
  });
  return buildSubject(sub, 'terraform-cloud', {
    form: 'project',
    pairs,
    repository: `${organization}/${workspace}`,
    owner: organization,
    claims: claimsOf([...Object.entries(own), ...restated]),
  });
}

export { parseTerraformSubject };
