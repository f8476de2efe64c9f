/**
 * Checks the input paths a command was given before it prints anything: a path that cannot be
 * read stops the command with exit 1 and nothing on stdout, so a script reading stdout never
 * mistakes "0 records, no failures" for an all-clear.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { OidcwatchError } from '../../domain/errors.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
};

/**
 * Throws when one of `paths` (files or directories; `-` is stdin) cannot be read.
 *
 * @throws OidcwatchError `ERR_INPUT_UNREADABLE` naming the path and why
 */
export async function checkInputPaths(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    if (path === '-') continue;
    try {
      await access(path, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      throw new OidcwatchError(
        'ERR_INPUT_UNREADABLE',
        `cannot read ${path}: ${REASONS[code] ?? (e as Error).message}`,
        { cause: e }
      );
    }
  }
}
