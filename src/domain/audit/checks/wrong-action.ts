/**
 * `WRONG_ACTION`: the role trusts a provider, but no Allow statement naming it allows
 * `sts:AssumeRoleWithWebIdentity` (often `sts:AssumeRole`, copied from a cross-account role).
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import { WEB_IDENTITY_ACTION } from '../../policy/web-identity-request.js';
import type { FindingDraft } from '../audit-types.js';
import { REASONS } from '../severity.js';
import { allowsWebIdentity, providerArnsOf } from '../statements.js';
import type { RoleCheck } from './check.js';

/** Flags providers the role trusts for every action but the web-identity one. */
export const wrongAction: RoleCheck = (role) => {
  const allows = role.policy.statements.filter((st) => st.effect === 'Allow');
  const providers = [...new Set(allows.flatMap(providerArnsOf))];
  const out: FindingDraft[] = [];
  for (const provider of providers) {
    const naming = allows.filter((st) => providerArnsOf(st).includes(provider));
    if (naming.some(allowsWebIdentity)) continue;
    const first = naming[0];
    const actions = naming.flatMap(
      (st) => st.action ?? (st.notAction ?? []).map((a) => `NotAction ${a}`)
    );
    const labels = naming.map(statementLabel);
    out.push({
      code: 'WRONG_ACTION',
      detail: null,
      providerArn: provider,
      severity: 'medium',
      statement: first === undefined ? null : statementLabel(first),
      message: `Statement ${labels.join(', ')} trusts "${provider}" but allows ${actions.length > 0 ? actions.map((a) => `"${a}"`).join(', ') : 'no action'}, not "${WEB_IDENTITY_ACTION}": every web-identity assumption of the role is denied.`,
      reason: REASONS.neverMatches,
      fix: `Set "Action": "${WEB_IDENTITY_ACTION}" in statement ${labels[0]}.`,
    });
  }
  return out;
};
