/**
 * GitLab CI/CD subjects: `project_path:GROUP/…/PROJECT:ref_type:branch|tag:ref:SHORT_REF`, or the
 * components chosen with `ci_id_token_sub_claim_components` (`project_id`, `namespace_id`, …).
 */
import type { Subject } from '../types.js';
import { buildSubject, claimsOf } from './subject-builder.js';
import { splitSubjectPairs } from './subject-pairs.js';

const NO_BARE_KEYS: ReadonlySet<string> = new Set();

/** A subject is GitLab-shaped when it starts with one of these keys (GitHub never uses them). */
const LEADING_KEY = /^(project_path|project_id|namespace_path|namespace_id):/;

/** The full ref for a short GitLab ref whose type the subject states. */
function fullRef(refType: string | null, ref: string | null): string | null {
  if (ref === null) return null;
  if (refType === 'branch') return `refs/heads/${ref}`;
  if (refType === 'tag') return `refs/tags/${ref}`;
  return ref;
}

/**
 * Parses a GitLab subject. `repository` is `project_path`; `owner` is its namespace (the path
 * without the last segment); `ref` is the full ref (`refs/heads/main`) while `claims.ref` keeps
 * GitLab's short ref. Every segment becomes a claim under its own key.
 *
 * @param sub - the subject as recorded
 * @returns the subject (form `project`), or `null` when the string does not follow the grammar
 *
 * @example
 * ```ts
 * parseGitlabSubject('project_path:mygroup/myproject:ref_type:branch:ref:main')?.repository;
 * // 'mygroup/myproject'
 * ```
 */
function parseGitlabSubject(sub: string): Subject | null {
  const { pairs, complete } = splitSubjectPairs(sub, NO_BARE_KEYS);
  if (!complete || !LEADING_KEY.test(sub)) return null;
  const claims = claimsOf(pairs.map((p) => [p.key, p.value]));
  const path = claims.project_path ?? null;
  const slash = path?.lastIndexOf('/') ?? -1;
  return buildSubject(sub, 'gitlab', {
    form: 'project',
    pairs,
    repository: path,
    owner: path !== null && slash > 0 ? path.slice(0, slash) : (claims.namespace_path ?? null),
    ownerId: claims.namespace_id ?? null,
    repositoryId: claims.project_id ?? null,
    ref: fullRef(claims.ref_type ?? null, claims.ref ?? null),
    environment: claims.environment ?? null,
    claims,
  });
}

export { parseGitlabSubject };
