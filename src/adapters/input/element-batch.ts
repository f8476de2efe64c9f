/**
 * Batch parsing of array elements: once the framer has seen how two elements of an array are
 * joined (`},{"eventVersion":` in a CloudTrail log file), it finds the last such join in the
 * buffer and hands everything before it to one `JSON.parse`: about twice as fast as scanning
 * the bytes first on CloudTrail-shaped records.
 *
 * Sound by construction: the slice starts at a known element boundary, so `JSON.parse` lexes it
 * exactly as the whole document would; `[slice]` parses only if the slice ends at a boundary of
 * the same array, and then its elements are exactly the document's. When the join was a false
 * match (a nested array of look-alike objects), an element is malformed, or a line starts with
 * `{` inside the slice, the batch is refused and the framer scans those elements one by one.
 */
import { Buffer } from 'node:buffer';
import { skipSpace } from './json-scan.js';

// Byte values, local so that hot loops never read them through a module loader's getters.
const LF = 0x0a;
const QUOTE = 0x22;
const COLON = 0x3a;
const RBRACE = 0x7d;
/** A line feed followed by `{`. */
const LINE_START = Buffer.from('\n{', 'latin1');

/** Longest first key accepted in a join. */
const MAX_KEY_BYTES = 64;
const BACKSLASH = 0x5c;

/**
 * The join between an element that ended just before `prevEnd` (with `}`) and the element that
 * starts with `{` at `start`: the bytes from that `}` to the colon after the next element's first
 * key, e.g. `},{"eventVersion":`. It holds an unescaped `"`, so in valid JSON it cannot match
 * inside a string.
 *
 * @returns A copy of the join, or `null` when the elements do not look alike enough.
 */
function learnJoin(buf: Buffer, prevEnd: number, start: number): Buffer | null {
  if (prevEnd < 1 || buf[prevEnd - 1] !== RBRACE) return null;
  const open = skipSpace(buf, start + 1);
  if (buf[open] !== QUOTE) return null;
  const close = buf.indexOf(QUOTE, open + 1);
  if (close < 0 || close - open > MAX_KEY_BYTES) return null;
  for (let k = open + 1; k < close; k++) if (buf[k] === BACKSLASH) return null;
  const colon = skipSpace(buf, close + 1);
  if (colon >= buf.length || buf[colon] !== COLON) return null;
  return Buffer.from(buf.subarray(prevEnd - 1, colon + 1));
}

/**
 * Parses the elements from `start` (an element's first byte) up to the last `join` in `buf`.
 *
 * @returns `null` when `buf` holds no join after `start`; else the index just past the last
 *   element of the slice, and its elements (`null` when the slice does not parse).
 */
function parseBatch(
  buf: Buffer,
  start: number,
  join: Buffer
): { readonly values: unknown[] | null; readonly end: number } | null {
  if (buf.length - start <= join.length) return null;
  const at = buf.lastIndexOf(join, buf.length - join.length);
  if (at <= start) return null;
  const end = at + 1;
  // The framer reads a line starting with `{` inside an element as a broken JSON Lines record;
  // leave such slices to it so that the outcome never depends on how the input was chunked.
  const slice = buf.subarray(start, end);
  if (slice.indexOf(LINE_START) >= 0) return { values: null, end };
  try {
    return { values: JSON.parse(`[${slice.toString('utf8')}]`) as unknown[], end };
  } catch {
    return { values: null, end };
  }
}

/** Line feeds in `buf[start…end)`; one native search when there are none (compact files). */
function countLineFeeds(buf: Buffer, start: number, end: number): number {
  const first = buf.subarray(start, end).indexOf(LF);
  if (first < 0) return 0;
  let count = 0;
  for (let k = start + first; k < end; k++) if (buf[k] === LF) count++;
  return count;
}

export { countLineFeeds, learnJoin, parseBatch };
