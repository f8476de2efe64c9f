/**
 * `audit --github`'s findings on one repository a trust policy names, from what GitHub answered:
 * `REPOSITORY_RENAMED` and `REPOSITORY_TRANSFERRED` (the name redirects: the new name, and the
 * value to write), `REPOSITORY_NOT_FOUND` (deleted, an owner that no longer exists, or not visible
 * to the credentials: which one is knowable is said), `REPOSITORY_ID_MISMATCH` (an immutable
 * subject whose id is not the repository's any more), `REPOSITORY_UNCHECKED` (GitHub did not
 * answer). Pure: the lookups are done by the caller.
 */
import type { FindingDraft, Severity } from '../audit-types.js';
import { statementId } from '../severity.js';
import type { RepositoryMention } from './repository-mentions.js';

/** What GitHub says about a repository, looked up by name (redirects followed) or by id. */
export type RepositoryLookup =
  | {
      readonly kind: 'found';
      readonly id: string;
      readonly owner: string;
      readonly ownerId: string;
      readonly name: string;
    }
  | {
      /** The name redirects (renamed or transferred) to a repository the credentials cannot see. */
      readonly kind: 'moved';
      readonly id: string;
      /** `left-owner`: the credentials see every repository of the owner, so it was transferred. */
      readonly certainty: 'left-owner' | 'unknown';
      readonly why: string;
    }
  | {
      readonly kind: 'missing';
      /** `deleted`: the credentials would see it if it existed; `unknown`: they might not. */
      readonly certainty: 'deleted' | 'unknown';
      /** Why that is the certainty, in words. */
      readonly why: string;
    }
  | UncheckedLookup;

/** GitHub did not answer the lookup. */
export interface UncheckedLookup {
  readonly kind: 'unchecked';
  readonly detail: 'RATE_LIMITED' | 'UNAVAILABLE' | 'DENIED';
  readonly reason: string;
}

/** Whether a GitHub account exists. */
export type OwnerLookup =
  | { readonly kind: 'found' }
  | { readonly kind: 'missing' }
  | UncheckedLookup;

/** What was looked up for one mention. */
export interface RepositoryEvidence {
  /** By the name the value gives (for immutable subjects, when the id is not found). */
  readonly byName?: RepositoryLookup;
  /** By the id the value gives (immutable subjects, `repository_id`). */
  readonly byId?: RepositoryLookup;
  /** The owner, when the repository was not found by name. */
  readonly owner?: OwnerLookup;
}

const CUTOVER =
  'GitHub issues immutable subjects (OWNER@ID/NAME@ID) to repositories renamed or transferred after 15 July 2026';

function fullName(found: Extract<RepositoryLookup, { kind: 'found' }>): string {
  return `${found.owner}/${found.name}`;
}

/** The value with its repository segment replaced. */
function rewritten(mention: RepositoryMention, segment: string): string {
  return mention.value.replace(mention.segment, segment);
}

function where(mention: RepositoryMention): string {
  return `${mention.key} ${mention.operator} "${mention.value}"`;
}

function draft(
  mention: RepositoryMention,
  code: FindingDraft['code'],
  detail: string | null,
  severity: Severity,
  text: { message: string; reason: string; fix: string }
): FindingDraft {
  return { code, detail, severity, statement: statementId(mention.statement), ...text };
}

function unchecked(mention: RepositoryMention, lookup: UncheckedLookup): FindingDraft {
  return draft(mention, 'REPOSITORY_UNCHECKED', lookup.detail, 'info', {
    message: `${where(mention)}: GitHub was not asked about ${mention.segment}: ${lookup.reason}`,
    reason: 'Whether the repository still exists under this name is not known.',
    fix:
      lookup.detail === 'DENIED'
        ? 'Give the audit credentials GitHub accepts (GITHUB_TOKEN, or the GitHub App), and run it again.'
        : 'Run the audit again later.',
  });
}

/** The repository answered under another name: renamed (same owner) or transferred. */
function moved(
  mention: RepositoryMention,
  now: Extract<RepositoryLookup, { kind: 'found' }>,
  was: { owner: string; ownerId: string | null }
): FindingDraft {
  const transferred =
    was.ownerId !== null
      ? was.ownerId !== now.ownerId
      : was.owner.toLowerCase() !== now.owner.toLowerCase();
  const immutable = mention.repository.kind === 'immutable';
  const segment =
    immutable || mention.repository.kind === 'id'
      ? `${now.owner}@${now.ownerId}/${now.name}@${now.id}`
      : fullName(now);
  const fixed = rewritten(mention, segment);
  const nameSub = mention.key.toLowerCase().endsWith(':sub') && !immutable;
  const fix = nameSub
    ? `Write "${fixed}". ${CUTOVER}: if the job's sub has that form, write "${rewritten(mention, `${now.owner}@${now.ownerId}/${now.name}@${now.id}`)}" instead.`
    : `Write "${fixed}".`;
  const what = transferred ? `transferred to ${now.owner}` : 'renamed';
  const message = immutable
    ? `${where(mention)} names ${mention.segment}, which is now ${fullName(now)}: the repository was ${what}. GitHub writes the current owner and name beside the ids in the sub, so this value no longer matches its jobs.`
    : `${where(mention)} names ${mention.segment}, which GitHub now redirects to ${fullName(now)}: the repository was ${what}. GitHub writes the new name in the sub, so this value no longer matches its jobs; and the old name is free: a repository created again as ${mention.segment} would be admitted.`;
  return draft(
    mention,
    transferred ? 'REPOSITORY_TRANSFERRED' : 'REPOSITORY_RENAMED',
    null,
    'medium',
    {
      message,
      reason: immutable
        ? 'The jobs of the repository get AccessDenied (which CloudTrail records).'
        : `The jobs of the repository get AccessDenied, and the old name can be taken again by anyone who can create repositories in ${transferred ? `${was.owner} (the repository's former owner)` : was.owner}.`,
      fix,
    }
  );
}

/** The name redirects to a repository id the credentials cannot see. */
function movedUnseen(
  mention: RepositoryMention,
  lookup: Extract<RepositoryLookup, { kind: 'moved' }>
): FindingDraft {
  const transferred = lookup.certainty === 'left-owner';
  return draft(
    mention,
    transferred ? 'REPOSITORY_TRANSFERRED' : 'REPOSITORY_RENAMED',
    'DESTINATION_NOT_VISIBLE',
    'medium',
    {
      message: `${where(mention)} names ${mention.segment}, which GitHub redirects to repository id ${lookup.id}: it was ${transferred ? 'transferred to another owner' : 'renamed or transferred'}, and these credentials cannot see where (${lookup.why}). GitHub writes the new name in the sub, so this value no longer matches its jobs.`,
      reason: `The jobs of the repository get AccessDenied, and the old name can be taken again by anyone who can create repositories in ${mention.segment.split('/')[0]?.replace(/@\d+$/, '')}.`,
      fix: `Find repository id ${lookup.id}'s new name (GET /repositories/${lookup.id} with credentials that see it), and write it in place of ${mention.segment}.`,
    }
  );
}

function notFound(
  mention: RepositoryMention,
  lookup: Extract<RepositoryLookup, { kind: 'missing' }>,
  owner: OwnerLookup | undefined,
  owned: string | null
): FindingDraft {
  const reusable = mention.repository.kind === 'name';
  if (owner?.kind === 'missing' && owned !== null && reusable)
    return draft(mention, 'REPOSITORY_NOT_FOUND', 'OWNER_NOT_FOUND', 'high', {
      message: `${where(mention)} names ${mention.segment}, but GitHub has no account ${owned}: it was deleted or renamed. Anyone can create an account named ${owned}, then the repository, and assume the role.`,
      reason: 'Someone outside your organisation can assume the role.',
      fix: `Remove "${mention.value}" (or, if ${owned} was renamed, write its new name).`,
    });
  if (lookup.certainty === 'deleted')
    return draft(mention, 'REPOSITORY_NOT_FOUND', 'DELETED', reusable ? 'medium' : 'low', {
      message: `${where(mention)} names ${mention.segment}, which does not exist on GitHub (${lookup.why}).`,
      reason: reusable
        ? `No job can match it today, but the name is free: anyone who can create repositories in ${owned ?? 'the owner'} can create ${mention.segment} and assume the role.`
        : 'No job can match it: the ids of a deleted repository are never given again. It is dead weight in the policy.',
      fix: `Remove "${mention.value}".`,
    });
  return draft(mention, 'REPOSITORY_NOT_FOUND', 'NOT_VISIBLE', 'low', {
    message: `${where(mention)} names ${mention.segment}, which GitHub does not show to these credentials: it was deleted, or it is private and they cannot see it (${lookup.why}).`,
    reason: 'Which of the two is not knowable with these credentials.',
    fix: `Run the audit with credentials that see ${owned ?? 'the owner'}'s repositories (a GitHub App installed on all of them makes the answer certain); if the repository was deleted, remove "${mention.value}".`,
  });
}

/**
 * The findings of one mention.
 *
 * @param mention - a repository a trust policy names
 * @param evidence - what GitHub answered (`byName` for name values; `byId`, then `byName`, for
 *   immutable subjects; `owner` when the repository was not found by name)
 * @returns nothing when the repository is where the value says
 *
 * @example
 * ```ts
 * repositoryFindings(mention, { byName: { kind: 'found', id: '7', owner: 'acme-corp', ownerId: '1', name: 'insights' } });
 * // [{ code: 'REPOSITORY_RENAMED', fix: 'Write "repo:acme-corp/insights:ref:refs/heads/main". …', … }]
 * ```
 */
export function repositoryFindings(
  mention: RepositoryMention,
  evidence: RepositoryEvidence
): FindingDraft[] {
  const ref = mention.repository;
  const { byName, byId, owner } = evidence;
  if (ref.kind === 'name') {
    if (byName === undefined) return [];
    if (byName.kind === 'unchecked') return [unchecked(mention, byName)];
    if (byName.kind === 'moved') return [movedUnseen(mention, byName)];
    if (byName.kind === 'missing') {
      if (owner?.kind === 'unchecked') return [unchecked(mention, owner)];
      return [notFound(mention, byName, owner, ref.owner)];
    }
    return fullName(byName).toLowerCase() === `${ref.owner}/${ref.name}`.toLowerCase()
      ? []
      : [moved(mention, byName, { owner: ref.owner, ownerId: null })];
  }
  if (byId === undefined) return [];
  if (byId.kind === 'unchecked') return [unchecked(mention, byId)];
  if (ref.kind === 'id')
    return byId.kind === 'missing' ? [notFound(mention, byId, undefined, null)] : [];
  if (byId.kind === 'moved') return [movedUnseen(mention, byId)];
  const current =
    byId.kind === 'found'
      ? byId
      : byName?.kind === 'found' && byName.id === ref.repositoryId
        ? byName
        : null;
  if (current !== null) {
    const same =
      current.ownerId === ref.ownerId &&
      fullName(current).toLowerCase() === `${ref.owner}/${ref.name}`.toLowerCase();
    return same ? [] : [moved(mention, current, { owner: ref.owner, ownerId: ref.ownerId })];
  }
  if (byName?.kind === 'unchecked') return [unchecked(mention, byName)];
  if (byName?.kind === 'moved') return [movedUnseen(mention, byName)];
  if (byName?.kind === 'found') {
    const now = `${byName.owner}@${byName.ownerId}/${byName.name}@${byName.id}`;
    return [
      draft(mention, 'REPOSITORY_ID_MISMATCH', null, 'medium', {
        message: `${where(mention)} names ${ref.owner}/${ref.name} with repository id ${ref.repositoryId}, but ${ref.owner}/${ref.name} on GitHub is repository ${byName.id}: the repository the policy was written for is gone and the name was used again. The policy denies the new repository (that is what the ids are for).`,
        reason: `No job can match the value: jobs of the new ${ref.owner}/${ref.name} get AccessDenied.`,
        fix: `If the new ${ref.owner}/${ref.name} should assume the role, write "${rewritten(mention, now)}"; otherwise remove "${mention.value}".`,
      }),
    ];
  }
  const gone = byName?.kind === 'missing' ? byName : byId.kind === 'missing' ? byId : null;
  return gone === null ? [] : [notFound(mention, gone, owner, ref.owner)];
}
