/**
 * Records one IAM configuration change: learn what was there before (the IAM cache, loaded before
 * the change, or the previous recorded change of the same role or provider), make the cache forget
 * the role or provider at once (so the next failure is judged against the new configuration, not
 * after the cache TTL), and store the change for correlation.
 */
import type { ConfigurationChange } from '../domain/changes/change-types.js';
import { isProviderChange } from '../domain/changes/change-types.js';
import {
  type CachedState,
  providerStateOf,
  resolveChange,
  roleStateOf,
} from '../domain/changes/resolve-before.js';
import { targetKey } from '../domain/changes/target-keys.js';
import type { ChangeStore, IamCacheControl } from '../ports.js';

/** What recording a change uses. */
export interface ChangeRecording {
  readonly store: ChangeStore;
  /** The processor's IAM cache; `null` where there is none (the CLI). */
  readonly cache: IamCacheControl | null;
}

/** What the IAM cache holds for a change's role or provider (`null`: nothing, or no cache). */
export function cachedStateOf(
  change: ConfigurationChange,
  cache: IamCacheControl | null
): CachedState | null {
  if (cache === null) return null;
  if (isProviderChange(change)) {
    const hit = cache.peekProviders(change.account);
    return hit === undefined
      ? null
      : {
          kind: 'provider',
          state: providerStateOf(hit.value, change.target),
          loadedAtMs: hit.loadedAtMs,
        };
  }
  const hit = cache.peekRole(change.account, change.target.name);
  return hit === undefined
    ? null
    : { kind: 'role', state: roleStateOf(hit.value), loadedAtMs: hit.loadedAtMs };
}

/** The latest recorded change of the same target made before `change`, if the store has one. */
async function previousOf(
  change: ConfigurationChange,
  store: ChangeStore
): Promise<ConfigurationChange | null> {
  const read = await store.changesOf(targetKey(change.target));
  if (!read.ok) return null;
  const at = Date.parse(change.eventTime);
  return (
    read.value.find(
      (c) => (c.eventId === null || c.eventId !== change.eventId) && Date.parse(c.eventTime) <= at
    ) ?? null
  );
}

/**
 * Records a change and returns it completed (`before`, `diff`, `beforeFrom`). The cache is
 * invalidated before the store is written, so a store failure (which rejects) never leaves the
 * old configuration cached.
 *
 * @example
 * ```ts
 * const recorded = await recordChange(change, { store, cache: deps.iam });
 * recorded.diff; // [{ element: 'Condition', removed: ['repo:acme/api:ref:refs/heads/main'], … }]
 * ```
 */
export async function recordChange(
  change: ConfigurationChange,
  deps: ChangeRecording
): Promise<ConfigurationChange> {
  const cached = cachedStateOf(change, deps.cache);
  const previous = await previousOf(change, deps.store);
  const resolved = resolveChange(change, { cached, previous });
  if (deps.cache !== null) {
    if (isProviderChange(resolved)) deps.cache.invalidateProviders(resolved.account);
    else deps.cache.invalidateRole(resolved.account, resolved.target.name);
  }
  await deps.store.record(resolved);
  return resolved;
}

/**
 * Records changes read from history (a file, CloudTrail's event history) oldest first, so each
 * learns its old configuration from the one before it; returns them completed, oldest first.
 *
 * @example
 * ```ts
 * const store = new MemoryChangeStore();
 * await recordHistory(changesReadFromFile, store);
 * ```
 */
export async function recordHistory(
  changes: readonly ConfigurationChange[],
  store: ChangeStore
): Promise<ConfigurationChange[]> {
  const ordered = [...changes].sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  const out: ConfigurationChange[] = [];
  for (const change of ordered) out.push(await recordChange(change, { store, cache: null }));
  return out;
}
