/**
 * Change correlation as the pipeline uses it: the store the changes come from, how far back they
 * count, and a hook that lets the processor drop cache entries that other function instances'
 * changes made stale.
 */
import type { ConfigurationChange } from '../domain/changes/change-types.js';
import { callTargetKeys } from '../domain/changes/target-keys.js';
import type { OidcCall } from '../domain/types.js';
import type { ChangeStore } from '../ports.js';

/** Default correlation window: a day. A change is judged on evidence, so a wide window is safe. */
export const DEFAULT_CHANGE_WINDOW_MS = 24 * 60 * 60_000;

/** Change correlation for `diagnoseRecord`. */
export interface ChangeContext {
  readonly store: ChangeStore;
  /** How far back before a failure a change may be, ms. */
  readonly windowMs: number;
  /**
   * Called with the changes of a failed call's role and provider before IAM is read for it; the
   * changes it returns are the ones correlated. The processor drops the cache entries of changes
   * it has not applied yet, and completes a change whose old configuration it alone had cached.
   */
  readonly onChanges?: (
    changes: readonly ConfigurationChange[]
  ) => Promise<readonly ConfigurationChange[]>;
  /** Called when the store cannot be read (the failure is then diagnosed without correlation). */
  readonly onLookupFailed?: (reason: string) => void;
}

/**
 * The recorded changes of a call's role and provider: only for failed web-identity calls (nothing
 * else is annotated).
 *
 * @example
 * ```ts
 * const changes = await changesForCall(call, { store, windowMs: DEFAULT_CHANGE_WINDOW_MS });
 * ```
 */
export async function changesForCall(
  call: OidcCall,
  ctx: ChangeContext | undefined
): Promise<readonly ConfigurationChange[]> {
  if (
    ctx === undefined ||
    call.errorCode === null ||
    call.eventName !== 'AssumeRoleWithWebIdentity'
  )
    return [];
  const reads = await Promise.all(callTargetKeys(call).map((key) => ctx.store.changesOf(key)));
  const changes: ConfigurationChange[] = [];
  for (const read of reads) {
    if (read.ok) changes.push(...read.value);
    else ctx.onLookupFailed?.(read.reason);
  }
  if (changes.length === 0 || ctx.onChanges === undefined) return changes;
  return ctx.onChanges(changes);
}
