/**
 * CircleCI subjects: `org/ORG_ID/project/PROJECT_ID/user/USER_ID`, to which the V2 token appends
 * `/vcs-origin/ORIGIN/vcs-ref/REF` for VCS-triggered jobs.
 */
import type { Subject, SubjectPair } from '../types.js';
import { buildSubject, claimsOf } from './subject-builder.js';

/** The origin (`github.com/org/repo`) and the ref (`refs/heads/main`) both contain `/`. */
const CIRCLECI_SUB =
  /^org\/([^/]+)\/project\/([^/]+)\/user\/([^/]+)(?:\/vcs-origin\/(.+)\/vcs-ref\/(.+))?$/;

/**
 * Parses a CircleCI subject. `repository` is `ORG_ID/PROJECT_ID` (CircleCI ids, not VCS names);
 * `ref` is the VCS ref when the subject carries one. `claims` uses the token's claim names:
 * `oidc.circleci.com/project-id`, `oidc.circleci.com/vcs-origin`, `oidc.circleci.com/vcs-ref`.
 *
 * @param sub - the subject as recorded
 * @returns the subject (form `project`), or `null` when the string is not CircleCI-shaped
 *
 * @example
 * ```ts
 * parseCircleciSubject('org/O/project/P/user/U')?.repository; // 'O/P'
 * ```
 */
function parseCircleciSubject(sub: string): Subject | null {
  const match = CIRCLECI_SUB.exec(sub);
  if (!match) return null;
  const [, org = '', project = '', user = '', origin = null, ref = null] = match;
  const pairs: SubjectPair[] = [
    { key: 'org', value: org },
    { key: 'project', value: project },
    { key: 'user', value: user },
  ];
  if (origin !== null && ref !== null) {
    pairs.push({ key: 'vcs-origin', value: origin }, { key: 'vcs-ref', value: ref });
  }
  return buildSubject(sub, 'circleci', {
    form: 'project',
    pairs,
    repository: `${org}/${project}`,
    owner: org,
    ownerId: org,
    repositoryId: project,
    ref,
    claims: claimsOf([
      ['oidc.circleci.com/project-id', project],
      ['oidc.circleci.com/vcs-origin', origin],
      ['oidc.circleci.com/vcs-ref', ref],
    ]),
  });
}

export { parseCircleciSubject };
