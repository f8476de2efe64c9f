/** `ENRICHMENT_FAILED`: IAM could not be read, so `AccessDenied` is classified from its code alone. */
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Rule } from '../rule.js';

/** A short, bounded detail for a failure reason (the full reason goes in the explanation). */
export function enrichmentDetail(reason: string): string {
  if (reason.includes('not in the IAM snapshot')) return 'ACCOUNT_NOT_IN_SNAPSHOT';
  if (reason.includes('no IAM source')) return 'NO_IAM_SOURCE';
  if (reason.includes('names no account')) return 'NO_ACCOUNT_IN_RECORD';
  const aws = /\b(Throttling|[A-Z][A-Za-z]*(?:Error|Exception|Denied|Timeout|Failure))\b/.exec(
    reason
  );
  return aws?.[1] ?? 'IAM_READ_FAILED';
}

/** Applies to `AccessDenied` when the IAM view failed. */
export const enrichmentFailed: Rule = ({ call, iam }) => {
  if (call.errorCode !== 'AccessDenied' || iam.status !== 'failed') return null;
  const remedy = makeRemedy(
    'none',
    iam.source === 'snapshot'
      ? `Add account ${call.account ?? '?'} to the IAM snapshot (oidcwatch snapshot), or run without --iam-snapshot with credentials that can read it: oidcwatch cannot name a fix without the role's trust policy.`
      : "Let oidcwatch read IAM in this account (iam:GetRole, iam:ListRoles, iam:ListOpenIDConnectProviders, iam:GetOpenIDConnectProvider), then re-run the diagnosis: it cannot name a fix without the role's trust policy."
  );
  return {
    cause: 'ENRICHMENT_FAILED',
    detail: enrichmentDetail(iam.reason),
    explanation:
      `IAM could not be read (${iam.reason}), so this is classified from errorCode AccessDenied alone: ` +
      `the trust policy of ${call.roleArn ?? 'the role'} rejected ${call.sub === null ? 'the token' : `sub "${call.sub}"`}` +
      `${call.aud === null ? '' : ` / aud "${call.aud}"`}, the role does not exist, or an SCP denied the call.`,
    fix: remedy.summary,
    remedy,
  };
};
