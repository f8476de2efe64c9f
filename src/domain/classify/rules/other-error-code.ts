/** Any error code other than `AccessDenied` that no rule above explained. */
import { makeRemedy } from '../../remedy/make-remedy.js';
import type { Rule } from '../rule.js';

/** Applies to an unexpected `errorCode` (never to `AccessDenied`). */
export const otherErrorCode: Rule = ({ call }) => {
  if (call.errorCode === null || call.errorCode === 'AccessDenied') return null;
  const remedy = makeRemedy(
    'none',
    `oidcwatch knows no fix for ${call.errorCode}: read STS's message${call.errorMessage ? ` ("${call.errorMessage}")` : ''} and the AssumeRoleWithWebIdentity errors in the STS API reference.`
  );
  return {
    cause: 'INVALID_REQUEST',
    detail: null,
    explanation: `STS failed the call with ${call.errorCode}${call.errorMessage ? `: "${call.errorMessage}"` : ''}, an error oidcwatch has no specific rule for.`,
    fix: remedy.summary,
    remedy,
  };
};
