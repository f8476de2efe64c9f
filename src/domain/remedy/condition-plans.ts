/**
 * Patch plans on one condition value of a statement: add the value beside the others, or admit a
 * pattern under `StringLike` without turning a `StringEquals` clause into an AND of two clauses
 * (IAM ANDs the operators of a statement, so a second clause on the same key would demand both).
 */
import type { BaseOperator } from '../policy/operators.js';
import { hasWildcard } from '../policy/string-match.js';
import {
  addConditionValues,
  appendStatement,
  elementKey,
  freeSid,
  type PolicyDocument,
  removeConditionValue,
  statementCopy,
} from './document-patch.js';
import type { PatchPlan } from './patch-remedy.js';
import type { Remedy, RemedyEdit } from './remedy-types.js';
import type { PatchEnv } from './verify-patch.js';

/** A value of a condition clause, where it stands in the policy. */
export interface ValueTarget {
  /** The statement's index in the document. */
  readonly index: number;
  /** `"Sid"` or `#index`. */
  readonly statement: string;
  /** The operator as written. */
  readonly operator: string;
  readonly base: BaseOperator;
  /** The key as written. */
  readonly key: string;
  /** The policy's value nearest the job's. */
  readonly value: string;
  readonly variables: boolean;
}

/** `Operator["key"]`, as prose names a clause. */
export function clauseText(t: Pick<ValueTarget, 'operator' | 'key'>): string {
  return `${t.operator}["${t.key}"]`;
}

/** Plan: add `value` beside the values of the target's clause. */
export function addValuePlan(
  t: ValueTarget,
  value: string,
  summary: string,
  fallback: () => Remedy
): PatchPlan {
  return {
    summary,
    apply: (doc) => [addConditionValues(doc, t.index, t.operator, t.key, [value])],
    fallback,
    // A value beside the others of a positive condition only widens what the statement admits.
    additive: t.base !== 'Null' && !t.base.includes('Not'),
  };
}

function clausesOnKey(doc: PolicyDocument, index: number, key: string): [string, string[]][] {
  const st = statementCopy(doc, index);
  if (st === null) return [];
  const cond = st[elementKey(st, 'Condition')];
  if (typeof cond !== 'object' || cond === null) return [];
  const out: [string, string[]][] = [];
  for (const [operator, block] of Object.entries(cond as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null) continue;
    for (const [k, v] of Object.entries(block as Record<string, unknown>))
      if (k.toLowerCase() === key.toLowerCase())
        out.push([operator, (Array.isArray(v) ? v : [v]).map(String)]);
  }
  return out;
}

/**
 * Plan: admit `pattern` under `StringLike` on the target's key.
 * - The key's only clause is `StringLike` (any form): the pattern is added beside its values.
 * - The key's only clause is `StringEquals` and none of its other values has a `*` or `?`: all its
 *   values move to `StringLike`, where a value without wildcards still matches only itself, and
 *   the pattern is added (`literal`: the target's own value is the pattern, moved).
 * - Otherwise a new statement is added: a copy of the target's statement whose clauses on the key
 *   are replaced by `StringLike` with the pattern alone.
 */
export function likeValuePlan(
  env: PatchEnv,
  t: ValueTarget,
  pattern: string,
  summary: string,
  fallback: () => Remedy
): PatchPlan {
  return {
    summary,
    apply: (doc) => {
      const clauses = clausesOnKey(doc, t.index, t.key);
      const [only] = clauses;
      if (clauses.length === 1 && only !== undefined) {
        const [operator, values] = only;
        if (operator.toLowerCase().endsWith('stringlike'))
          return [addConditionValues(doc, t.index, operator, t.key, [pattern])];
        const others = values.filter((v) => v !== t.value);
        if (
          operator === 'StringEquals' &&
          others.every((v) => !hasWildcard(v, env.policy.variables))
        ) {
          const removed = values
            .map((v) => removeConditionValue(doc, t.index, operator, t.key, v))
            .filter((e): e is RemedyEdit => e !== null);
          const first = removed[0];
          const merged: RemedyEdit | null =
            first === undefined ? null : { ...first, removed: removed.flatMap((e) => e.removed) };
          return [
            merged,
            addConditionValues(doc, t.index, 'StringLike', t.key, [...values, pattern]),
          ];
        }
      }
      const copy = statementCopy(doc, t.index);
      if (copy === null) return [];
      const condKey = elementKey(copy, 'Condition');
      const cond = (copy[condKey] ?? {}) as Record<string, Record<string, unknown>>;
      for (const [operator, block] of Object.entries(cond)) {
        for (const k of Object.keys(block))
          if (k.toLowerCase() === t.key.toLowerCase()) delete block[k];
        if (Object.keys(block).length === 0) delete cond[operator];
      }
      cond.StringLike = { ...(cond.StringLike ?? {}), [t.key]: pattern };
      copy[condKey] = cond;
      const sidKey = elementKey(copy, 'Sid');
      const base = typeof copy[sidKey] === 'string' ? String(copy[sidKey]) : 'WebIdentity';
      const sid = freeSid(doc, `${base}Pattern`);
      const ordered = { [sidKey]: sid, ...copy, [sidKey]: sid };
      return [
        appendStatement(doc, ordered, [
          `copy of statement ${t.statement} with StringLike["${t.key}"] "${pattern}"`,
        ]),
      ];
    },
    fallback,
  };
}
