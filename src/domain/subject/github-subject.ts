/**
 * GitHub Actions subjects: the default forms (`repo:O/R:ref:…`, `…:environment:…`,
 * `…:pull_request`), custom templates (any claim keys in any order) and the immutable
 * `repo:OWNER@ID/REPO@ID` form.
 */
import type { Subject, SubjectForm, SubjectPair } from '../types.js';
import { buildSubject, claimsOf } from './subject-builder.js';
import { splitSubjectPairs } from './subject-pairs.js';

/** The only context that takes no value. */
const BARE_KEYS: ReadonlySet<string> = new Set(['pull_request']);

/** Claim keys a GitHub subject (default or custom template) can hold. */
export const GITHUB_KEYS: ReadonlySet<string> = new Set([
  'repo',
  'ref',
  'environment',
  'pull_request',
  'actor',
  'actor_id',
  'base_ref',
  'check_run_id',
  'enterprise',
  'enterprise_id',
  'event_name',
  'head_ref',
  'job_workflow_ref',
  'job_workflow_sha',
  'ref_protected',
  'ref_type',
  'repository',
  'repository_id',
  'repository_owner',
  'repository_owner_id',
  'repository_visibility',
  'run_attempt',
  'run_id',
  'run_number',
  'runner_environment',
  'sha',
  'workflow',
  'workflow_ref',
  'workflow_sha',
]);
/** Custom repository properties appear in subjects as `repo_property_<name>`. */
export const REPO_PROPERTY_PREFIX = 'repo_property_';

const IMMUTABLE_REPO = /^([^@/]+)@(\d+)\/([^@/]+)@(\d+)$/;
const NAMED_REPO = /^([^@/]+)\/([^@/]+)$/;

/** What the `repo` segment names. */
interface RepoSegment {
  readonly repository: string;
  readonly owner: string;
  readonly ownerId: string | null;
  readonly repositoryId: string | null;
}

/** Reads `owner/name` or the immutable `owner@ID/name@ID`; `null` for anything else. */
function readRepo(value: string | null): RepoSegment | null {
  if (value === null) return null;
  const immutable = IMMUTABLE_REPO.exec(value);
  if (immutable) {
    const [, owner = '', ownerId = null, name = '', repositoryId = null] = immutable;
    return { repository: `${owner}/${name}`, owner, ownerId, repositoryId };
  }
  const named = NAMED_REPO.exec(value);
  if (!named) return null;
  const [, owner = '', name = ''] = named;
  return { repository: `${owner}/${name}`, owner, ownerId: null, repositoryId: null };
}

/** `branch`/`tag` for `refs/heads/…`/`refs/tags/…`; `null` for other refs (not guessed). */
function refTypeOf(ref: string | null): 'branch' | 'tag' | null {
  if (ref?.startsWith('refs/heads/')) return 'branch';
  if (ref?.startsWith('refs/tags/')) return 'tag';
  return null;
}

/** One of the default shapes (`ref` is the subject's ref, if any), else `custom`. */
function formOf(pairs: readonly SubjectPair[], ref: string | null): SubjectForm {
  const keys = pairs.map((p) => p.key).join(':');
  if (keys === 'repo') return 'repo-only';
  if (keys === 'repo:pull_request') return 'pull_request';
  if (keys === 'repo:environment') return 'environment';
  if (keys !== 'repo:ref') return 'custom';
  const refType = refTypeOf(ref);
  if (refType === 'branch') return 'branch';
  return refType === 'tag' ? 'tag' : 'ref';
}

/** `true` for a key GitHub puts in subjects (`repo_property_*` included). */
export function isGithubKey(key: string): boolean {
  return GITHUB_KEYS.has(key) || key.startsWith(REPO_PROPERTY_PREFIX);
}

/**
 * Parses a GitHub Actions subject generically, as `key:value` pairs in any order.
 *
 * `claims` holds what the subject proves: every segment's value under its key (`%3A` decoded),
 * `repository`/`repository_owner` (and the ids of the immutable form) from `repo`, `ref_type` from a
 * `refs/heads/`/`refs/tags/` ref, and `event_name: 'pull_request'` from the bare `pull_request`
 * context. Nothing else: the environment form carries no ref.
 *
 * @param sub - the subject as recorded
 * @param knownKeysOnly - accept only keys GitHub is known to emit (used when the issuer is not
 *   known and the subject is recognised by its shape)
 * @returns the subject, or `null` when the string does not follow the grammar
 *
 * @example
 * ```ts
 * parseGithubSubject('repo:octo-org@123456/octo-repo@7891011:ref:refs/heads/main', false);
 * // form 'branch', immutable true, repository 'octo-org/octo-repo', repositoryId '7891011'
 * ```
 */
function parseGithubSubject(sub: string, knownKeysOnly: boolean): Subject | null {
  const { pairs, complete } = splitSubjectPairs(sub, BARE_KEYS);
  if (!complete) return null;
  if (knownKeysOnly && !pairs.every((p) => isGithubKey(p.key))) return null;
  const segment = (key: string): string | null =>
    pairs.find((p) => p.key === key && p.value !== null)?.value ?? null;

  const repo = readRepo(segment('repo'));
  const named = readRepo(segment('repository'));
  const ref = segment('ref');
  const explicit = pairs
    .filter((p) => p.key !== 'repo')
    .map((p): [string, string | null] => [p.key, p.value]);
  const derived: [string, string | null | undefined][] = [
    ['repository', repo?.repository],
    ['repository_owner', repo?.owner],
    ['repository_id', repo?.repositoryId],
    ['repository_owner_id', repo?.ownerId],
    ['ref_type', refTypeOf(ref)],
    ['event_name', pairs.some((p) => p.key === 'pull_request') ? 'pull_request' : null],
  ];

  return buildSubject(sub, 'github', {
    form: formOf(pairs, ref),
    pairs,
    repository: repo?.repository ?? (named?.repositoryId === null ? named.repository : null),
    owner: repo?.owner ?? segment('repository_owner') ?? named?.owner ?? null,
    ownerId: repo?.ownerId ?? segment('repository_owner_id'),
    repositoryId: repo?.repositoryId ?? segment('repository_id'),
    immutable: repo?.repositoryId !== null && repo?.repositoryId !== undefined,
    ref,
    environment: segment('environment'),
    // A key the template states outright wins over one derived from another segment.
    claims: claimsOf([...explicit, ...derived]),
  });
}

export { parseGithubSubject };
