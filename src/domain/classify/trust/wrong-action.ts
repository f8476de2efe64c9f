/** `WRONG_ACTION`: a statement trusts the provider but does not allow `sts:AssumeRoleWithWebIdentity`. */
import { WEB_IDENTITY_ACTION } from '../../policy/web-identity-request.js';
import { addAction } from '../../remedy/document-patch.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import { patchRemedy } from '../../remedy/patch-remedy.js';
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
  const first = ctx.nearest[0];
  const remedy = patchRemedy(ctx.env, {
    summary: `Add "${WEB_IDENTITY_ACTION}" to the Action of statement ${labels[0]} (it trusts the provider, but an OIDC token can only be used with that action).`,
    apply: (doc) =>
      first === undefined ? [] : [addAction(doc, first.statement.index, WEB_IDENTITY_ACTION)],
    fallback: () =>
      makeRemedy('none', `Set "Action": "${WEB_IDENTITY_ACTION}" in statement ${labels[0]}.`),
    additive: true,
  });
  return {
    cause: 'WRONG_ACTION',
    detail: null,
    explanation: `Statement ${labels.join(', ')} of ${ctx.roleArn} trusts the provider but allows ${allowed}, not "${WEB_IDENTITY_ACTION}".`,
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
