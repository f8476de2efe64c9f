/**
 * Remedies of request-level validation errors: a session duration within the role's maximum (and
 * IAM's 900–43,200-second range; one hour for a chained session), a session name IAM accepts.
 */
import type { OidcCall } from '../types.js';
import {
  DURATION_MIN,
  MAX_SESSION_MAX,
  maxSessionFor,
  SESSION_NAME,
  validSessionName,
} from './aws-limits.js';
import { durationSetting, sessionNameSetting } from './issuer-advice.js';
import { checked, makeRemedy, setInWorkflow } from './make-remedy.js';
import { roleName } from './patch-remedy.js';
import type { Remedy } from './remedy-types.js';

/** Role chaining caps a session at one hour, whatever the role's maximum. */
const CHAINED_MAX = 3_600;

/**
 * Ask for at most the role's `MaxSessionDuration`, or raise it (never above IAM's 43,200 s).
 *
 * @example
 * ```ts
 * durationRemedy(call, 3600).workflow; // [{ key: 'with.role-duration-seconds', value: '3600' }]
 * ```
 */
export function durationRemedy(call: OidcCall, maxSession: number | undefined): Remedy {
  const asked = call.durationSeconds;
  const setting = durationSetting(call.issuer?.kind ?? null);
  const chained = call.eventName === 'AssumeRole';
  const ceiling = chained ? Math.min(CHAINED_MAX, maxSession ?? CHAINED_MAX) : maxSession;
  const name = roleName(call.roleArn ?? 'ROLE');
  const raise = asked === null ? null : maxSessionFor(asked);
  const raiseText = chained
    ? ' Role chaining caps the session at one hour whatever the role allows.'
    : asked !== null && raise === null
      ? ` ${asked} s is above IAM's limit of ${MAX_SESSION_MAX.toLocaleString('en')} s, so no MaxSessionDuration can allow it.`
      : raise !== null && raise !== maxSession
        ? ` Or raise the role's maximum: aws iam update-role --role-name ${name} --max-session-duration ${raise}`
        : '';
  if (ceiling === undefined)
    return makeRemedy(
      'workflow',
      `Ask for a session no longer than the role's MaxSessionDuration (${setting.where}).${raiseText}`,
      { verification: checked(true, [], ["The role's MaxSessionDuration was not read."]) }
    );
  const within = ceiling >= DURATION_MIN;
  return makeRemedy(
    'workflow',
    `Set ${setting.where} to at most ${ceiling} (${chained ? 'the one-hour cap of a chained session' : `the MaxSessionDuration of ${name}`}).${raiseText}`,
    {
      workflow: [setInWorkflow(setting.key, String(ceiling))],
      verification: checked(
        within,
        within ? [] : [`${ceiling} s is below the 900-second minimum of a session`],
        [],
        within
      ),
    }
  );
}

/** Send a session name of 2–64 characters of `[\w+=,.@-]`. */
export function sessionNameRemedy(call: OidcCall): Remedy {
  const name = validSessionName(call.roleSessionName);
  const setting = sessionNameSetting(call.issuer?.kind ?? null);
  const ok = SESSION_NAME.test(name);
  return makeRemedy(
    'workflow',
    `Set ${setting.where} to a valid name such as ${name} (2–64 characters of letters, digits and +=,.@-_)${call.issuer?.kind === 'github' ? ', or upgrade configure-aws-credentials (it validates the name since May 2026); names such as dependabot[bot] contain brackets' : ''}.`,
    {
      workflow: [setInWorkflow(setting.key, name)],
      verification: checked(ok, ok ? [] : [`"${name}" is not a valid session name`], [], ok),
    }
  );
}
