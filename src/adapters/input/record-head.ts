/**
 * Where records start, found in bytes: the head of a record (`{"eventVersion":`), and the header
 * of a container (`{"Records":[`) before its first record, judged intact, renamed or damaged. The
 * record framer resumes at a head after damage; a damaged header is skipped, not the file.
 */
import { Buffer } from 'node:buffer';

/** Whitespace allowed around the key of a record head (`{ "eventVersion" :`). */
const HEAD_SPACE = 64;
/** Longest first key learnt as the head of a container's records. */
const MAX_HEAD_KEY = 64;
/**
 * How far from the start of a top-level value its first record head is looked for. A container
 * header is `{"Records":[` (12 bytes), about 50 bytes pretty-printed by the AWS CLI.
 */
const HEADER_WINDOW = 192;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/**
 * The first keys of records as they are written: a CloudTrail record (`eventVersion`, first in
 * every log file CloudTrail writes), an `aws cloudtrail lookup-events` event (`EventId`) and an
 * EventBridge event (`version`).
 */
const KNOWN_HEAD_KEYS = ['"eventVersion"', '"EventId"', '"version"'].map((k) =>
  Buffer.from(k, 'latin1')
);
/** The head of a `Records` element, and of an `Events` element. */
const RECORDS_HEAD = KNOWN_HEAD_KEYS[0] as Buffer;
const EVENTS_HEAD = KNOWN_HEAD_KEYS[1] as Buffer;

function isSpaceByte(c: number | undefined): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/**
 * The index of the `{` of the first record head (`{` `key` `:`, up to {@link HEAD_SPACE} spaces
 * around the quoted key) that starts in `[from, to)`; -1 when there is none, or when one may start
 * there but the bytes to decide it are not in yet (the caller keeps enough bytes to look again).
 */
function findHead(buf: Buffer, key: Buffer, from: number, to: number): number {
  for (let at = buf.indexOf(key, from); at >= 0; at = buf.indexOf(key, at + 1)) {
    let b = at - 1;
    while (b >= from && at - b <= HEAD_SPACE && isSpaceByte(buf[b])) b--;
    if (b < from || buf[b] !== LBRACE) continue;
    if (b >= to) return -1;
    let f = at + key.length;
    while (f < buf.length && f - at - key.length < HEAD_SPACE && isSpaceByte(buf[f])) f++;
    if (f >= buf.length) return -1;
    if (buf[f] === COLON) return b;
  }
  return -1;
}

/** Bytes to keep after a search for `key` found nothing, so that a head cut by the chunk is seen. */
function headSlack(key: Buffer | null): number {
  return key === null ? 1 : key.length + 2 * HEAD_SPACE + 2;
}

/**
 * The quoted first key of the object starting at `i` (`"eventVersion"`) when it is plain (no
 * escapes, at most {@link MAX_HEAD_KEY} bytes), `null` when it is not, `undefined` when the bytes
 * to tell are not all in `buf` yet.
 */
function learnHeadKey(buf: Buffer, i: number): Buffer | null | undefined {
  let k = i + 1;
  while (k < buf.length && k - i <= HEAD_SPACE && isSpaceByte(buf[k])) k++;
  if (k >= buf.length) return undefined;
  if (buf[k] !== QUOTE) return null;
  const close = buf.indexOf(QUOTE, k + 1);
  if (close < 0) return buf.length - k > MAX_HEAD_KEY ? null : undefined;
  if (close - k > MAX_HEAD_KEY) return null;
  for (let j = k + 1; j < close; j++)
    if (buf[j] === BACKSLASH || (buf[j] as number) < 0x20) return null;
  return Buffer.from(buf.subarray(k, close + 1));
}

/** The head of the elements of the list whose `{"Records":[` / `{"Events":[` starts at `start`. */
function listHead(buf: Buffer, start: number): Buffer {
  let k = start + 1;
  while (k < buf.length && isSpaceByte(buf[k])) k++;
  return buf[k + 1] === 0x45 /* E */ ? EVENTS_HEAD : RECORDS_HEAD;
}

/**
 * What comes before the first record of a top-level value:
 * - `none`: nothing to do, the value is read as it is (a record, an object that holds a record as a
 *   member, a value that holds no record near its start);
 * - `renamed`: `{"<key>":[` and then records: a list of records under another first key, read as a
 *   `Records` array;
 * - `damaged`: bytes that are no JSON (or `{"Records":` without its `[`) before a record head: a
 *   damaged container header, skipped to the head;
 * - `broken`: a damaged object (`["key":`, or bytes before a record that is the value of a member,
 *   as in an EventBridge event whose first bytes are damaged): one malformed value, to the end of
 *   its line;
 * - `undecided`: more bytes are needed.
 */
type HeaderVerdict =
  | { readonly kind: 'none' }
  | { readonly kind: 'undecided' }
  | { readonly kind: 'broken' }
  | { readonly kind: 'renamed' | 'damaged'; readonly head: number; readonly key: Buffer };

const NONE: HeaderVerdict = { kind: 'none' };
const UNDECIDED: HeaderVerdict = { kind: 'undecided' };
const BROKEN: HeaderVerdict = { kind: 'broken' };

/**
 * Judges the bytes from `start` (the first byte of a top-level value) to the first record head
 * within {@link HEADER_WINDOW} bytes. See {@link HeaderVerdict}.
 *
 * @param eof - No more bytes will come (or enough are held to decide).
 */
function judgeHeader(buf: Buffer, start: number, eof: boolean): HeaderVerdict {
  if (buf[start] === LBRACE && startsWithKnownKey(buf, start)) return NONE;
  // Only the window is searched (never the rest of a long line), up to a line that starts a
  // value: a junk line before a JSON Lines record is left to line recovery.
  const slack = headSlack(RECORDS_HEAD);
  const win = buf.subarray(start, start + HEADER_WINDOW + slack);
  let limit = Math.min(win.length, HEADER_WINDOW);
  let bounded = false;
  for (let nl = win.indexOf(LF); nl >= 0 && nl < limit; nl = win.indexOf(LF, nl + 1)) {
    const next = win[nl + 1];
    if (next === LBRACE || next === LBRACKET) {
      limit = nl;
      bounded = true;
    }
  }
  let head = -1;
  let key: Buffer | null = null;
  for (const k of KNOWN_HEAD_KEYS) {
    const at = findHead(win, k, 1, head < 0 ? limit : head);
    if (at >= 0) {
      head = at;
      key = k;
    }
  }
  if (key === null) {
    if (!bounded && !eof && win.length < HEADER_WINDOW + slack) return UNDECIDED;
    return buf[start] === LBRACKET ? bracketedObject(win) : NONE;
  }
  const prefix = win.toString('utf8', 0, head);
  const shape = prefixShape(prefix);
  if (shape === 'list') return { kind: 'renamed', head: start + head, key };
  if (shape === 'member' && !/^\{\s*"(Records|Events)"\s*:\s*$/.test(prefix)) return NONE;
  // The record is the value of a member (`"detail":`): the bytes before it are a damaged object
  // (an EventBridge event), not the header of a list of records.
  if (/"\s*:\s*$/.test(prefix) && !/"(Records|Events)"\s*:\s*$/.test(prefix)) return BROKEN;
  return { kind: 'damaged', head: start + head, key };
}

/** Whether the object at `start` has a known record head key first (the common case, cheaply). */
function startsWithKnownKey(buf: Buffer, start: number): boolean {
  let k = start + 1;
  while (k < buf.length && k - start <= HEAD_SPACE && isSpaceByte(buf[k])) k++;
  for (const key of KNOWN_HEAD_KEYS)
    if (k + key.length <= buf.length && buf.compare(key, 0, key.length, k, k + key.length) === 0)
      return true;
  return false;
}

/**
 * `["key":`, an object whose `{` was damaged into `[`: `broken` (one malformed value) unless the
 * key is a record's own first key (the `{` of the first record of an array was lost: the array's
 * other records are read).
 */
function bracketedObject(win: Buffer): HeaderVerdict {
  const key = learnHeadKey(win, 0);
  if (!key || key.equals(RECORDS_HEAD) || key.equals(EVENTS_HEAD)) return NONE;
  let k = win.indexOf(key) + key.length;
  while (k < win.length && isSpaceByte(win[k])) k++;
  return win[k] === COLON ? BROKEN : NONE;
}

/**
 * How the text before a record head reads as the start of JSON: `list` for `{"<key>":[` (an object
 * whose first member is the list the head opens), `member` for any other valid start of a value
 * the head continues, `broken` for bytes no valid JSON starts with.
 */
function prefixShape(prefix: string): 'list' | 'member' | 'broken' {
  const closers: string[] = [];
  let inString = false;
  for (let k = 0; k < prefix.length; k++) {
    const c = prefix.charCodeAt(k);
    if (inString) {
      if (c === BACKSLASH) k++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === LBRACE) closers.push('}');
    else if (c === LBRACKET) closers.push(']');
    else if (c === RBRACE || c === RBRACKET) closers.pop();
  }
  if (inString) return 'broken';
  let value: unknown;
  try {
    value = JSON.parse(`${prefix}null${closers.reverse().join('')}`);
  } catch {
    return 'broken';
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const members = Object.values(value);
    const only = members[0];
    if (members.length === 1 && Array.isArray(only) && only.length === 1 && only[0] === null)
      return 'list';
  }
  return 'member';
}

export {
  findHead,
  type HeaderVerdict,
  headSlack,
  isSpaceByte,
  judgeHeader,
  learnHeadKey,
  listHead,
  RECORDS_HEAD,
};
