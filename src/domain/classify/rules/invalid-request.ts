/** `INVALID_REQUEST`: request-level validation (duration, session name, disabled region, …). */
import { makeRemedy } from '../../remedy/make-remedy.js';
import { durationRemedy, sessionNameRemedy } from '../../remedy/request-remedy.js';
import type { Rule, Verdict } from '../rule.js';
import { failedWith } from './error-message.js';

/** Applies to `ValidationError`, `RegionDisabledException`, `MalformedPolicyDocument`, `PackedPolicyTooLarge`. */
export const invalidRequest: Rule = ({ call, role }) => {
  if (failedWith(call, 'ValidationError', 'durationseconds')) {
    const max = role?.info.maxSessionDuration;
    const asked = call.durationSeconds;
    const remedy = durationRemedy(call, max);
    return {
      cause: 'INVALID_REQUEST',
      detail: 'DURATION_EXCEEDS_MAX_SESSION',
      explanation:
        `The job asked for a ${asked ?? 'longer'}-second session, more than the MaxSessionDuration` +
        `${max === undefined ? '' : ` (${max} s)`} of ${call.roleArn ?? 'the role'}.`,
      fix: remedy.summary,
      remedy,
    };
  }
  if (failedWith(call, 'ValidationError', 'rolesessionname')) {
    const remedy = sessionNameRemedy(call);
    return {
      cause: 'INVALID_REQUEST',
      detail: 'INVALID_SESSION_NAME',
      explanation: `The role session name is invalid: it must be 2–64 characters of [\\w+=,.@-] ("${call.errorMessage ?? ''}").`,
      fix: remedy.summary,
      remedy,
    };
  }
  const v = otherRequestError(call);
  if (v === null) return null;
  const remedy = makeRemedy('none', v.fix ?? '');
  return { ...v, fix: remedy.summary, remedy };
};

function otherRequestError(call: Parameters<Rule>[0]['call']): Verdict | null {
  if (call.errorCode === 'RegionDisabledException') {
    return {
      cause: 'INVALID_REQUEST',
      detail: 'REGION_DISABLED',
      explanation: `STS is not activated in ${call.region ?? 'this region'} for ${call.account ?? 'the account'}.`,
      fix: `Activate STS for ${call.region ?? 'the region'} in IAM → Account settings, or send the job's STS calls to a Region where it is active (the aws-region of the workflow).`,
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
}
