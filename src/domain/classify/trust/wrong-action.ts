/** `WRONG_ACTION`: a statement trusts the provider but does not allow `sts:AssumeRoleWithWebIdentity`. */
import { WEB_IDENTITY_ACTION } from '../../policy/web-identity-request.js';
import type { Verdict } from '../rule.js';
import type { TrustContext } from './trust-context.js';

/** Applies when the nearest Allow statements stop at their action. */
export function wrongAction(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'action') return null;
  const labels = ctx.nearest.map((a) => a.label);
  const actions = ctx.nearest.flatMap((a) => {
    const st = ctx.policy.statements[a.statement.index];
    return st?.action ?? (st?.notAction ?? []).map((n) => `NotAction ${n}`);
  });
  const allowed = actions.length > 0 ? actions.map((x) => `"${x}"`).join(', ') : 'no action';
  return {
    cause: 'WRONG_ACTION',
    detail: null,
    explanation: `Statement ${labels.join(', ')} of ${ctx.roleArn} trusts the provider but allows ${allowed}, not "${WEB_IDENTITY_ACTION}".`,
    fix: `Set "Action": "${WEB_IDENTITY_ACTION}" in statement ${labels[0]}.`,
    trace: ctx.trace,
  };
}
