/**
 * `AUDIENCE_MISMATCH` / `TRUST_POLICY`: the policy's `aud` condition rejects the token's audience.
 * The remedy asks the job for the audience the policy expects (a workflow change), renames a key
 * written under another issuer's prefix, and never loosens a negated condition.
 */
import { parseOperator } from '../../policy/operators.js';
import { addValuePlan } from '../../remedy/condition-plans.js';
import { renameConditionKeys } from '../../remedy/document-patch.js';
import { makeRemedy } from '../../remedy/make-remedy.js';
import { patchRemedy } from '../../remedy/patch-remedy.js';
import { requestAudienceRemedy } from '../../remedy/provider-remedy.js';
import type { Remedy } from '../../remedy/remedy-types.js';
import type { ConditionTrace } from '../../types.js';
import type { Verdict } from '../rule.js';
import { allowedText, failingConditions, quoteList, type TrustContext } from './trust-context.js';

function statementOf(ctx: TrustContext, c: ConditionTrace) {
  return ctx.nearest.find((a) => a.statement.conditions.includes(c));
}

function audienceRemedy(ctx: TrustContext, failing: readonly ConditionTrace[]): Remedy {
  const aud = ctx.call.aud;
  const first = failing[0] as ConditionTrace;
  const owner = statementOf(ctx, first);
  const label = owner?.label ?? '';
  const negated = failing.find((c) => parseOperator(c.operator)?.negated === true);
  if (negated !== undefined)
    return makeRemedy(
      'intentional',
      `Statement ${statementOf(ctx, negated)?.label ?? ''} deliberately rejects the audience ${quoteList(negated.values)} (${negated.operator}): request another audience, or use the role meant for it.`,
      { statement: statementOf(ctx, negated)?.label ?? '' }
    );
  const expected = [...new Set(failing.flatMap((c) => c.values))];
  const provider =
    ctx.env.providers?.find((p) => p.arn === ctx.call.provider) ??
    ctx.env.providers?.find(
      (p) => p.url.toLowerCase() === (ctx.call.issuer?.url ?? '').toLowerCase()
    ) ??
    null;
  const workflow = requestAudienceRemedy(ctx.call, expected, ctx.policy, provider, label);
  if (workflow !== null) return workflow;
  const op = parseOperator(first.operator);
  const listed = aud !== null && (provider === null || provider.clientIds.includes(aud));
  const advice = makeRemedy(
    'workflow',
    `Request an audience statement ${label} admits (${quoteList(expected)})${provider === null ? '' : ` and ${provider.arn} lists (${quoteList(provider.clientIds)})`}.`
  );
  if (aud === null || op === null || !listed || owner === undefined) return advice;
  return patchRemedy(
    ctx.env,
    addValuePlan(
      {
        index: owner.statement.index,
        statement: label,
        operator: first.operator,
        base: op.base,
        key: first.key,
        value: first.values[0] ?? '',
        variables: ctx.policy.variables,
      },
      aud,
      `Add the job's audience "${aud}" to ${first.operator}["${first.key}"] in statement ${label} (the provider lists it), or request ${quoteList(expected)} in the job.`,
      () => advice
    )
  );
}

/**
 * Applies when the nearest Allow statements stop at an `aud` condition. A condition whose key
 * names another issuer (`token.actions.githubusercontent.com:aud` under an enterprise-slug
 * provider) tests no value at all: the key, not the audience, is what to change.
 */
export function audienceTrustPolicy(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'aud') return null;
  const failing = failingConditions(ctx, 'aud');
  const aud = ctx.call.aud;
  const key = failing[0]?.key ?? 'aud';
  const issuer = ctx.call.issuer?.url;
  if (failing.length > 0 && failing.every((c) => c.tested === null) && issuer !== undefined) {
    const wanted = `${issuer}:aud`;
    const owner = statementOf(ctx, failing[0] as ConditionTrace);
    const oldPrefix = key.slice(0, key.lastIndexOf(':'));
    const remedy = patchRemedy(ctx.env, {
      summary: `Rename the condition keys of statement ${owner?.label ?? ''} from "${oldPrefix}:…" to "${issuer}:…" (the provider's URL is the key prefix; STS fills only the keys of the token's issuer).`,
      apply: (doc) =>
        owner === undefined
          ? []
          : renameConditionKeys(doc, owner.statement.index, oldPrefix, issuer),
      fallback: () =>
        makeRemedy(
          'none',
          `Rename the condition key "${key}" to "${wanted}" in statement ${owner?.label ?? ''} (every key of the statement takes the "${issuer}:" prefix).`
        ),
    });
    return {
      cause: 'AUDIENCE_MISMATCH',
      detail: 'TRUST_POLICY',
      explanation:
        `The trust policy of ${ctx.roleArn} tests ${allowedText(ctx, failing)}, but the token came from issuer "${issuer}", ` +
        `so STS fills ${wanted} and ${key} is absent: the condition cannot match, whatever the audience` +
        `${aud === null ? '' : ` (the token's aud is "${aud}")`}.`,
      fix: remedy.summary,
      remedy,
      trace: ctx.trace,
    };
  }
  const ownerUrl = aud !== null && /^https:\/\/github\.com\/[^/]+$/.test(aud);
  const remedy = audienceRemedy(ctx, failing);
  return {
    cause: 'AUDIENCE_MISMATCH',
    detail: 'TRUST_POLICY',
    explanation:
      `The trust policy of ${ctx.roleArn} expects ${allowedText(ctx, failing)}, ` +
      `but the token's aud is ${aud === null ? 'not recorded' : `"${aud}"`}` +
      (ownerUrl ? " (GitHub's default audience: the job did not ask for one)." : '.'),
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
