/**
 * Where a record sits in the inputs (file, record number, byte offset, line), put on every
 * `MALFORMED_EVENT` result so that a person can find the bytes: the reader already says it for
 * bytes that are not JSON; this says it for JSON that is not a record.
 */
import type { InputItem } from '../../adapters/input/read-inputs.js';
import type { Diagnosis } from '../../domain/types.js';

type RecordItem = Extract<InputItem, { kind: 'record' }>;

/** `events.jsonl, record 7 (byte 4096, line 8)`: the same words the reader uses. */
export function placeOf(item: RecordItem): string {
  return `${item.source}, record ${item.index} (byte ${item.offset}, line ${item.line})`;
}

/**
 * `d` with the place of its record in front of its reason, when it is `MALFORMED_EVENT`; any other
 * result as it is.
 *
 * @example
 * ```ts
 * emit(placed(await diagnoseRecord(item.value, reader), item));
 * // MALFORMED_EVENT: "trail.json, record 3 (byte 812, line 1): record is a number, not a JSON object"
 * ```
 */
export function placed(d: Diagnosis, item: RecordItem): Diagnosis {
  if (d.cause !== 'MALFORMED_EVENT') return d;
  const where = placeOf(item);
  return { ...d, detail: `${where}: ${d.detail ?? ''}`, explanation: `${where}: ${d.explanation}` };
}
