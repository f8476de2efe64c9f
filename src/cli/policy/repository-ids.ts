/**
 * `oidcwatch policy --immutable`: the ids of repositories given by name, looked up on GitHub, so
 * that the subject can be written `repo:OWNER@OWNER_ID/NAME@REPO_ID:…`. A repository that GitHub
 * does not have under that name (renamed, transferred, deleted, not visible) is an error naming
 * what GitHub said: a policy is never written for a name that no longer leads to the repository.
 */
import { OidcwatchError } from '../../domain/errors.js';
import type { RepositoryDirectory } from '../../ports.js';

const NAMED = /^([^@/]+)\/([^@/]+)$/;

/**
 * `repositories` with every `OWNER/NAME` replaced by `OWNER@OWNER_ID/NAME@REPO_ID` as GitHub
 * spells and numbers it (values already in that form are kept).
 *
 * @throws OidcwatchError `ERR_POLICY_REQUEST_INVALID` when a repository is not on GitHub under the
 *   name given; `ERR_SERVICE_UNREACHABLE` when GitHub does not answer
 *
 * @example
 * ```ts
 * await withRepositoryIds(['acme-corp/api'], directory); // ['acme-corp@1000100/api@2000006']
 * ```
 */
export async function withRepositoryIds(
  repositories: readonly string[],
  directory: RepositoryDirectory
): Promise<string[]> {
  const out: string[] = [];
  for (const text of repositories) {
    const named = NAMED.exec(text.trim());
    if (named === null) {
      out.push(text);
      continue;
    }
    const [, owner = '', name = ''] = named;
    const found = await directory.byName(owner, name);
    if (found.kind === 'unchecked')
      throw new OidcwatchError(
        'ERR_SERVICE_UNREACHABLE',
        `policy: cannot look up the ids of ${owner}/${name} on GitHub: ${found.reason}`
      );
    if (found.kind === 'missing' || found.kind === 'moved')
      throw new OidcwatchError(
        'ERR_POLICY_REQUEST_INVALID',
        found.kind === 'moved'
          ? `--repo "${text}": GitHub redirects ${owner}/${name} to repository id ${found.id} (renamed or transferred): name the repository as it is called now`
          : `--repo "${text}": GitHub has no repository ${owner}/${name} these credentials can see (${found.why}); give --repo ${owner}@OWNER_ID/${name}@REPO_ID`
      );
    if (`${found.owner}/${found.name}`.toLowerCase() !== `${owner}/${name}`.toLowerCase())
      throw new OidcwatchError(
        'ERR_POLICY_REQUEST_INVALID',
        `--repo "${text}": ${owner}/${name} is now ${found.owner}/${found.name} on GitHub (renamed or transferred): name the repository as it is called now`
      );
    out.push(`${found.owner}@${found.ownerId}/${found.name}@${found.id}`);
  }
  return out;
}
