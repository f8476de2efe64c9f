/**
 * `backfill`'s IAM configuration changes: the eight IAM calls of `CHANGE_EVENT_NAMES`, read from
 * CloudTrail's event history in us-east-1 (IAM is global; its events are recorded there), one
 * `LookupEvents` by event name each, from a change window before the backfill window to its end.
 * They are recorded oldest first into an in-memory store, each learning its old configuration
 * from the one before it, and the failures read afterwards are correlated with them.
 */
import { MemoryChangeStore } from '../../adapters/changes/memory-change-store.js';
import { CHANGE_EVENT_NAMES, type ConfigurationChange } from '../../domain/changes/change-types.js';
import { readChange } from '../../domain/changes/read-change.js';
import { IAM_EVENTS_REGION } from '../../domain/event-pattern.js';
import type { ChangeContext } from '../change-context.js';
import { recordHistory } from '../record-change.js';
import type { CloudTrailHistory } from './cloudtrail-history.js';

/** CloudTrail's event history reaches back 90 days. */
const HISTORY_MS = 90 * 86_400_000;

/** What was read. */
export interface CollectedChanges {
  /** The correlation context for `collectHistory`. */
  readonly context: ChangeContext;
  /** The changes, oldest first. */
  readonly changes: readonly ConfigurationChange[];
  /** Records that were IAM calls of these names but not usable changes (failed calls, unreadable). */
  readonly skipped: number;
}

/**
 * Reads the IAM configuration changes of `[start − windowMs, end]` (never beyond the 90 days of
 * history). Throws what the history throws (`OidcwatchError` when AWS cannot be read); stops, with
 * what was read, when `signal` aborts.
 *
 * @example
 * ```ts
 * const { context } = await collectChanges({ start, end, now, windowMs: 86_400_000 }, { history });
 * await collectHistory({ ...query, changes: context }, { history, reader });
 * ```
 */
export async function collectChanges(
  query: {
    readonly start: Date;
    readonly end: Date;
    readonly now: Date;
    readonly windowMs: number;
  },
  deps: { readonly history: CloudTrailHistory; readonly signal?: AbortSignal }
): Promise<CollectedChanges> {
  const start = new Date(
    Math.max(query.start.getTime() - query.windowMs, query.now.getTime() - HISTORY_MS)
  );
  const read: ConfigurationChange[] = [];
  let skipped = 0;
  for (const eventName of CHANGE_EVENT_NAMES) {
    if (deps.signal?.aborted) break;
    const pages = deps.history.pages(
      { region: IAM_EVENTS_REGION, eventName, start, end: query.end },
      deps.signal
    );
    try {
      for await (const page of pages)
        for (const e of page.events) {
          let value: unknown;
          try {
            value = JSON.parse(e.cloudTrailEvent ?? '');
          } catch {
            skipped++;
            continue;
          }
          const outcome = readChange(value);
          if (outcome.kind === 'change') read.push(outcome.change);
          else skipped++;
        }
    } catch (error) {
      if (deps.signal?.aborted) break;
      throw error;
    }
  }
  const store = new MemoryChangeStore();
  const changes = await recordHistory(read, store);
  return { context: { store, windowMs: query.windowMs }, changes, skipped };
}
