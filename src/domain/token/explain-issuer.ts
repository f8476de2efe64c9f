/**
 * What the token's `iss` means for IAM: the provider URL the account needs, the prefix of the
 * condition keys, and which GitHub issuer it is (public, enterprise slug, GHE.com, GHES).
 */
import { issuerUrlOf } from '../subject/identify-issuer.js';

/** Which GitHub issuer a token comes from. */
export type IssuerVariant = 'github' | 'enterprise-slug' | 'ghe-com' | 'ghes' | 'other';

/** The issuer, explained. */
export interface IssuerExplanation {
  /** `iss` exactly as in the token. */
  readonly iss: string;
  /** The issuer without scheme or trailing slash: the IAM provider's URL as IAM names it. */
  readonly url: string;
  readonly variant: IssuerVariant;
  /** The enterprise slug of `token.actions.githubusercontent.com/<slug>`. */
  readonly enterpriseSlug: string | null;
  /** What to pass as `--url` to `aws iam create-open-id-connect-provider`. */
  readonly providerUrl: string;
  /** The prefix of every condition key: `<url>:`. */
  readonly keyPrefix: string;
  /** One sentence on what this issuer is and what IAM needs for it. */
  readonly description: string;
}

const GITHUB_HOST = 'token.actions.githubusercontent.com';
const GHE_COM_HOST = /^token\.actions\.[a-z0-9-]+\.ghe\.com$/;
const GHES_PATH = /(^|\/)_services\/token$/;

/** The provider ARN for this issuer in `account`. */
export function providerArnFor(url: string, account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${url}`;
}

/**
 * Explains an issuer.
 *
 * @example
 * ```ts
 * explainIssuer('https://token.actions.githubusercontent.com/acme');
 * // { variant: 'enterprise-slug', enterpriseSlug: 'acme',
 * //   providerUrl: 'https://token.actions.githubusercontent.com/acme',
 * //   keyPrefix: 'token.actions.githubusercontent.com/acme:', … }
 * ```
 */
export function explainIssuer(iss: string): IssuerExplanation {
  const url = issuerUrlOf(iss);
  const slash = url.indexOf('/');
  const host = (slash === -1 ? url : url.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : url.slice(slash + 1);
  const providerUrl = iss.trim().replace(/\/+$/, '');
  const keyPrefix = `${url}:`;
  const needs = `IAM needs an OIDC provider with URL ${providerUrl}, and condition keys take the prefix "${keyPrefix}"`;
  let variant: IssuerVariant = 'other';
  let enterpriseSlug: string | null = null;
  let description: string;
  if (host === GITHUB_HOST && path === '') {
    variant = 'github';
    description = `GitHub's public issuer (github.com). ${needs}.`;
  } else if (host === GITHUB_HOST) {
    variant = 'enterprise-slug';
    enterpriseSlug = path;
    description =
      `the unique issuer of enterprise "${path}" (the enterprise turned on its custom issuer URL). ${needs}: ` +
      `a provider for ${GITHUB_HOST} alone does not match, and keys such as "${GITHUB_HOST}:sub" are absent from the request.`;
  } else if (GHE_COM_HOST.test(host)) {
    variant = 'ghe-com';
    description = `a GHE.com (data residency) issuer. ${needs}.`;
  } else if (GHES_PATH.test(path)) {
    variant = 'ghes';
    description = `a GitHub Enterprise Server issuer; AWS must reach ${providerUrl}/.well-known/openid-configuration and /.well-known/jwks. ${needs}.`;
  } else {
    description = `not an issuer oidcwatch knows as GitHub's. ${needs}.`;
  }
  return { iss, url, variant, enterpriseSlug, providerUrl, keyPrefix, description };
}
