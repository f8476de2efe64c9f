/**
 * Bitbucket Pipelines subjects: `{REPO_UUID}:{STEP_UUID}`, or `{REPO_UUID}:{ENV_UUID}:{STEP_UUID}`
 * for a deployment step. The braces are part of each UUID.
 */
import type { Subject } from '../types.js';
import { buildSubject, claimsOf } from './subject-builder.js';

const BITBUCKET_SUB = /^(\{[^{}:]+\}):(?:(\{[^{}:]+\}):)?(\{[^{}:]+\})$/;

/**
 * Parses a Bitbucket subject. `repository` (and `repositoryId`) is the repository UUID, braces
 * kept. `claims` uses the token's claim names: `repositoryUuid`, `stepUuid` and, for a deployment
 * step, `deploymentEnvironmentUuid`. The subject has no `key:value` segments, so `pairs` is empty.
 *
 * @param sub - the subject as recorded
 * @returns the subject (form `project`), or `null` when the string is not Bitbucket-shaped
 *
 * @example
 * ```ts
 * parseBitbucketSubject('{1de4…}:{759d…}')?.repository; // '{1de4…}'
 * ```
 */
function parseBitbucketSubject(sub: string): Subject | null {
  const match = BITBUCKET_SUB.exec(sub);
  if (!match) return null;
  const [, repository = '', environment = null, step = ''] = match;
  return buildSubject(sub, 'bitbucket', {
    form: 'project',
    repository,
    repositoryId: repository,
    claims: claimsOf([
      ['repositoryUuid', repository],
      ['deploymentEnvironmentUuid', environment],
      ['stepUuid', step],
    ]),
  });
}

export { parseBitbucketSubject };
