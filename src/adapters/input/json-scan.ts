/**
 * Byte-level JSON scanning primitives for the record framer. They find where a value ends without
 * parsing it, resumably across chunks. Every structural JSON byte is ASCII and every byte of a
 * UTF-8 multibyte sequence is ≥ 0x80, so scanning bytes is safe.
 */

/** `"` */
const QUOTE = 0x22;
/** `\` */
const BACKSLASH = 0x5c;
/** `{` */
const LBRACE = 0x7b;
/** `}` */
const RBRACE = 0x7d;
/** `[` */
const LBRACKET = 0x5b;
/** `]` */
const RBRACKET = 0x5d;
/** `,` */
const COMMA = 0x2c;
/** `:` */
const COLON = 0x3a;
/** Line feed. */
const LF = 0x0a;
/** Carriage return. */
const CR = 0x0d;
/** Space. */
const SPACE = 0x20;
/** Horizontal tab. */
const TAB = 0x09;

/** Returned when the value continues past the bytes available. */
const NEED_MORE = -1;
/** Returned when a line starting with `{` interrupts an unfinished value (JSON Lines recovery). */
const LINE_BREAK = -2;
/** Returned by {@link matchRecordsPrefix} when the object does not start with a `Records` array. */
const NO_MATCH = -3;

/** Where a scan stopped and what it was inside, kept between chunks. */
interface ScanState {
  /** Open `{`/`[` not yet closed. */
  depth: number;
  inString: boolean;
  /** The chunk ended right after a `\` inside a string. */
  escape: boolean;
  /**
   * A top-level value (JSON Lines): a line starting with `[`, or with a `"` that does not open a
   * key, also starts the next record. Inside arrays only a line starting with `{` does.
   */
  strictLines: boolean;
  /** 1-based line number at {@link ScanState.stop}. */
  line: number;
  /** Index to resume at (after {@link NEED_MORE}) or of the breaking newline ({@link LINE_BREAK}). */
  stop: number;
}

/**
 * Scans a JSON value (object, array or string) from `state.stop` and returns the index just past
 * its end, {@link NEED_MORE}, or {@link LINE_BREAK}.
 *
 * A raw newline directly followed by `{` inside an unfinished value means a broken JSON Lines
 * record: pretty-printers always indent nested lines, so such a line starts the next record.
 * A raw newline is never valid inside a JSON value other than as whitespace, so this cannot
 * split a valid value written by a standard serializer.
 *
 * @param buf - The bytes; `buf.length` is the end of the available input.
 * @param state - Scan state, updated in place.
 * @param eof - No more bytes will come (a trailing newline can be judged without its successor).
 */
function scanValue(buf: Uint8Array, state: ScanState, eof: boolean): number {
  const end = buf.length;
  let i = state.stop;
  let depth = state.depth;
  let inString = state.inString;
  let line = state.line;
  if (state.escape && i < end) {
    state.escape = false;
    if (buf[i] !== LF) i++;
  }
  while (i < end) {
    const c = buf[i];
    if (inString) {
      if (c === QUOTE) {
        inString = false;
        if (depth === 0) {
          state.inString = false;
          state.line = line;
          return i + 1;
        }
      } else if (c === BACKSLASH) {
        if (i + 1 >= end) {
          state.escape = true;
          i++;
          break;
        }
        // An escaped raw newline is not JSON; leave it visible to line recovery.
        if (buf[i + 1] !== LF) i++;
      } else if (c === LF) {
        const starts = startsRecord(buf, i + 1, depth, true, state.strictLines, eof);
        if (starts === NEED_MORE) break;
        if (starts === LINE_BREAK) {
          state.depth = depth;
          state.inString = inString;
          state.line = line;
          state.stop = i;
          return LINE_BREAK;
        }
        line++;
      }
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === LBRACE || c === LBRACKET) {
      depth++;
    } else if (c === RBRACE || c === RBRACKET) {
      depth--;
      if (depth <= 0) {
        state.depth = 0;
        state.line = line;
        return i + 1;
      }
    } else if (c === LF) {
      const starts = startsRecord(buf, i + 1, depth, false, state.strictLines, eof);
      if (starts === NEED_MORE) break;
      if (starts === LINE_BREAK) {
        state.depth = depth;
        state.inString = inString;
        state.line = line;
        state.stop = i;
        return LINE_BREAK;
      }
      line++;
    }
    i++;
  }
  state.depth = depth;
  state.inString = inString;
  state.line = line;
  state.stop = i;
  return NEED_MORE;
}

/**
 * Whether the line starting at `at` (just after a raw newline inside an unfinished value) starts
 * the next record: {@link LINE_BREAK}, `0` (it does not), or {@link NEED_MORE}.
 *
 * A line starting with `{` always does: pretty-printers indent nested lines. For a top-level value
 * (`strict`), so does a line starting with `[`, or with a string that is not an object key
 * (`"key":` at depth 1 is a key of an object printed without indentation).
 */
function startsRecord(
  buf: Uint8Array,
  at: number,
  depth: number,
  inString: boolean,
  strict: boolean,
  eof: boolean
): number {
  if (at >= buf.length) return eof ? 0 : NEED_MORE;
  const c = buf[at];
  if (c === LBRACE) return LINE_BREAK;
  if (!strict) return 0;
  if (c === LBRACKET) return LINE_BREAK;
  if (c !== QUOTE) return 0;
  if (inString || depth !== 1) return LINE_BREAK;
  // `"…"` then `:` is a key; anything else on that line starts a record.
  let i = at + 1;
  for (; i < buf.length; i++) {
    const b = buf[i];
    if (b === BACKSLASH) i++;
    else if (b === QUOTE || b === LF) break;
  }
  if (i >= buf.length) return eof ? LINE_BREAK : NEED_MORE;
  if (buf[i] === LF) return LINE_BREAK;
  i++;
  while (i < buf.length && (buf[i] === SPACE || buf[i] === TAB)) i++;
  if (i >= buf.length) return eof ? LINE_BREAK : NEED_MORE;
  return buf[i] === COLON ? 0 : LINE_BREAK;
}

/**
 * Scans a bare token (number, `true`, junk) inside an array from `from` (one past its first byte)
 * and returns the index of the delimiter that ends it, or {@link NEED_MORE}.
 */
function scanToken(buf: Uint8Array, from: number, eof: boolean): number {
  const end = buf.length;
  for (let i = from; i < end; i++) {
    if (isTokenEnd(buf[i])) return i;
  }
  return eof ? end : NEED_MORE;
}

/** Whether a byte ends a bare token: whitespace or a structural character. */
function isTokenEnd(c: number | undefined): boolean {
  return (
    c === COMMA ||
    c === RBRACKET ||
    c === RBRACE ||
    c === SPACE ||
    c === LF ||
    c === CR ||
    c === TAB ||
    c === LBRACE ||
    c === LBRACKET ||
    c === QUOTE ||
    c === COLON
  );
}

/** Whether a byte is JSON whitespace. */
function isSpace(c: number | undefined): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/** The first keys of objects whose array value is streamed record by record. */
const LIST_KEYS = ['"Records"', '"Events"'].map((k) => Uint8Array.from(Buffer.from(k, 'latin1')));

/**
 * Whether the object at `start` (a `{`) begins with the key `"Records"` (a CloudTrail log file) or
 * `"Events"` (`aws cloudtrail lookup-events` output) holding an array.
 *
 * @returns The index just past that array's `[`, {@link NO_MATCH}, or {@link NEED_MORE} when
 *   the available bytes cannot decide yet.
 */
function matchRecordsPrefix(buf: Uint8Array, start: number): number {
  const end = buf.length;
  const from = skipSpace(buf, start + 1);
  let i = from;
  let undecided = false;
  let matched: Uint8Array | null = null;
  for (const key of LIST_KEYS) {
    let k = 0;
    for (; k < key.length && from + k < end; k++) if (buf[from + k] !== key[k]) break;
    if (k === key.length) matched = key;
    else if (from + k >= end) undecided = true;
  }
  if (matched === null) return undecided ? NEED_MORE : NO_MATCH;
  i = from + matched.length;
  i = skipSpace(buf, i);
  if (i >= end) return NEED_MORE;
  if (buf[i] !== COLON) return NO_MATCH;
  i = skipSpace(buf, i + 1);
  if (i >= end) return NEED_MORE;
  return buf[i] === LBRACKET ? i + 1 : NO_MATCH;
}

/** The index of the first non-whitespace byte at or after `i` (or `buf.length`). */
function skipSpace(buf: Uint8Array, from: number): number {
  let i = from;
  while (i < buf.length && isSpace(buf[i])) i++;
  return i;
}

export {
  LINE_BREAK,
  matchRecordsPrefix,
  NEED_MORE,
  NO_MATCH,
  type ScanState,
  scanToken,
  scanValue,
  skipSpace,
};
