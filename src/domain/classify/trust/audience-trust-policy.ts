/** `AUDIENCE_MISMATCH` / `TRUST_POLICY`: the policy's `aud` condition rejects the token's audience. */
import type { Verdict } from '../rule.js';
import { failingConditions, quoteList, type TrustContext } from './trust-context.js';

/**
 * Applies when the nearest Allow statements stop at an `aud` condition. A condition whose key
 * names another issuer (`token.actions.githubusercontent.com:aud` under an enterprise-slug
 * provider) tests no value at all: the key, not the audience, is what to change.
 */
export function audienceTrustPolicy(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'aud') return null;
  const failing = failingConditions(ctx, 'aud');
  const expected = [...new Set(failing.flatMap((c) => c.values))];
  const aud = ctx.call.aud;
  const key = failing[0]?.key ?? 'aud';
  const issuer = ctx.call.issuer?.url;
  if (failing.length > 0 && failing.every((c) => c.tested === null) && issuer !== undefined) {
    const wanted = `${issuer}:aud`;
    return {
      cause: 'AUDIENCE_MISMATCH',
      detail: 'TRUST_POLICY',
      explanation:
        `The trust policy of ${ctx.roleArn} tests ${key} ${quoteList(expected)}, but the token came from issuer "${issuer}", ` +
        `so STS fills ${wanted} and ${key} is absent: the condition cannot match, whatever the audience` +
        `${aud === null ? '' : ` (the token's aud is "${aud}")`}.`,
      fix: `Rename the condition key "${key}" to "${wanted}" in statement ${ctx.nearest[0]?.label ?? ''} (every key of the statement takes the "${issuer}:" prefix).`,
      trace: ctx.trace,
    };
  }
  const ownerUrl = aud !== null && /^https:\/\/github\.com\/[^/]+$/.test(aud);
  return {
    cause: 'AUDIENCE_MISMATCH',
    detail: 'TRUST_POLICY',
    explanation:
      `The trust policy of ${ctx.roleArn} expects ${key} ${quoteList(expected)}, ` +
      `but the token's aud is ${aud === null ? 'not recorded' : `"${aud}"`}` +
      (ownerUrl ? " (GitHub's default audience: the job did not ask for one)." : '.'),
    fix:
      expected.length > 0
        ? `Request the audience the policy expects: set \`audience: ${expected[0]}\` on aws-actions/configure-aws-credentials (its default is sts.amazonaws.com).`
        : `Fix the ${key} condition of statement ${ctx.nearest[0]?.label ?? ''} to the audience the workflow requests.`,
    trace: ctx.trace,
  };
}
