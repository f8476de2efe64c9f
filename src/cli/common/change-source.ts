/**
 * `--changes FILE…` and `--change-window MINUTES`, shared by `classify` and `report`: the
 * CloudTrail records of IAM configuration changes (any input form `classify` reads), loaded
 * into an in-memory store in time order, so each change learns its old configuration from the
 * one before it. The first change of a role or provider in the files has no old configuration to
 * compare with: failures it might explain are named as `unverified`.
 */
import { MemoryChangeStore } from '../../adapters/changes/memory-change-store.js';
import { readInputBatches } from '../../adapters/input/read-inputs.js';
import type { ConfigurationChange } from '../../domain/changes/change-types.js';
import { readChange } from '../../domain/changes/read-change.js';
import { OidcwatchError } from '../../domain/errors.js';
import { type ChangeContext, DEFAULT_CHANGE_WINDOW_MS } from '../../usecases/change-context.js';
import { recordHistory } from '../../usecases/record-change.js';
import type { CliIo } from '../io.js';

/** The help lines of the two options. */
export const CHANGES_HELP = `  --changes FILE       CloudTrail records of IAM configuration changes (trust policies, roles,
                       OIDC providers; repeatable): failures are annotated with the change
                       that explains them
  --change-window MIN  how long before a failure a change counts (default: 1440 minutes)
`;

/** The `parseArgs` options of the two. */
export const CHANGES_OPTIONS = {
  changes: { type: 'string', multiple: true },
  'change-window': { type: 'string' },
} as const;

/** The window in ms from `--change-window`, or a usage error naming it. */
function windowMs(command: string, raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CHANGE_WINDOW_MS;
  const minutes = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(minutes) || minutes < 1)
    throw new OidcwatchError(
      'ERR_USAGE',
      `${command}: --change-window must be a whole number of minutes ≥ 1, got "${raw}"`
    );
  return minutes * 60_000;
}

/**
 * The change context of `--changes` (none when not given). Unreadable files are usage errors;
 * records that are not IAM configuration changes are counted on stderr and left out.
 *
 * @example
 * ```ts
 * const changes = await changeContextFromFiles('classify', values.changes, values['change-window'], io);
 * await diagnoseRecord(record, reader, { changes });
 * ```
 */
export async function changeContextFromFiles(
  command: string,
  paths: readonly string[] | undefined,
  window: string | undefined,
  io: Pick<CliIo, 'stderr'>
): Promise<ChangeContext | undefined> {
  const ms = windowMs(command, window);
  if (paths === undefined || paths.length === 0) return undefined;
  if (paths.includes('-'))
    throw new OidcwatchError(
      'ERR_USAGE',
      `${command}: --changes needs a file or directory, not stdin`
    );
  const changes: ConfigurationChange[] = [];
  let other = 0;
  for await (const batch of readInputBatches(paths))
    for (const item of batch) {
      if (item.kind === 'unreadable')
        throw new OidcwatchError('ERR_USAGE', `${command}: --changes: ${item.reason}`);
      if (item.kind === 'malformed') {
        io.stderr.write(`oidcwatch ${command}: --changes: ${item.reason}\n`);
        continue;
      }
      const read = readChange(item.value);
      if (read.kind === 'change') changes.push(read.change);
      else if (read.kind === 'other') other++;
      else
        io.stderr.write(
          `oidcwatch ${command}: --changes: ${item.source}, record ${item.index}: ${read.reason}\n`
        );
    }
  if (other > 0)
    io.stderr.write(
      `oidcwatch ${command}: --changes: ${other} record(s) are not IAM configuration changes and were left out\n`
    );
  const store = new MemoryChangeStore();
  await recordHistory(changes, store);
  return { store, windowMs: ms };
}
