/**
 * Which token issuers a GitHub API serves, so that `audit --github` looks up a repository only on
 * the GitHub that issues its jobs' tokens: api.github.com serves `token.actions.githubusercontent.com`
 * (and its enterprise issuers `…/SLUG`); `api.SUBDOMAIN.ghe.com` serves
 * `token.actions.SUBDOMAIN.ghe.com`; a GitHub Enterprise Server's `https://HOST/api/v3` serves
 * `HOST/_services/token`. Any other base URL (a proxy, a local stand-in) is taken as github.com's.
 */

const GITHUB_DOT_COM = 'token.actions.githubusercontent.com';

/**
 * The issuer (as IAM writes it: host and path, lowercase) whose repositories an API serves, and a
 * test for issuer URLs.
 *
 * @example
 * ```ts
 * servedIssuers('https://github.example.com/api/v3').serves('github.example.com/_services/token'); // true
 * ```
 */
export function servedIssuers(apiBaseUrl: string): {
  readonly issuer: string;
  readonly serves: (issuerUrl: string) => boolean;
} {
  let host = '';
  let path = '';
  try {
    const url = new URL(apiBaseUrl);
    host = url.host.toLowerCase();
    path = url.pathname.replace(/\/+$/, '');
  } catch {
    // Not a URL: github.com's, as documented.
  }
  const ghe = /^api\.([a-z0-9-]+)\.ghe\.com$/.exec(host);
  if (ghe !== null) {
    const issuer = `token.actions.${ghe[1]}.ghe.com`;
    return { issuer, serves: (u) => u.toLowerCase() === issuer };
  }
  if (path.endsWith('/api/v3')) {
    const issuer = `${host}${path.slice(0, -'/api/v3'.length)}/_services/token`;
    return { issuer, serves: (u) => u.toLowerCase() === issuer };
  }
  return {
    issuer: GITHUB_DOT_COM,
    serves: (u) => {
      const lower = u.toLowerCase();
      return lower === GITHUB_DOT_COM || lower.startsWith(`${GITHUB_DOT_COM}/`);
    },
  };
}
