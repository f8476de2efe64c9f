/**
 * Expands a parsed JSON value into the records it contains (README, "classify"). Containers are opened;
 * everything else, junk included, is passed through so the record reader can report it.
 */

/**
 * Keys of the arrays opened as lists of records: a CloudTrail log file (`Records`), and
 * `aws cloudtrail lookup-events` output (`Events`, whose elements carry the record as the string
 * `CloudTrailEvent`, read by `readRecord`).
 */
export const RECORD_LIST_KEYS = ['Records', 'Events'] as const;

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

/**
 * The elements of an array, of a log file's `Records`, of lookup-events' `Events`, or the rows of
 * a CloudTrail Lake `QueryResultRows` (each row, a list of one-column objects, merged into one
 * object); `undefined` for anything else.
 */
function containedItems(value: unknown): readonly unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of RECORD_LIST_KEYS) {
    if (!Object.hasOwn(value, key)) continue;
    const records: unknown = (value as Record<string, unknown>)[key];
    if (Array.isArray(records)) return records;
  }
  if (Object.hasOwn(value, 'QueryResultRows')) {
    const rows: unknown = (value as { QueryResultRows: unknown }).QueryResultRows;
    if (Array.isArray(rows)) return rows.map(mergeRow);
  }
  return undefined;
}

/** A Lake result row `[{"eventID":"…"},{"eventJson":"{…}"}]` as one object (a non-row as it is). */
function mergeRow(row: unknown): unknown {
  if (!Array.isArray(row)) return row;
  const merged: Record<string, unknown> = {};
  for (const cell of row)
    if (typeof cell === 'object' && cell !== null && !Array.isArray(cell))
      for (const [k, v] of Object.entries(cell)) if (k !== '__proto__') merged[k] = v;
  return merged;
}

export { expandRecords, MAX_EXPAND_DEPTH };
