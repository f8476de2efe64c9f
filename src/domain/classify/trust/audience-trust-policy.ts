/** `AUDIENCE_MISMATCH` / `TRUST_POLICY`: the policy's `aud` condition rejects the token's audience. */
import type { Verdict } from '../rule.js';
import { failingConditions, quoteList, type TrustContext } from './trust-context.js';

/** Applies when the nearest Allow statements stop at an `aud` condition. */
export function audienceTrustPolicy(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'aud') return null;
  const failing = failingConditions(ctx, 'aud');
  const expected = [...new Set(failing.flatMap((c) => c.values))];
  const aud = ctx.call.aud;
  const key = failing[0]?.key ?? 'aud';
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
