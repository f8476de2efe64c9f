/**
 * Expands a parsed JSON value into the records it contains (README, "classify"). Containers are opened;
 * everything else, junk included, is passed through so the record reader can report it.
 */

/** How many array / `Records` levels are opened before a value is passed through as is. */
const MAX_EXPAND_DEPTH = 4;

/**
 * The records one parsed JSON value contains.
 *
 * - a CloudTrail log file `{"Records": [...]}` gives its elements;
 * - a JSON array gives the records of each element, in order;
 * - anything else (an EventBridge envelope, a bare CloudTrail record, a number, a string, `null`)
 *   is one record: junk is kept so that the reader reports it as malformed instead of dropping it.
 *
 * An empty array or an empty `Records` gives nothing. Containers nested deeper than
 * {@link MAX_EXPAND_DEPTH} levels are passed through unopened.
 *
 * @param value - One parsed JSON value.
 * @param depth - How many containers the value already sits in, `0` by default (a streaming
 *   reader that has opened the outer array or `Records` itself passes `1`).
 * @returns The records, in input order.
 *
 * @example
 * ```ts
 * expandRecords({ Records: [a, b] }); // [a, b]
 * expandRecords([{ Records: [a] }, envelope]); // [a, envelope]
 * expandRecords(42); // [42]
 * ```
 */
function expandRecords(value: unknown, depth = 0): unknown[] {
  if (depth >= MAX_EXPAND_DEPTH) return [value];
  const items = containedItems(value);
  if (items === undefined) return [value];
  const out: unknown[] = [];
  for (const item of items) {
    const inner = containedItems(item);
    if (inner === undefined || depth + 1 >= MAX_EXPAND_DEPTH) out.push(item);
    else for (const record of expandRecords(item, depth + 1)) out.push(record);
  }
  return out;
}

/** The elements of an array or of a log file's `Records`; `undefined` for anything else. */
function containedItems(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && Object.hasOwn(value, 'Records')) {
    const records: unknown = (value as { Records: unknown }).Records;
    if (Array.isArray(records)) return records;
  }
  return undefined;
}

export { expandRecords, MAX_EXPAND_DEPTH };
