/**
 * `ROLE_UNRESOLVED`: the record names no role (CloudTrail left `roleArn` null). Every role of the
 * account that trusts the call's provider is judged, and the candidates are ranked: roles whose
 * trust policy names the job's repository first, then those the call got furthest with.
 */

import type { Cause } from '../../causes.js';
import { readTrustPolicy } from '../../policy/parse-policy.js';
import { roleSetting } from '../../remedy/issuer-advice.js';
import { checked, makeRemedy, setInWorkflow } from '../../remedy/make-remedy.js';
import type { Remedy } from '../../remedy/remedy-types.js';
import type { Candidate, OidcCall, RoleInfo } from '../../types.js';
import type { Rule } from '../rule.js';
import { judgeTrustPolicy } from '../trust/judge-trust-policy.js';
import type { TrustEnv } from '../trust/trust-context.js';

/** Causes ordered by how close the call came to being admitted (nearest first). */
const NEARNESS: readonly Cause[] = [
  'DENIED_OUTSIDE_TRUST_POLICY',
  'UNVERIFIABLE_CONDITION',
  'SUB_MISMATCH',
  'AUDIENCE_MISMATCH',
  'EXPLICIT_DENY',
  'WRONG_ACTION',
  'WRONG_PROVIDER_PRINCIPAL',
  'ENRICHMENT_FAILED',
];

/** The most candidates a result carries. */
export const MAX_CANDIDATES = 10;

/**
 * `true` when the policy text names `owner/name` as a whole repository: `repo:owner/name:…`,
 * `"owner/name"` (a `repository` condition) or the immutable `owner@ID/name@ID`, never as the
 * prefix of a longer name (`acme/web` is not named by `repo:acme/web-frontend:*`).
 */
function namesRepository(role: RoleInfo, repository: string | null): boolean {
  if (repository === null) return false;
  const text =
    typeof role.trustPolicy === 'string'
      ? decodeURIComponentSafe(role.trustPolicy)
      : JSON.stringify(role.trustPolicy);
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const segments = repository.toLowerCase().split('/').map(escapeRegExp);
  const named = new RegExp(`(^|[":])${segments.join('(@\\d+)?/')}(@\\d+)?([":]|$)`);
  return named.test(text.toLowerCase());
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

interface Judged {
  readonly candidate: Candidate;
  readonly remedy: Remedy | null;
}

function judge(call: OidcCall, role: RoleInfo, env: TrustEnv): Judged {
  const read = readTrustPolicy(role.trustPolicy);
  const sameRepository = namesRepository(role, call.subject?.repository ?? null);
  if (!read.ok)
    return {
      candidate: {
        roleArn: role.arn,
        cause: 'ENRICHMENT_FAILED',
        detail: 'TRUST_POLICY_UNREADABLE',
        explanation: `The trust policy of ${role.arn} could not be read (${read.reason}).`,
        fix: null,
        sameRepository,
      },
      remedy: null,
    };
  const v = judgeTrustPolicy(call, role.arn, read.policy, { ...env, document: role.trustPolicy });
  return {
    candidate: {
      roleArn: role.arn,
      cause: v.cause,
      detail: v.detail,
      explanation: v.explanation,
      fix: v.remedy?.summary ?? v.fix,
      sameRepository,
    },
    remedy: v.remedy ?? null,
  };
}

/** Ranks candidates: same repository first, then nearness of the cause, then ARN. */
export function rankCandidates(candidates: readonly Candidate[]): Candidate[] {
  const rank = (c: Candidate) =>
    NEARNESS.includes(c.cause) ? NEARNESS.indexOf(c.cause) : NEARNESS.length;
  return [...candidates].sort(
    (a, b) =>
      Number(b.sameRepository) - Number(a.sameRepository) ||
      rank(a) - rank(b) ||
      a.roleArn.localeCompare(b.roleArn)
  );
}

/** Applies to `AccessDenied` when the record names no role. */
export const roleUnresolved: Rule = ({ call, iam }) => {
  if (call.errorCode !== 'AccessDenied' || call.roleArn !== null || iam.status !== 'ok')
    return null;
  const roles = iam.rolesTrustingProvider ?? [];
  const env: TrustEnv = { knownOwners: iam.knownOwners ?? [], providers: iam.providers };
  const judged = roles.map((r) => judge(call, r, env));
  const remedies = new Map(judged.map((j) => [j.candidate.roleArn, j.remedy]));
  const ranked = rankCandidates(judged.map((j) => j.candidate));
  const top = ranked[0];
  const provider = call.provider ?? 'the provider';
  if (top === undefined) {
    const remedy = makeRemedy(
      'workflow',
      `Create a role whose trust policy allows sts:AssumeRoleWithWebIdentity for ${provider}${call.sub ? ` and sub "${call.sub}"` : ''}, and set it as ${roleSetting(call.issuer?.kind ?? null).where}.`
    );
    return {
      cause: 'ROLE_UNRESOLVED',
      detail: null,
      explanation: `CloudTrail recorded no role for this call, and no role in account ${call.account ?? '?'} trusts ${provider}.`,
      fix: remedy.summary,
      remedy,
      candidates: [],
    };
  }
  const topRemedy = remedies.get(top.roleArn) ?? null;
  const setting = roleSetting(call.issuer?.kind ?? null);
  let remedy: Remedy | null;
  if (top.cause === 'DENIED_OUTSIDE_TRUST_POLICY') {
    // Its trust policy admits the job: use it (the record does not say which role was asked for).
    remedy = makeRemedy(
      'role',
      `Set ${setting.where} to ${top.roleArn}: its trust policy admits this job (CloudTrail recorded no role, so the job may name a role that does not exist or is misspelled).`,
      {
        useRoleArn: top.roleArn,
        workflow: [setInWorkflow(setting.key, top.roleArn)],
        verification: checked(true),
      }
    );
  } else
    remedy =
      topRemedy === null
        ? null
        : {
            ...topRemedy,
            summary: `If ${top.roleArn} is the role the job meant: ${topRemedy.summary}`,
          };
  return {
    cause: 'ROLE_UNRESOLVED',
    detail: null,
    explanation:
      `CloudTrail recorded no role for this call; ${roles.length} role${roles.length === 1 ? '' : 's'} in account ${call.account ?? '?'} trust ${provider}. ` +
      `Most likely ${top.roleArn}${top.sameRepository ? ` (its trust policy names ${call.subject?.repository ?? 'the repository'})` : ''}: ${top.cause}${top.detail ? `/${top.detail}` : ''}. ${top.explanation}`,
    fix: remedy?.summary ?? top.fix,
    remedy,
    candidates: ranked.slice(0, MAX_CANDIDATES),
  };
};
