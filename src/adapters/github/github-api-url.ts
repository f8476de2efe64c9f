/**
 * The GitHub REST API base URL, as Actions and Octokit take it: `GITHUB_API_URL`, else the public
 * API. GitHub Enterprise Server serves the API under `/api/v3` of its host; GHE.com (data
 * residency) under `api.` of the enterprise's subdomain. Plain `http` only to a loopback address
 * (a local server standing in for GitHub in tests).
 */
import { OidcwatchError } from '../../domain/errors.js';

/** The public API. */
export const PUBLIC_GITHUB_API_URL = 'https://api.github.com';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Checks and normalises an API base URL (no trailing slash).
 *
 * @throws OidcwatchError `ERR_CONFIG_INVALID` naming `name` when it is not an https URL (or http to
 *   a loopback address), or carries a query, fragment or credentials
 * @example
 * ```ts
 * githubApiUrl('https://github.example.com/api/v3/'); // 'https://github.example.com/api/v3'
 * githubApiUrl('https://api.octocorp.ghe.com');       // 'https://api.octocorp.ghe.com'
 * ```
 */
export function githubApiUrl(value: string, name = 'GITHUB_API_URL'): string {
  let url: URL | null = null;
  try {
    url = new URL(value.trim());
  } catch {
    // Reported below.
  }
  const ok =
    url !== null &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === '';
  if (!ok || url === null)
    throw new OidcwatchError(
      'ERR_CONFIG_INVALID',
      `${name} must be the GitHub API base URL (https://api.github.com, https://HOST/api/v3 for GitHub Enterprise Server, https://api.SUBDOMAIN.ghe.com for GHE.com), got "${value}"`
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The API base URL from the environment: `GITHUB_API_URL` when set, else the public API.
 *
 * @example
 * ```ts
 * const baseUrl = githubApiUrlFromEnv(process.env);
 * ```
 */
export function githubApiUrlFromEnv(env: Readonly<Record<string, string | undefined>>): string {
  const raw = env.GITHUB_API_URL?.trim();
  return raw ? githubApiUrl(raw) : PUBLIC_GITHUB_API_URL;
}
