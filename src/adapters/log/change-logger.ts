/**
 * The processor's log line of an IAM configuration change: who changed which role or provider,
 * when, what was there before (and where that was learnt), and the condition-level diff. One line
 * per change, beside the result lines, so Logs Insights shows changes and failures on one time line.
 */
import type { Logger } from 'pino';
import type {
  ConfigurationChange,
  ProviderState,
  RoleState,
} from '../../domain/changes/change-types.js';

/** The `msg` of change lines. */
export const CHANGE_MESSAGE = 'oidcwatch.change';

/**
 * A state as logged: a trust policy as its JSON text, because the logger redacts string values
 * under keys that look secret, and every GitHub condition key contains "token".
 */
function logged(state: RoleState | ProviderState): Record<string, unknown> {
  if (!('trustPolicy' in state)) return { ...state };
  const policy = state.trustPolicy;
  return {
    exists: state.exists,
    trustPolicy: policy === null || typeof policy === 'string' ? policy : JSON.stringify(policy),
  };
}

/**
 * Writes the line of one change.
 *
 * @example
 * ```ts
 * logChange(deps.logger, recorded); // {"msg":"oidcwatch.change","changeType":"TRUST_POLICY_UPDATED",…}
 * ```
 */
export function logChange(logger: Logger, change: ConfigurationChange): void {
  const diff = change.diff ?? [];
  logger.info(
    {
      outcome: 'change',
      eventId: change.eventId,
      eventTime: change.eventTime,
      eventName: change.eventName,
      changeType: change.type,
      account: change.account,
      region: change.region,
      actor: change.actor,
      userAgent: change.userAgent,
      target: change.target,
      roleArn: change.target.kind === 'role' ? change.target.arn : null,
      providerArn: change.target.kind === 'provider' ? change.target.arn : null,
      beforeFrom: change.beforeFrom,
      before: logged(change.before),
      after: logged(change.after),
      diff: change.diff,
      removed: [...new Set(diff.flatMap((d) => d.removed))],
      added: [...new Set(diff.flatMap((d) => d.added))],
    },
    CHANGE_MESSAGE
  );
}
