/**
 * The cause rules in order of judgement (docs/causes.md): success; the error families other than
 * `AccessDenied`, read from their code and message and cross-checked with IAM; then `AccessDenied`:
 * enrichment → role resolved → role exists → provider → client IDs → trust policy.
 */
import type { Rule } from '../rule.js';
import { audienceFromError } from './audience-from-error.js';
import { audienceProviderClientId } from './audience-provider-client-id.js';
import { enrichmentFailed } from './enrichment-failed.js';
import { expiredToken } from './expired-token.js';
import { idpError } from './idp-error.js';
import { invalidRequest } from './invalid-request.js';
import { invalidToken } from './invalid-token.js';
import { missingProviderFromError } from './missing-provider-from-error.js';
import { missingProviderInAccount } from './missing-provider-in-account.js';
import { missingTagSession } from './missing-tag-session.js';
import { otherErrorCode } from './other-error-code.js';
import { roleNotFound } from './role-not-found.js';
import { roleUnresolved } from './role-unresolved.js';
import { success } from './success.js';
import { thumbprintMismatch } from './thumbprint-mismatch.js';
import { trustPolicy } from './trust-policy.js';
import { trustPolicyUnreadable } from './trust-policy-unreadable.js';

/** Named rules, in order. The first that applies names the cause. */
export const CAUSE_RULES: readonly (readonly [name: string, rule: Rule])[] = [
  ['success', success],
  ['expired-token', expiredToken],
  ['idp-error', idpError],
  ['missing-provider-from-error', missingProviderFromError],
  ['audience-from-error', audienceFromError],
  ['thumbprint-mismatch', thumbprintMismatch],
  ['invalid-token', invalidToken],
  ['invalid-request', invalidRequest],
  ['other-error-code', otherErrorCode],
  ['missing-tag-session', missingTagSession],
  ['enrichment-failed', enrichmentFailed],
  ['role-unresolved', roleUnresolved],
  ['role-not-found', roleNotFound],
  ['missing-provider-in-account', missingProviderInAccount],
  ['audience-provider-client-id', audienceProviderClientId],
  ['trust-policy-unreadable', trustPolicyUnreadable],
  ['trust-policy', trustPolicy],
];
