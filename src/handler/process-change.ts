/**
 * The processor's handling of IAM configuration changes: record the change (learning the old
 * configuration from the IAM cache or the previous change, then forgetting the cache entry at
 * once), log one line and count it. And the change context of failures: correlation against the
 * store, and cache entries dropped for changes other function instances recorded.
 */
import type { Logger } from 'pino';
import { logChange } from '../adapters/log/change-logger.js';
import type { ResultMetrics } from '../adapters/metrics/emf-result-metrics.js';
import { type ConfigurationChange, isProviderChange } from '../domain/changes/change-types.js';
import { resolveChange } from '../domain/changes/resolve-before.js';
import type { ChangeStore, IamCacheControl } from '../ports.js';
import type { ChangeContext } from '../usecases/change-context.js';
import { cachedStateOf, recordChange } from '../usecases/record-change.js';
import type { SeenEvents } from './seen-events.js';

/** What change tracking uses, built once per function instance. */
export interface ChangeTracking {
  readonly store: ChangeStore;
  /** The IAM cache to read the old configuration from and to invalidate. */
  readonly cache: IamCacheControl | null;
  /** How far back before a failure a change counts, ms. */
  readonly windowMs: number;
  /** Changes this instance has already applied to its cache (by event id, or target and time). */
  readonly applied: SeenEvents;
}

function appliedId(change: ConfigurationChange): string {
  return change.eventId ?? `${change.target.arn}@${change.eventTime}`;
}

function forget(change: ConfigurationChange, cache: IamCacheControl | null): void {
  if (cache === null) return;
  if (isProviderChange(change)) cache.invalidateProviders(change.account);
  else cache.invalidateRole(change.account, change.target.name);
}

/**
 * Records, logs and counts one change. Rejects when the store cannot be written (the event is
 * then retried, and the cache has already forgotten the old configuration).
 */
export async function processChange(
  change: ConfigurationChange,
  deps: {
    readonly changes: ChangeTracking;
    readonly logger: Logger;
    readonly metrics: ResultMetrics;
  }
): Promise<ConfigurationChange> {
  const { store, cache, applied } = deps.changes;
  const recorded = await recordChange(change, { store, cache });
  applied.checkAndRecord(appliedId(recorded));
  logChange(deps.logger, recorded);
  deps.metrics.recordChange?.(recorded);
  return recorded;
}

/**
 * A change another function instance recorded, seen by this one for the first time: when its old
 * configuration is unknown but this instance had it cached from before the change, the change is
 * completed from the cache and stored again, so every later failure is judged with it.
 */
async function completeFromCache(
  change: ConfigurationChange,
  tracking: ChangeTracking,
  logger: Logger
): Promise<ConfigurationChange> {
  if (change.beforeFrom !== 'event') return change;
  const cached = cachedStateOf(change, tracking.cache);
  if (cached === null) return change;
  const completed = resolveChange(change, { cached });
  if (completed.beforeFrom === 'event') return change;
  try {
    await tracking.store.record(completed);
  } catch (e) {
    logger.warn({ eventId: change.eventId, err: e }, 'oidcwatch.change_store_failed');
  }
  return completed;
}

/**
 * The change context of failures: changes another function instance recorded, and this one has
 * not applied yet, make it forget the role or provider before IAM is read for the failure (and
 * are completed from its cache when only it knew the old configuration).
 */
export function changeContextOf(tracking: ChangeTracking, logger: Logger): ChangeContext {
  return {
    store: tracking.store,
    windowMs: tracking.windowMs,
    onChanges: async (changes) => {
      const out: ConfigurationChange[] = [];
      for (const c of changes) {
        if (tracking.applied.checkAndRecord(appliedId(c))) {
          out.push(c);
          continue;
        }
        const completed = await completeFromCache(c, tracking, logger);
        forget(c, tracking.cache);
        out.push(completed);
      }
      return out;
    },
    onLookupFailed: (reason) => logger.warn({ reason }, 'oidcwatch.change_lookup_failed'),
  };
}
