/**
 * Evaluates an SNS subscription filter policy against a message, with SNS's documented semantics,
 * so that the delivery rules can say, at synthesis, whether a subscription lets through the
 * messages it is meant to receive. No library on npm does this; each behaviour below cites the
 * page it comes from, and the tests replay AWS's own examples.
 *
 * - Scope: `MessageAttributes` (the default) matches policy keys against message attributes;
 *   `MessageBody` against the properties of the JSON body, nested policy objects against nested
 *   properties. {@link https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html | Filter policy scope}
 * - Every policy key must match (AND); within a key, any listed condition (OR); `$or` joins whole
 *   sub-policies. A key absent from the message fails, except `exists: false`.
 *   {@link https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html | Subscription filter policies}
 *   {@link https://docs.aws.amazon.com/sns/latest/dg/and-or-logic.html | AND/OR logic}
 * - `exists: true` needs a non-null, non-empty value; `exists: false` "only matches if at least
 *   one attribute is present. An empty set of attributes results in the filter not matching".
 *   {@link https://docs.aws.amazon.com/sns/latest/dg/attribute-key-matching.html | Key matching}
 * - Exact strings, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` (values, or a prefix
 *   or suffix), numeric exact and `numeric` ranges; `String.Array` attributes and body arrays
 *   match when any element does.
 *   {@link https://docs.aws.amazon.com/sns/latest/dg/string-value-matching.html | String matching}
 *   {@link https://docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html | Numeric matching}
 * - A body policy assumes a well-formed JSON object body; any other body matches nothing.
 *   {@link https://docs.aws.amazon.com/sns/latest/dg/message-filtering.html | Message filtering}
 */

/** Where a filter policy applies. */
export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** A message attribute as SNS carries it. */
export interface SnsAttribute {
  readonly Type: 'String' | 'Number' | 'String.Array' | 'Binary';
  readonly Value: string;
}

/** A published message: its body and its attributes. */
export interface SnsMessageSample {
  readonly body: string;
  readonly attributes: Readonly<Record<string, SnsAttribute>>;
}

/** The verdict, with the key that decided it. */
export interface FilterVerdict {
  readonly matches: boolean;
  readonly reason: string;
}

/** A filter policy SNS would refuse, or one using an operator this evaluator does not know. */
export class FilterPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPolicyError';
  }
}

type Json = Record<string, unknown>;
type Scalar = string | number | boolean | null;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The values a key has in the message: `undefined` when the key is absent. */
type Lookup = (path: readonly string[]) => Scalar[] | undefined;

function attributeLookup(attributes: Readonly<Record<string, SnsAttribute>>): Lookup {
  return (path) => {
    const a = attributes[path.join('.')];
    if (a === undefined || path.length !== 1) return undefined;
    if (a.Type === 'Number') return [Number(a.Value)];
    if (a.Type === 'String.Array') {
      try {
        const parsed: unknown = JSON.parse(a.Value);
        if (Array.isArray(parsed)) return parsed.filter((x) => !isObject(x) && !Array.isArray(x));
      } catch {
        // Not an array: matched as text below.
      }
    }
    if (a.Type === 'Binary') return [];
    return [a.Value];
  };
}

function bodyLookup(body: Json): Lookup {
  return (path) => {
    let node: unknown = body;
    for (const key of path) {
      if (!isObject(node) || !(key in node)) return undefined;
      node = node[key];
    }
    if (Array.isArray(node)) return node.filter((x) => !isObject(x) && !Array.isArray(x));
    if (isObject(node)) return undefined;
    return [node as Scalar];
  };
}

function numericTest(spec: unknown[], n: number): boolean {
  if (spec.length === 0 || spec.length % 2 !== 0)
    throw new FilterPolicyError(
      `"numeric" needs operator/value pairs, got ${JSON.stringify(spec)}`
    );
  for (let i = 0; i < spec.length; i += 2) {
    const op = spec[i];
    const v = spec[i + 1];
    if (typeof v !== 'number') throw new FilterPolicyError(`"numeric" value must be a number`);
    const ok =
      op === '='
        ? n === v
        : op === '<'
          ? n < v
          : op === '<='
            ? n <= v
            : op === '>'
              ? n > v
              : op === '>='
                ? n >= v
                : null;
    if (ok === null)
      throw new FilterPolicyError(`"numeric" operator ${JSON.stringify(op)} is unknown`);
    if (!ok) return false;
  }
  return true;
}

function stringTest(spec: Json, s: string): boolean | null {
  if (typeof spec.prefix === 'string') return s.startsWith(spec.prefix);
  if (typeof spec.suffix === 'string') return s.endsWith(spec.suffix);
  if (typeof spec['equals-ignore-case'] === 'string')
    return s.toLowerCase() === spec['equals-ignore-case'].toLowerCase();
  return null;
}

/** Whether one condition holds for the key's values (`undefined`: key absent). */
function conditionHolds(
  condition: unknown,
  values: Scalar[] | undefined,
  attributeCount: number | null
): boolean {
  if (!isObject(condition)) {
    if (values === undefined) return false;
    if (typeof condition === 'number')
      return values.some((v) => Number(v) === condition && v !== '');
    return values.some((v) => v === condition);
  }
  const [op, ...more] = Object.keys(condition);
  if (op === undefined || more.length > 0)
    throw new FilterPolicyError(
      `a condition object has one operator, got ${JSON.stringify(condition)}`
    );
  const arg = condition[op];
  if (op === 'exists') {
    if (arg === false)
      return values === undefined && (attributeCount === null || attributeCount > 0);
    return values !== undefined && values.some((v) => v !== null && v !== '');
  }
  if (values === undefined) return false;
  if (op === 'prefix' || op === 'suffix' || op === 'equals-ignore-case') {
    if (isObject(arg) && op === 'prefix' && typeof arg['equals-ignore-case'] === 'string') {
      const p = arg['equals-ignore-case'].toLowerCase();
      return values.some((v) => typeof v === 'string' && v.toLowerCase().startsWith(p));
    }
    return values.some((v) => typeof v === 'string' && stringTest(condition, v) === true);
  }
  if (op === 'numeric') {
    if (!Array.isArray(arg)) throw new FilterPolicyError('"numeric" takes an array');
    return values.some((v) => typeof v === 'number' && numericTest(arg, v));
  }
  if (op === 'anything-but') {
    const excluded = (v: Scalar): boolean => {
      if (isObject(arg)) {
        if (typeof v !== 'string') return false;
        const t = stringTest(arg, v);
        if (t === null)
          throw new FilterPolicyError(`unknown "anything-but" form ${JSON.stringify(arg)}`);
        return t;
      }
      const list = Array.isArray(arg) ? arg : [arg];
      return list.some((x) => (typeof x === 'number' ? Number(v) === x : x === v));
    };
    return values.length > 0 && values.every((v) => !excluded(v));
  }
  throw new FilterPolicyError(`operator "${op}" is not one this evaluator knows`);
}

function policyMatches(
  policy: Json,
  path: readonly string[],
  lookup: Lookup,
  attributeCount: number | null,
  scope: FilterPolicyScope
): FilterVerdict {
  for (const [key, spec] of Object.entries(policy)) {
    if (key === '$or') {
      if (!Array.isArray(spec)) throw new FilterPolicyError('"$or" takes an array of policies');
      const branches = spec.map((b) => {
        if (!isObject(b)) throw new FilterPolicyError('"$or" takes an array of policies');
        return policyMatches(b, path, lookup, attributeCount, scope);
      });
      if (!branches.some((b) => b.matches))
        return {
          matches: false,
          reason: `no "$or" branch matches (${branches.map((b) => b.reason).join('; ')})`,
        };
      continue;
    }
    const here = [...path, key];
    if (isObject(spec)) {
      if (scope === 'MessageAttributes')
        throw new FilterPolicyError(`nested key "${here.join('.')}" needs the MessageBody scope`);
      const inner = policyMatches(spec, here, lookup, attributeCount, scope);
      if (!inner.matches) return inner;
      continue;
    }
    if (!Array.isArray(spec))
      throw new FilterPolicyError(`"${here.join('.')}" must list its conditions in an array`);
    const values = lookup(here);
    if (!spec.some((c) => conditionHolds(c, values, attributeCount))) {
      const had = values === undefined ? 'is absent' : `is ${JSON.stringify(values)}`;
      return {
        matches: false,
        reason: `"${here.join('.')}" ${had}, which ${JSON.stringify(spec)} rejects`,
      };
    }
  }
  return { matches: true, reason: 'every key of the policy matches' };
}

/**
 * Whether a subscription with `policy` in `scope` receives `message`.
 *
 * @throws FilterPolicyError for a policy SNS would refuse or an operator not known here
 * @example
 * ```ts
 * matchesFilterPolicy({ NewStateValue: ['ALARM'] }, 'MessageBody', { body: '{"NewStateValue":"ALARM"}', attributes: {} });
 * // { matches: true, reason: 'every key of the policy matches' }
 * ```
 */
export function matchesFilterPolicy(
  policy: unknown,
  scope: FilterPolicyScope,
  message: SnsMessageSample
): FilterVerdict {
  if (!isObject(policy)) throw new FilterPolicyError('a filter policy is a JSON object');
  if (scope === 'MessageAttributes') {
    const count = Object.keys(message.attributes).length;
    return policyMatches(policy, [], attributeLookup(message.attributes), count, scope);
  }
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return {
      matches: false,
      reason: 'the body is not JSON, which a MessageBody policy never matches',
    };
  }
  if (!isObject(body))
    return {
      matches: false,
      reason: 'the body is not a JSON object, which a MessageBody policy never matches',
    };
  return policyMatches(policy, [], bodyLookup(body), null, scope);
}
