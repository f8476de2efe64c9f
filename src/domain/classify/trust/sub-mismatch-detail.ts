/**
 * How a rejected `sub` differs from the nearest value the trust policy allows: the `SUB_MISMATCH`
 * detail, and the smallest value that would admit the job.
 */
import type { SubMismatchDetail } from '../../causes.js';
import { type BaseOperator, valueMatches } from '../../policy/operators.js';
import { splitSubjectPairs } from '../../subject/subject-pairs.js';
import type { Subject } from '../../types.js';

const BARE: ReadonlySet<string> = new Set(['pull_request']);

/** One value a `sub` condition allows, with where it stands. */
export interface SubPattern {
  /** The operator as written (`StringLike`, `ForAnyValue:StringEquals`, …). */
  readonly operator: string;
  readonly base: BaseOperator;
  readonly key: string;
  readonly value: string;
  /** Statement label: `Sid` or `#index`. */
  readonly statement: string;
  /** The statement's index in the document. */
  readonly index: number;
  readonly variables: boolean;
}

/** What kind of GitHub context a subject or pattern names. */
type ContextKind = 'environment' | 'pull_request' | 'tag' | 'branch' | 'ref' | 'any' | 'none';

const IMMUTABLE_REPO = /^repo:([^:@/]+)@\d+\/([^:@]+)@\d+/;

/** `repo:owner@1/name@2:…` → `repo:owner/name:…`. */
export function stripSubjectIds(sub: string): string {
  return sub.replace(IMMUTABLE_REPO, 'repo:$1/$2');
}

function contextOf(value: string): ContextKind {
  if (/(^|:)environment:/.test(value)) return 'environment';
  if (/(^|:)pull_request(:|$)/.test(value)) return 'pull_request';
  if (/(^|:)ref:refs\/tags\//.test(value)) return 'tag';
  if (/(^|:)ref:refs\/heads\//.test(value)) return 'branch';
  if (/(^|:)ref:/.test(value)) return 'ref';
  if (/^repo:[^:]*:\*/.test(value) || value === '*') return 'any';
  return 'none';
}

function repoOf(value: string): string | null {
  const m = /^repo:([^:]*)/.exec(value);
  return m?.[1] ?? null;
}

/** The keys of a `key:value` subject or pattern, in order (values skipped). */
function keysOf(value: string): string[] {
  const segments = value.split(':');
  const keys: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i] as string;
    keys.push(key);
    if (key !== 'pull_request' && key !== '*') i++;
  }
  return keys;
}

function admits(p: SubPattern, value: string): boolean {
  return valueMatches(p.base, p.value, value, p.variables);
}

function admitsIgnoringCase(p: SubPattern, value: string): boolean {
  return valueMatches(p.base, p.value.toLowerCase(), value.toLowerCase(), p.variables);
}

/** Similarity of a pattern to the subject; higher is nearer. */
function nearness(p: SubPattern, subject: Subject): number {
  const sub = stripSubjectIds(subject.raw);
  let score = 0;
  const patternRepo = repoOf(p.value);
  const repository = subject.repository;
  if (patternRepo !== null && repository !== null) {
    if (valueMatches('StringLike', patternRepo, repository, false)) score += 4000;
    else if (valueMatches('StringLike', patternRepo.toLowerCase(), repository.toLowerCase(), false))
      score += 3000;
    else if (patternRepo.split('/')[0]?.toLowerCase() === subject.owner?.toLowerCase())
      score += 1000;
  }
  if (contextOf(p.value) === contextOf(sub)) score += 500;
  let common = 0;
  const a = p.value.toLowerCase();
  const b = sub.toLowerCase();
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return score + Math.min(common, 499);
}

/**
 * The allowed value nearest to the recorded subject (same repository first, then same kind of
 * context, then longest common prefix).
 */
export function nearestPattern(
  subject: Subject,
  patterns: readonly SubPattern[]
): SubPattern | null {
  let best: SubPattern | null = null;
  let bestScore = -1;
  for (const p of patterns) {
    const s = nearness(p, subject);
    if (s > bestScore) {
      best = p;
      bestScore = s;
    }
  }
  return best;
}

/** GitLab: `project_path:group/project:ref_type:branch|tag:ref:NAME`. */
function gitlabDetail(subject: Subject, pattern: SubPattern): SubMismatchDetail {
  const project = /(?:^|:)project_path:([^:]*)/.exec(pattern.value)?.[1];
  if (
    project !== undefined &&
    subject.repository !== null &&
    !valueMatches('StringLike', project, subject.repository, false)
  )
    return 'REPOSITORY';
  const refType = subject.claims.ref_type;
  if (refType === 'tag') return 'TAG';
  if (refType === 'branch') return 'BRANCH';
  return 'OTHER';
}

function patternIsCustom(value: string): boolean {
  const keys = keysOf(value).filter((k) => k !== '*');
  if (keys[0] !== 'repo') return true;
  return (
    keys.length > 2 ||
    (keys.length === 2 && !['environment', 'ref', 'pull_request'].includes(keys[1] as string))
  );
}

/**
 * The detail of a custom sub whose template matches the pattern's: the first claim that differs
 * (`environment` → `WRONG_ENVIRONMENT`, `ref` → `BRANCH`/`TAG`; a pinned workflow or any other
 * claim → `CUSTOM_TEMPLATE`/`OTHER`).
 */
function customDetail(sub: string, pattern: SubPattern): SubMismatchDetail {
  const jobPairs = splitSubjectPairs(sub, BARE).pairs;
  const policyPairs = splitSubjectPairs(pattern.value, BARE).pairs;
  for (let i = 0; i < jobPairs.length; i++) {
    const job = jobPairs[i];
    const policy = policyPairs[i];
    if (job === undefined || policy === undefined || policy.key === '*') break;
    if (policy.value === job.value) continue;
    if (
      policy.value !== null &&
      job.value !== null &&
      valueMatches(pattern.base, policy.value, job.value, pattern.variables)
    )
      continue;
    if (job.key === 'environment') return 'WRONG_ENVIRONMENT';
    if (job.key === 'ref') return job.value?.startsWith('refs/tags/') ? 'TAG' : 'BRANCH';
    if (job.key === 'job_workflow_ref' || job.key === 'workflow') return 'CUSTOM_TEMPLATE';
    return 'OTHER';
  }
  return 'OTHER';
}

/**
 * Names how `subject` differs from `pattern`, in the words of docs/causes.md.
 *
 * @example
 * ```ts
 * subMismatchDetail(parseSubject('repo:acme/api:environment:production', 'github'), pattern);
 * // 'ENVIRONMENT_FORM' when the pattern is 'repo:acme/api:ref:refs/heads/main'
 * ```
 */
export function subMismatchDetail(subject: Subject, pattern: SubPattern): SubMismatchDetail {
  const sub = subject.raw;
  const stripped = stripSubjectIds(sub);
  if (
    subject.immutable &&
    !pattern.value.includes('@') &&
    (admits(pattern, stripped) || admitsIgnoringCase(pattern, stripped))
  )
    return 'IMMUTABLE_FORMAT';
  // The reverse: a policy pinned by ids, a repository that still gets name-based subjects.
  const pinned = IMMUTABLE_REPO.test(pattern.value);
  const unpinned = { ...pattern, value: stripSubjectIds(pattern.value) };
  if (!subject.immutable && pinned && (admits(unpinned, sub) || admitsIgnoringCase(unpinned, sub)))
    return 'IMMUTABLE_FORMAT';
  if (admitsIgnoringCase(pattern, sub)) return 'CASE';
  if (subject.issuerKind === 'gitlab') return gitlabDetail(subject, pattern);
  if (subject.issuerKind !== 'github') {
    const patternRepo = pattern.value.toLowerCase();
    return subject.repository !== null &&
      !patternRepo.includes(subject.repository.toLowerCase().split('/')[0] ?? '')
      ? 'REPOSITORY'
      : 'OTHER';
  }
  const subjectCustom = subject.form === 'custom' || subject.form === 'repo-only';
  const patternCustom = patternIsCustom(pattern.value);
  if (subjectCustom !== patternCustom) return 'CUSTOM_TEMPLATE';
  if (subjectCustom && keysOf(sub).join(':') !== keysOf(pattern.value).join(':'))
    return 'CUSTOM_TEMPLATE';
  // Compare repositories in one form: by ids when both carry them, by name otherwise; with the
  // pattern's own operator, so that StringEqualsIgnoreCase never makes a case difference.
  const byIds = subject.immutable && pinned;
  const patternRepo = repoOf(byIds ? pattern.value : unpinned.value);
  const base = pattern.base === 'StringLike' ? 'StringLike' : pattern.base;
  if (patternRepo !== null && subject.repository !== null) {
    const jobRepo = repoOf(byIds ? sub : stripped) ?? '';
    if (!valueMatches(base, patternRepo, jobRepo, pattern.variables)) {
      // The same repository in other letter case is a case problem, whatever else differs.
      const repoAdmitsIgnoringCase = valueMatches(
        base,
        patternRepo.toLowerCase(),
        jobRepo.toLowerCase(),
        pattern.variables
      );
      return repoAdmitsIgnoringCase ? 'CASE' : 'REPOSITORY';
    }
  }
  if (subjectCustom) return customDetail(sub, pattern);
  const subContext = contextOf(sub);
  const patternContext = contextOf(pattern.value);
  switch (subContext) {
    case 'environment':
      return patternContext === 'environment' ? 'WRONG_ENVIRONMENT' : 'ENVIRONMENT_FORM';
    case 'pull_request':
      return 'PULL_REQUEST';
    case 'tag':
      return 'TAG';
    case 'branch':
      return 'BRANCH';
    default:
      return 'OTHER';
  }
}

/**
 * The smallest value to add beside `pattern` so that the policy admits `subject` and nothing
 * else new: the recorded subject itself, written for the operator in use (a `StringLike` value
 * escapes any `*`/`?` the subject contains).
 */
export function admittingValue(subject: Subject, pattern: SubPattern): string {
  if (pattern.base !== 'StringLike' || !pattern.variables) return subject.raw;
  return subject.raw.replace(/[*?$]/g, (c) => `\${${c}}`);
}
