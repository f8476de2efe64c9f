/**
 * Completes a change with what was known before it. The event never carries the old trust policy
 * or the old provider lists: they come from the processor's IAM cache (loaded before the change),
 * or from the previous recorded change of the same role or provider. When neither is known the
 * `before` stays as the event alone implies (e.g. a created role did not exist), and says so.
 */
import type { OidcProviderInfo, RoleInfo } from '../types.js';
import {
  type ConfigurationChange,
  isProviderChange,
  type ProviderChange,
  type ProviderState,
  type ProviderTarget,
  type RoleChange,
  type RoleState,
  UNKNOWN_PROVIDER,
} from './change-types.js';
import { changeDiff } from './policy-diff.js';
import { policyDocumentOf } from './policy-document.js';

/** What the IAM cache held for a change's target, and when it was loaded (ms since the epoch). */
export type CachedState =
  | { readonly kind: 'role'; readonly state: RoleState; readonly loadedAtMs: number }
  | { readonly kind: 'provider'; readonly state: ProviderState; readonly loadedAtMs: number };

/** What may be known about the configuration before a change. */
export interface PriorKnowledge {
  readonly cached?: CachedState | null;
  /** The latest recorded change of the same target (any time; later ones are not used). */
  readonly previous?: ConfigurationChange | null;
}

/** A role as the IAM cache holds it (`null`: IAM said it does not exist). */
export function roleStateOf(info: RoleInfo | null): RoleState {
  return info === null
    ? { exists: false, trustPolicy: null }
    : { exists: true, trustPolicy: policyDocumentOf(info.trustPolicy) };
}

/** A provider as an account's cached provider list shows it (absent from the list: none). */
export function providerStateOf(
  providers: readonly OidcProviderInfo[],
  target: Pick<ProviderTarget, 'arn' | 'url'>
): ProviderState {
  const url = target.url.toLowerCase();
  const p = providers.find((x) => x.arn === target.arn || x.url.toLowerCase() === url);
  return p === undefined
    ? { ...UNKNOWN_PROVIDER, exists: false }
    : { ...UNKNOWN_PROVIDER, exists: true, clientIds: p.clientIds, thumbprints: p.thumbprints };
}

function timeMs(iso: string): number {
  return Date.parse(iso);
}

/** The most recent knowledge from before the change, with its source. */
function latestKnown(
  change: ConfigurationChange,
  prior: PriorKnowledge
): { state: RoleState | ProviderState; from: 'iam-cache' | 'previous-change' } | null {
  const at = timeMs(change.eventTime);
  const options: {
    state: RoleState | ProviderState;
    from: 'iam-cache' | 'previous-change';
    ms: number;
  }[] = [];
  const { cached, previous } = prior;
  if (cached && cached.kind === change.target.kind && cached.loadedAtMs < at)
    options.push({ state: cached.state, from: 'iam-cache', ms: cached.loadedAtMs });
  if (previous && previous.eventId !== change.eventId && timeMs(previous.eventTime) <= at) {
    // A role deleted and created again is compared with the role as it was before the deletion.
    const recreated = change.eventName === 'CreateRole' && previous.eventName === 'DeleteRole';
    options.push({
      state: recreated ? previous.before : previous.after,
      from: 'previous-change',
      ms: timeMs(previous.eventTime),
    });
  }
  options.sort((a, b) => b.ms - a.ms);
  return options[0] ?? null;
}

function resolveRole(change: RoleChange, known: RoleState): RoleChange {
  const recreated = change.eventName === 'CreateRole' && known.exists === true;
  const before: RoleState = recreated
    ? known
    : {
        exists: change.before.exists ?? known.exists,
        trustPolicy:
          change.before.exists !== false && known.exists === true
            ? known.trustPolicy
            : change.before.trustPolicy,
      };
  return { ...change, before };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...a, ...b.filter((x) => !a.includes(x))];
}

function resolveProvider(change: ProviderChange, known: ProviderState): ProviderChange {
  const e = change.before;
  const exists = e.exists ?? known.exists;
  const carry = exists !== false && known.exists === true;
  const before: ProviderState = {
    exists,
    clientIds: carry ? known.clientIds : e.clientIds,
    withClientIds: carry ? known.withClientIds : e.withClientIds,
    withoutClientIds: carry ? known.withoutClientIds : e.withoutClientIds,
    thumbprints: carry ? known.thumbprints : e.thumbprints,
  };
  return { ...change, before, after: applyTo(before, change.after) };
}

/** The provider after a change that only names what it added or removed, given what was before. */
function applyTo(before: ProviderState, after: ProviderState): ProviderState {
  if (after.exists !== true || before.exists !== true) return after;
  const clientIds =
    after.clientIds ??
    (before.clientIds === null
      ? null
      : union(before.clientIds, after.withClientIds).filter(
          (c) => !after.withoutClientIds.includes(c)
        ));
  return {
    exists: true,
    clientIds,
    withClientIds: union(
      before.withClientIds.filter((c) => !after.withoutClientIds.includes(c)),
      after.withClientIds
    ),
    withoutClientIds: union(
      before.withoutClientIds.filter((c) => !after.withClientIds.includes(c)),
      after.withoutClientIds
    ),
    thumbprints: after.thumbprints ?? before.thumbprints,
  };
}

/**
 * The change with `before` completed from the most recent knowledge older than it (the IAM cache
 * entry or the previous change), `after` completed for the provider calls that only name a delta,
 * and the diff computed. Knowledge from after the change is never used: a cache entry loaded after
 * it already holds the new configuration.
 *
 * @example
 * ```ts
 * const cached = { kind: 'role', state: roleStateOf(cachedRole), loadedAtMs } as const;
 * const full = resolveChange(change, { cached, previous: lastChangeOfRole });
 * full.diff; // [{ element: 'Condition', …, removed: ['repo:acme/api:ref:refs/heads/main'] }]
 * ```
 */
export function resolveChange(
  change: ConfigurationChange,
  prior: PriorKnowledge
): ConfigurationChange {
  const known = latestKnown(change, prior);
  if (known === null) return change;
  const resolved = isProviderChange(change)
    ? resolveProvider(change, known.state as ProviderState)
    : resolveRole(change, known.state as RoleState);
  return { ...resolved, beforeFrom: known.from, diff: changeDiff(resolved) };
}
