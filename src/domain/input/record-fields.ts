/**
 * Type-safe reads of the few CloudTrail fields the reader needs. Only own properties are read, so
 * `toString` or `__proto__` on a record never passes for data.
 */

/** A JSON object (not an array, not `null`). */
type JsonObject = Readonly<Record<string, unknown>>;

/**
 * The value as a JSON object, or `null` when it is anything else (arrays included).
 *
 * @param value - any value
 * @returns the object, or `null`
 *
 * @example
 * ```ts
 * asObject([]); // null
 * ```
 */
function asObject(value: unknown): JsonObject | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  return value as JsonObject;
}

/**
 * An own property of an object; `undefined` when the object is `null` or lacks it.
 *
 * @param object - the object, or `null`
 * @param key - the property name
 * @returns the property's value
 *
 * @example
 * ```ts
 * field({ a: 1 }, 'a'); // 1
 * ```
 */
function field(object: JsonObject | null, key: string): unknown {
  return object !== null && Object.hasOwn(object, key) ? object[key] : undefined;
}

/**
 * An own property that is a non-empty string; `null` otherwise.
 *
 * @param object - the object, or `null`
 * @param key - the property name
 * @returns the string, or `null`
 *
 * @example
 * ```ts
 * text({ eventName: 'AssumeRole' }, 'eventName'); // 'AssumeRole'
 * ```
 */
function text(object: JsonObject | null, key: string): string | null {
  const value = field(object, key);
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * An own property that is an object; `null` otherwise.
 *
 * @param object - the object, or `null`
 * @param key - the property name
 * @returns the nested object, or `null`
 *
 * @example
 * ```ts
 * child({ userIdentity: { type: 'WebIdentityUser' } }, 'userIdentity'); // { type: … }
 * ```
 */
function child(object: JsonObject | null, key: string): JsonObject | null {
  return asObject(field(object, key));
}

/**
 * An own property that is an array; empty otherwise.
 *
 * @param object - the object, or `null`
 * @param key - the property name
 * @returns the array's items
 *
 * @example
 * ```ts
 * items({ resources: [{ type: 'AWS::IAM::Role' }] }, 'resources').length; // 1
 * ```
 */
function items(object: JsonObject | null, key: string): readonly unknown[] {
  const value = field(object, key);
  return Array.isArray(value) ? value : [];
}

export type { JsonObject };
export { asObject, child, field, items, text };
