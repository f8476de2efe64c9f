/**
 * `SUB_NEVER_MATCHES/OWNER_CASE`: a `sub` value names a known owner in the wrong case
 * (`repo:Acme-Corp/…` where the owner is `acme-corp`). GitHub writes the owner as it is spelled on
 * GitHub and `StringEquals`/`StringLike` compare case-sensitively, so the value never matches.
 */
import { statementLabel } from '../../classify/trust/trust-context.js';
import type { FindingDraft } from '../audit-types.js';
import { ownerMentions } from '../owner-spellings.js';
import { REASONS } from '../severity.js';
import type { RoleCheck } from './check.js';

/** Flags owners spelled in another case than the account's (or `--owners`') spelling. */
export const ownerCase: RoleCheck = (role, account) => {
  const out: FindingDraft[] = [];
  for (const m of ownerMentions(role.policy)) {
    const right = account.ownerSpellings.get(m.owner.toLowerCase());
    if (right === undefined || right.spelling === m.owner) continue;
    const source =
      right.source === 'owners'
        ? `--owners spells it "${right.spelling}"`
        : `this account's other roles spell it "${right.spelling}" (${right.roles} role${right.roles === 1 ? '' : 's'})`;
    const fixed = m.value.replace(`repo:${m.owner}`, `repo:${right.spelling}`);
    out.push({
      code: 'SUB_NEVER_MATCHES',
      detail: 'OWNER_CASE',
      severity: 'medium',
      statement: statementLabel(m.statement),
      message: `${m.clause.key} ${m.clause.operator} "${m.value}" names owner "${m.owner}", but ${source}. GitHub writes the owner in sub exactly as on GitHub and IAM compares case-sensitively, so this value never matches.`,
      reason: REASONS.neverMatches,
      fix: `Write "${fixed}" (the owner as GitHub spells it).`,
    });
  }
  return out;
};
