/**
 * A condition on a key STS never sets for the token's issuer (`…:subject` for `…:sub`, `…:audience`,
 * `…:repository_owner`): the statement can never match, whatever the job. Said as such (not "not
 * recorded in CloudTrail"), with the key renamed when the intended one is clear.
 */
import { unknownConditionKey } from '../../policy/web-identity-request.js';
import { renameConditionKey } from '../../remedy/document-patch.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import { patchRemedy } from '../../remedy/patch-remedy.js';
import type { Verdict } from '../rule.js';
import { claimOf, type TrustContext } from './trust-context.js';

/** Applies when a nearest Allow statement fails on a condition key STS never sets. */
export function unknownKey(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'aud' && ctx.nearestStage !== 'claim') return null;
  for (const a of ctx.nearest)
    for (const c of a.statement.conditions) {
      if (c.verdict !== 'fail') continue;
      const unknown = unknownConditionKey(ctx.call.issuer, c.key);
      if (unknown === null) continue;
      const meant = unknown.suggestion;
      const remedy =
        meant === null
          ? makeRemedy(
              'none',
              `Condition on a claim STS sets (sub, aud, ${['environment', 'job_workflow_ref', 'repository', 'ref'].join(', ')}, …) instead of "${c.key}" in statement ${a.label}.`
            )
          : patchRemedy(ctx.env, {
              summary: `Rename the condition key "${c.key}" to "${meant}" in statement ${a.label}: as written it names no key STS sets, so the statement never matches.`,
              apply: (doc) => renameConditionKey(doc, a.statement.index, c.key, meant),
              fallback: () =>
                makeRemedy(
                  'none',
                  `Rename the condition key "${c.key}" to "${meant}" in statement ${a.label} (as written the statement never matches); even then its values do not admit this job.`
                ),
            });
      const intended = meant === null ? null : claimOf(meant);
      return {
        cause: intended === 'aud' ? 'AUDIENCE_MISMATCH' : 'SUB_MISMATCH',
        detail: intended === 'aud' ? 'TRUST_POLICY' : 'OTHER',
        explanation: `Statement ${a.label} of ${ctx.roleArn} conditions on "${c.key}" (${c.operator}), ${unknown.tokenClaim ? `but STS does not make the token's "${unknown.claim}" claim a condition key` : `a key STS never sets for this issuer${meant === null ? '' : ` (a misspelling of "${meant}"?)`}`}: the condition can never hold, so the statement never admits any job.`,
        fix: remedy.summary,
        remedy,
        trace: ctx.trace,
      };
    }
  return null;
}
