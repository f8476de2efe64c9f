/**
 * Which CI system (or EKS) a token issuer belongs to, from the form IAM records it in: a provider
 * ARN, a URL with scheme, or the bare host/path IAM uses as its condition-key prefix.
 */
import { boundedMemo } from '../bounded-memo.js';
import type { Issuer, IssuerKind } from '../types.js';

/** `arn:<partition>:iam::<account>:oidc-provider/<url>`; the partition covers aws-cn and aws-us-gov. */
const PROVIDER_ARN = /^arn:[a-z0-9-]+:iam::(\d{12}):oidc-provider\/(.+)$/;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const GITHUB_HOST = 'token.actions.githubusercontent.com';
/** GHE.com data-residency issuers: `token.actions.<subdomain>.ghe.com`. */
const GHE_COM_HOST = /^token\.actions\.[a-z0-9-]+\.ghe\.com$/;
/** GitHub Enterprise Server issuers end in this path (`https://HOSTNAME/_services/token`). */
const GHES_PATH = '_services/token';
const EKS_HOST = /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;
/** A Terraform Enterprise host is recognisable only by its name (`tfe.example.com`, `terraform.…`). */
const TFE_HOST = /(^|\.)tfe(\.|$)|terraform/;

/**
 * The provider URL without scheme and without trailing slash, the prefix of the provider's IAM
 * condition keys (`token.actions.githubusercontent.com:sub`).
 *
 * @param providerOrUrl - a provider ARN, a URL with scheme, or a bare host/path
 * @returns the URL as IAM names it; `''` for an empty input
 *
 * @example
 * ```ts
 * issuerUrlOf('https://gitlab.com/'); // 'gitlab.com'
 * ```
 */
function issuerUrlOf(providerOrUrl: string): string {
  const trimmed = providerOrUrl.trim();
  const fromArn = PROVIDER_ARN.exec(trimmed)?.[2] ?? trimmed;
  return fromArn.replace(SCHEME, '').replace(/\/+$/, '');
}

/**
 * The account id of a provider ARN (`arn:aws:iam::111122223333:oidc-provider/…` → `111122223333`).
 *
 * @param providerArn - `userIdentity.identityProvider` or any other string
 * @returns the 12-digit account id, or `null` when the string is not a provider ARN (a bare issuer
 *   such as `accounts.google.com`)
 *
 * @example
 * ```ts
 * providerAccountId('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com');
 * // '111122223333'
 * ```
 */
function providerAccountId(providerArn: string): string | null {
  return PROVIDER_ARN.exec(providerArn.trim())?.[1] ?? null;
}

/** The kind and enterprise flag of a scheme-less issuer URL split into host and path. */
function kindOf(host: string, path: string): { kind: IssuerKind; enterprise: boolean } {
  if (host === GITHUB_HOST) return { kind: 'github', enterprise: path !== '' };
  if (GHE_COM_HOST.test(host) || path === GHES_PATH || path.endsWith(`/${GHES_PATH}`)) {
    return { kind: 'github', enterprise: true };
  }
  if (host === 'gitlab.com' || host.includes('gitlab'))
    return { kind: 'gitlab', enterprise: false };
  if (host === 'app.terraform.io' || TFE_HOST.test(host)) {
    return { kind: 'terraform-cloud', enterprise: false };
  }
  if (host === 'oidc.circleci.com') return { kind: 'circleci', enterprise: false };
  if (host === 'agent.buildkite.com') return { kind: 'buildkite', enterprise: false };
  if (host === 'api.bitbucket.org') return { kind: 'bitbucket', enterprise: false };
  if (EKS_HOST.test(host)) return { kind: 'eks', enterprise: false };
  return { kind: 'other', enterprise: false };
}

/**
 * Names the CI system behind a token issuer.
 *
 * GitHub: `token.actions.githubusercontent.com` (and `…/<enterpriseSlug>`, enterprise), GHE.com
 * `token.actions.<sub>.ghe.com` and GHES `<host>/_services/token` (both enterprise). GitLab:
 * `gitlab.com` or any host containing `gitlab`. Terraform Cloud: `app.terraform.io` and hosts named
 * like TFE. CircleCI `oidc.circleci.com/org/<id>`, Buildkite `agent.buildkite.com`, Bitbucket
 * `api.bitbucket.org/2.0/workspaces/<ws>/pipelines-config/identity/oidc`, EKS
 * `oidc.eks.<region>.amazonaws.com/id/<id>`. Anything else is `other`. Never throws.
 *
 * @param providerOrUrl - a provider ARN, a URL with scheme, or a bare host/path (a built-in IdP
 *   such as `accounts.google.com` is `other`)
 * @returns the issuer; `url` keeps the case it was given, without scheme or trailing slash
 *
 * @example
 * ```ts
 * identifyIssuer('arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com/acme');
 * // { kind: 'github', url: 'token.actions.githubusercontent.com/acme', enterprise: true }
 * ```
 */
function identifyIssuer(providerOrUrl: string): Issuer {
  return memoIssuer(providerOrUrl);
}

const memoIssuer = boundedMemo((providerOrUrl: string): Issuer => {
  const url = issuerUrlOf(providerOrUrl);
  const slash = url.indexOf('/');
  const host = (slash === -1 ? url : url.slice(0, slash)).toLowerCase();
  const path = slash === -1 ? '' : url.slice(slash + 1).replace(/^\/+/, '');
  return { url, ...kindOf(host, path) };
});

export { identifyIssuer, issuerUrlOf, providerAccountId };
