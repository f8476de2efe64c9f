/**
 * Buildkite subjects: `organization:ORG:pipeline:PIPELINE:ref:REF:commit:SHA:step:STEP_KEY` (the
 * step key may be empty).
 */
import type { Subject } from '../types.js';
import { buildSubject, claimsOf } from './subject-builder.js';
import { splitSubjectPairs } from './subject-pairs.js';

const NO_BARE_KEYS: ReadonlySet<string> = new Set();

/**
 * Parses a Buildkite subject. `repository` is `ORG/PIPELINE`; `ref` the full ref. `claims` uses the
 * token's claim names: `organization_slug`, `pipeline_slug`, `build_commit` and `step_key` (only
 * when the subject's step is not empty). `build_branch`/`build_tag` are not derived: a tag build
 * also carries a branch, which the subject does not show.
 *
 * @param sub - the subject as recorded
 * @returns the subject (form `project`), or `null` when it names no organization and pipeline
 *
 * @example
 * ```ts
 * parseBuildkiteSubject('organization:acme:pipeline:app:ref:refs/heads/main:commit:9f31:step:build')
 *   ?.repository; // 'acme/app'
 * ```
 */
function parseBuildkiteSubject(sub: string): Subject | null {
  const { pairs, complete } = splitSubjectPairs(sub, NO_BARE_KEYS);
  if (!complete || pairs[0]?.key !== 'organization') return null;
  const own = claimsOf(pairs.map((p) => [p.key, p.value]));
  const { organization = '', pipeline, ref = null, commit, step } = own;
  if (pipeline === undefined) return null;
  return buildSubject(sub, 'buildkite', {
    form: 'project',
    pairs,
    repository: `${organization}/${pipeline}`,
    owner: organization,
    ref,
    claims: claimsOf([
      ['organization_slug', organization],
      ['pipeline_slug', pipeline],
      ['build_commit', commit],
      ['step_key', step === '' ? null : step],
    ]),
  });
}

export { parseBuildkiteSubject };
