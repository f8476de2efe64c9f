/**
 * The condition-level difference between two trust policies, and between two provider states:
 * for each effect × operator × key, the values added and removed (taken over all statements of
 * that effect, as IAM ORs statements), plus `Principal.Federated` and `Action`; for providers the
 * client-ID and thumbprint lists.
 */
import { readTrustPolicy, type TrustPolicy } from '../policy/parse-policy.js';
import type { PolicyDelta } from '../types.js';
import {
  type ConfigurationChange,
  isProviderChange,
  type ProviderState,
  type RoleState,
} from './change-types.js';

type Slot = Omit<PolicyDelta, 'added' | 'removed'>;

/** Every value of a policy, by slot (in document order). */
function valuesBySlot(policy: TrustPolicy): Map<string, { slot: Slot; values: string[] }> {
  const out = new Map<string, { slot: Slot; values: string[] }>();
  const add = (slot: Slot, values: readonly string[]) => {
    const id = JSON.stringify([slot.effect, slot.element, slot.operator, slot.key]);
    let entry = out.get(id);
    if (entry === undefined) {
      entry = { slot, values: [] };
      out.set(id, entry);
    }
    for (const v of values) if (!entry.values.includes(v)) entry.values.push(v);
  };
  for (const st of policy.statements) {
    if (st.effect === null) continue;
    const effect = st.effect;
    if (st.principal !== null && st.principal !== '*')
      add(
        { element: 'Principal.Federated', effect, operator: null, key: null },
        st.principal.federated
      );
    if (st.action !== null)
      add({ element: 'Action', effect, operator: null, key: null }, st.action);
    for (const c of st.conditions)
      add(
        { element: 'Condition', effect, operator: c.operator, key: c.key.toLowerCase() },
        c.values
      );
  }
  return out;
}

function order(a: PolicyDelta, b: PolicyDelta): number {
  const ka = [a.effect ?? '', a.element, a.operator ?? '', a.key ?? ''].join('\u0000');
  const kb = [b.effect ?? '', b.element, b.operator ?? '', b.key ?? ''].join('\u0000');
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * The difference between two trust policies; `null` policy stands for "no policy" (a role that
 * does not exist). `null` when either document is unreadable.
 *
 * @example
 * ```ts
 * diffTrustPolicies(oldDoc, newDoc);
 * // [{ element: 'Condition', effect: 'Allow', operator: 'StringEquals',
 * //    key: 'token.actions.githubusercontent.com:sub', added: [], removed: ['repo:acme/api:ref:refs/heads/main'] }]
 * ```
 */
export function diffTrustPolicies(
  before: unknown | null,
  after: unknown | null
): PolicyDelta[] | null {
  const read = (doc: unknown | null) => {
    if (doc === null) return new Map<string, { slot: Slot; values: string[] }>();
    const r = readTrustPolicy(doc);
    return r.ok ? valuesBySlot(r.policy) : null;
  };
  const old = read(before);
  const now = read(after);
  if (old === null || now === null) return null;
  const deltas: PolicyDelta[] = [];
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const was = old.get(id)?.values ?? [];
    const is = now.get(id)?.values ?? [];
    const slot = (now.get(id) ?? old.get(id))?.slot as Slot;
    const added = is.filter((v) => !was.includes(v));
    const removed = was.filter((v) => !is.includes(v));
    if (added.length > 0 || removed.length > 0) deltas.push({ ...slot, added, removed });
  }
  return deltas.sort(order);
}

function listDelta(
  element: string,
  before: readonly string[] | null,
  after: readonly string[] | null
): PolicyDelta | null | undefined {
  if (before === null || after === null) return undefined;
  const added = after.filter((v) => !before.includes(v));
  const removed = before.filter((v) => !after.includes(v));
  if (added.length === 0 && removed.length === 0) return null;
  return { element, effect: null, operator: null, key: null, added, removed };
}

/** A provider's lists as a state holds them: nothing when it does not exist. */
function lists(s: ProviderState): {
  clientIds: readonly string[] | null;
  thumbprints: readonly string[] | null;
} {
  return s.exists === false ? { clientIds: [], thumbprints: [] } : s;
}

/** The difference between two provider states; `null` when neither list can be compared. */
export function diffProviders(before: ProviderState, after: ProviderState): PolicyDelta[] | null {
  const b = lists(before);
  const a = lists(after);
  const clients = listDelta('ClientIDList', b.clientIds, a.clientIds);
  const thumbs = listDelta('ThumbprintList', b.thumbprints, a.thumbprints);
  if (clients === undefined && thumbs === undefined) return null;
  return [clients, thumbs].filter((d): d is PolicyDelta => d !== null && d !== undefined);
}

function roleDocument(s: RoleState): unknown | null | undefined {
  if (s.exists === false) return null;
  return s.trustPolicy === null ? undefined : s.trustPolicy;
}

/**
 * The diff of a change from its `before` and `after`; `null` while either side is unknown.
 *
 * @example
 * ```ts
 * const withDiff = { ...change, diff: changeDiff(change) };
 * ```
 */
export function changeDiff(change: ConfigurationChange): PolicyDelta[] | null {
  if (isProviderChange(change)) return diffProviders(change.before, change.after);
  const before = roleDocument(change.before);
  const after = roleDocument(change.after);
  if (before === undefined || after === undefined) return null;
  return diffTrustPolicies(before, after);
}
