/** `WRONG_PROVIDER_PRINCIPAL`: no Allow statement names the token's provider as principal. */
import { wrongPrincipalRemedy } from '../../remedy/principal-remedy.js';
import type { Verdict } from '../rule.js';
import type { TrustContext } from './trust-context.js';

function namedPrincipals(ctx: TrustContext): string[] {
  const out: string[] = [];
  for (const st of ctx.policy.statements) {
    if (st.effect !== 'Allow' || st.principal === null || st.principal === '*') continue;
    out.push(...st.principal.federated, ...st.principal.aws, ...st.principal.service);
  }
  return [...new Set(out)];
}

/** Applies when there is no Allow statement, or every one stops at its principal. */
export function wrongProviderPrincipal(ctx: TrustContext): Verdict | null {
  if (ctx.nearestStage !== 'principal' && ctx.nearestStage !== null) return null;
  const provider = ctx.call.provider ?? '(unknown provider)';
  const named = namedPrincipals(ctx);
  const marker = ':oidc-provider/';
  const path = provider.includes(marker) ? provider.slice(provider.indexOf(marker)) : null;
  const sameIssuerElsewhere = named.find(
    (n) => n !== provider && path !== null && n.endsWith(path)
  );
  const namedText =
    named.length === 0
      ? 'has no Allow statement with a principal'
      : `names ${named.map((n) => `"${n}"`).join(', ')} as principal`;
  const remedy = wrongPrincipalRemedy(ctx.env);
  return {
    cause: 'WRONG_PROVIDER_PRINCIPAL',
    detail: null,
    explanation:
      `The trust policy of ${ctx.roleArn} ${namedText}, but the token came through "${provider}"` +
      (sameIssuerElsewhere !== undefined
        ? '. The policy names the same issuer in another account: a policy copied between accounts.'
        : '.'),
    fix: remedy.summary,
    remedy,
    trace: ctx.trace,
  };
}
