/**
 * GitHub credentials from the environment, as the annotator takes them: a GitHub App
 * (`OIDCWATCH_GITHUB_APP_ID` and the PEM key file `OIDCWATCH_GITHUB_PRIVATE_KEY_FILE`), else a
 * token (`GITHUB_TOKEN`), else none. The key and the token are read, never printed.
 */
import { readFile } from 'node:fs/promises';
import type { GitHubCredentials } from '../../adapters/github/github-connection.js';
import { OidcwatchError } from '../../domain/errors.js';

/**
 * The credentials the environment gives.
 *
 * @param command - the command, for messages
 * @throws OidcwatchError `ERR_USAGE` when only half of the app's credentials are set;
 *   `ERR_INPUT_UNREADABLE`/`ERR_INPUT_MALFORMED` for a key file that cannot be read or is not PEM
 *
 * @example
 * ```ts
 * const credentials = await githubCredentialsFromEnv('audit', io.env);
 * ```
 */
export async function githubCredentialsFromEnv(
  command: string,
  env: Readonly<Record<string, string | undefined>>
): Promise<GitHubCredentials> {
  const appId = env.OIDCWATCH_GITHUB_APP_ID?.trim();
  const keyFile = env.OIDCWATCH_GITHUB_PRIVATE_KEY_FILE?.trim();
  if (appId || keyFile) {
    if (!appId || !keyFile)
      throw new OidcwatchError(
        'ERR_USAGE',
        `${command}: a GitHub App needs both OIDCWATCH_GITHUB_APP_ID and OIDCWATCH_GITHUB_PRIVATE_KEY_FILE`
      );
    if (!/^(\d+|Iv[\w.]+)$/.test(appId))
      throw new OidcwatchError(
        'ERR_USAGE',
        `${command}: OIDCWATCH_GITHUB_APP_ID must be the GitHub App's id (digits) or client id (Iv…), got "${appId}"`
      );
    let privateKey: string;
    try {
      privateKey = await readFile(keyFile, 'utf8');
    } catch (e) {
      throw new OidcwatchError(
        'ERR_INPUT_UNREADABLE',
        `${command}: cannot read the GitHub App's private key ${keyFile}: ${(e as Error).message}`
      );
    }
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey))
      throw new OidcwatchError(
        'ERR_INPUT_MALFORMED',
        `${command}: ${keyFile} is not a PEM private key (GitHub gives one starting "-----BEGIN RSA PRIVATE KEY-----")`
      );
    return { kind: 'app', appId, privateKey };
  }
  const token = env.GITHUB_TOKEN?.trim();
  return token ? { kind: 'token', token } : { kind: 'anonymous' };
}
