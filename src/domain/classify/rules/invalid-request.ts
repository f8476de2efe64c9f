/** `INVALID_REQUEST`: request-level validation (duration, session name, disabled region, …). */
import type { Rule } from '../rule.js';
import { failedWith } from './error-message.js';

/** Applies to `ValidationError`, `RegionDisabledException`, `MalformedPolicyDocument`, `PackedPolicyTooLarge`. */
export const invalidRequest: Rule = ({ call, role }) => {
  const roleName = call.roleArn?.split('/').at(-1) ?? 'ROLE';
  if (failedWith(call, 'ValidationError', 'durationseconds')) {
    const max = role?.info.maxSessionDuration;
    const asked = call.durationSeconds;
    return {
      cause: 'INVALID_REQUEST',
      detail: 'DURATION_EXCEEDS_MAX_SESSION',
      explanation:
        `The job asked for a ${asked ?? 'longer'}-second session, more than the MaxSessionDuration` +
        `${max === undefined ? '' : ` (${max} s)`} of ${call.roleArn ?? 'the role'}.`,
      fix:
        `Set role-duration-seconds to at most ${max ?? "the role's MaxSessionDuration"} in the workflow, or raise it: ` +
        `aws iam update-role --role-name ${roleName} --max-session-duration ${asked ?? 7200}`,
    };
  }
  if (failedWith(call, 'ValidationError', 'rolesessionname')) {
    return {
      cause: 'INVALID_REQUEST',
      detail: 'INVALID_SESSION_NAME',
      explanation: `The role session name is invalid: it must be 2–64 characters of [\\w+=,.@-] ("${call.errorMessage ?? ''}").`,
      fix: 'Set `role-session-name` to a valid name (e.g. GitHubActions), or upgrade configure-aws-credentials (it validates the name since May 2026); names such as dependabot[bot] contain brackets.',
    };
  }
  if (call.errorCode === 'RegionDisabledException') {
    return {
      cause: 'INVALID_REQUEST',
      detail: 'REGION_DISABLED',
      explanation: `STS is not activated in ${call.region ?? 'this region'} for ${call.account ?? 'the account'}.`,
      fix: `Activate STS for ${call.region ?? 'the region'} in IAM → Account settings, or set aws-region in the workflow to an active region.`,
    };
  }
  if (
    call.errorCode === 'ValidationError' ||
    call.errorCode === 'MalformedPolicyDocument' ||
    call.errorCode === 'PackedPolicyTooLarge'
  ) {
    return {
      cause: 'INVALID_REQUEST',
      detail: null,
      explanation: `STS rejected the request with ${call.errorCode}${call.errorMessage ? `: "${call.errorMessage}"` : ''}.`,
      fix:
        call.errorCode === 'ValidationError'
          ? 'Correct the request parameter named in the message.'
          : 'Shorten or fix the inline session policy or session tags the job passes.',
    };
  }
  return null;
};
