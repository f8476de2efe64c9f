/**
 * Expands a directory into the input files under it, lazily and in a stable order.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Names taken from a directory: JSON, JSON Lines and gzip (CloudTrail's `.json.gz`). */
const INPUT_FILE_NAME = /\.(json|jsonl|ndjson|gz)$/i;

/** A file to read, or a path that could not be listed or followed. */
type ListedFile =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'error'; readonly path: string; readonly error: unknown };

/**
 * The input files under `dir`, recursively, sorted by name within each directory (a
 * subdirectory's files come at the subdirectory's place in that order). Only `*.json`,
 * `*.jsonl`, `*.ndjson` and `*.gz` (so also `*.json.gz`, `*.jsonl.gz`) are taken. Symbolic
 * links are followed; a directory reached twice (a link loop) is listed once.
 *
 * @param dir - The directory, as given by the user; yielded paths start with it.
 *
 * @example
 * ```ts
 * for await (const f of listInputFiles('logs')) if (f.kind === 'file') read(f.path);
 * ```
 */
async function* listInputFiles(dir: string): AsyncGenerator<ListedFile> {
  yield* walk(dir, new Set());
}

async function* walk(dir: string, seen: Set<string>): AsyncGenerator<ListedFile> {
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    yield { kind: 'error', path: dir, error };
    return;
  }
  entries.sort((a, b) => byCodeUnit(a.name, b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    const wanted = INPUT_FILE_NAME.test(entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        isDirectory = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        if (wanted) yield { kind: 'error', path, error };
        continue;
      }
    }
    if (isDirectory) yield* walk(path, seen);
    else if (wanted && isFile) yield { kind: 'file', path };
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export { INPUT_FILE_NAME, type ListedFile, listInputFiles };
