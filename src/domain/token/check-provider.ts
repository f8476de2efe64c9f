/**
 * The checks STS makes before it reads a trust policy, and CloudTrail may never show: the account
 * has an IAM OIDC provider for the token's issuer, and the token's audience is one of its client
 * IDs (otherwise `InvalidIdentityToken`).
 */
import type { Verdict } from '../classify/rule.js';
import type { OidcProviderInfo } from '../types.js';
import type { IssuerExplanation } from './explain-issuer.js';

/** What IAM says about the token's provider. */
export interface ProviderCheck {
  /** The provider for the token's issuer, or `null` when the account has none. */
  readonly provider: OidcProviderInfo | null;
  /** The URLs of the account's providers. */
  readonly accountProviders: readonly string[];
  /** `MISSING_OIDC_PROVIDER` or `AUDIENCE_MISMATCH/PROVIDER_CLIENT_ID`; `null` when both checks pass. */
  readonly verdict: Verdict | null;
}

function bare(url: string): string {
  return url
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/**
 * Checks the account's providers for the token's issuer and audience.
 *
 * @example
 * ```ts
 * const check = checkProvider({ account: '111122223333', providers, issuer, aud: 'sts.amazonaws.com' });
 * check.verdict?.cause; // 'MISSING_OIDC_PROVIDER' when the account has no provider for the issuer
 * ```
 */
export function checkProvider(input: {
  readonly account: string;
  readonly providers: readonly OidcProviderInfo[];
  readonly issuer: IssuerExplanation;
  readonly aud: string | null;
}): ProviderCheck {
  const { account, providers, issuer, aud } = input;
  const accountProviders = providers.map((p) => p.url);
  const provider = providers.find((p) => bare(p.url) === bare(issuer.url)) ?? null;
  if (provider === null) {
    const others = accountProviders.map((u) => `"${u}"`).join(', ');
    return {
      provider,
      accountProviders,
      verdict: {
        cause: 'MISSING_OIDC_PROVIDER',
        detail: null,
        explanation:
          `Account ${account} has no IAM OIDC provider for ${issuer.url} (${others === '' ? 'it has none' : `it has ${others}`}). ` +
          `STS rejects the token with InvalidIdentityToken ("No OpenIDConnect provider found in your account for ${issuer.iss}") before it reads the trust policy, and CloudTrail may not record that failure at all.`,
        fix: `aws iam create-open-id-connect-provider --url ${issuer.providerUrl} --client-id-list ${aud ?? 'sts.amazonaws.com'}`,
      },
    };
  }
  if (aud === null || provider.clientIds.includes(aud))
    return { provider, accountProviders, verdict: null };
  const ids =
    provider.clientIds.length === 0 ? 'empty' : provider.clientIds.map((c) => `"${c}"`).join(', ');
  return {
    provider,
    accountProviders,
    verdict: {
      cause: 'AUDIENCE_MISMATCH',
      detail: 'PROVIDER_CLIENT_ID',
      explanation: `The token's aud "${aud}" is not in the client-ID list of ${provider.arn} (${ids}): STS rejects the token with InvalidIdentityToken ("Incorrect token audience") before it reads the trust policy.`,
      fix: provider.clientIds.includes('sts.amazonaws.com')
        ? 'Request `audience: sts.amazonaws.com` in the workflow (configure-aws-credentials does by default).'
        : `aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider.arn} --client-id ${aud}`,
    },
  };
}
