/**
 * Incremental framer: turns a byte stream into parsed JSON records without holding the stream.
 * It understands JSON Lines, concatenated values, a top-level array, and a CloudTrail log file
 * `{"Records":[…]}` whose elements it emits one at a time, so a multi-GB log file never sits in
 * memory whole.
 */
import { Buffer } from 'node:buffer';
import { boundariesAreJoins, countLineFeeds, learnJoin, parseBatch } from './element-batch.js';
import {
  LINE_BREAK,
  matchRecordsPrefix,
  NEED_MORE,
  NO_MATCH,
  type ScanState,
  scanToken,
  scanValue,
  skipSpace,
} from './json-scan.js';
import {
  findHead,
  headSlack,
  isSpaceByte,
  judgeHeader,
  learnHeadKey,
  listHead,
  RECORDS_HEAD,
} from './record-head.js';

/** One framed record: a parsed value, or why the bytes there are not one. */
type Frame =
  | {
      readonly kind: 'value';
      readonly value: unknown;
      /** `1` for an element of a top-level array or `Records` array, `0` for a top-level value. */
      readonly depth: 0 | 1;
      /** Byte offset in the stream of the value's first byte. */
      readonly offset: number;
      /** 1-based line of that byte. */
      readonly line: number;
    }
  | {
      readonly kind: 'error';
      /** Says what is wrong and where (byte offset and line). */
      readonly reason: string;
      /** Byte offset in the stream of the first byte of the bad record. */
      readonly offset: number;
      /** 1-based line of that byte. */
      readonly line: number;
    };

/** Options of {@link RecordFramer}. */
interface RecordFramerOptions {
  /**
   * Largest record kept for parsing. A larger one is reported as an error and skipped, so that
   * broken input cannot make the framer hold an unbounded amount of bytes.
   * @default 33554432 (32 MiB)
   */
  readonly maxRecordBytes?: number;
}

// Byte values, defined here rather than imported: hot loops read them, and a module loader that
// turns imports into getters (CommonJS interop, test runners) would make each read a call.
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COMMA = 0x2c;
const QUOTE = 0x22;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

/** Scanner modes. */
const TOP = 0;
const ELEMENTS = 1;
const VALUE = 2;
const TOKEN = 3;
const LINE = 4;
const TAIL = 5;
const RESYNC = 6;
const DONE = 7;
type Mode =
  | typeof TOP
  | typeof ELEMENTS
  | typeof VALUE
  | typeof TOKEN
  | typeof LINE
  | typeof TAIL
  | typeof RESYNC
  | typeof DONE;

const DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;
/** Failed batches in a row after which the framer stops batching (false joins, bad data). */
const MAX_JOIN_FAILURES = 4;
/** A retention store larger than this is shrunk once it is mostly empty. */
const SHRINK_ABOVE = 8 * 1024 * 1024;
/** Smallest retention store allocated. */
const MIN_STORE = 64 * 1024;
const EMPTY = Buffer.alloc(0);
/**
 * How far past the start of the next record an element may run before it is taken for damaged
 * (a lost quote turns the rest of a one-line log file into one endless string).
 */
const RESYNC_LOOKAHEAD = 1024 * 1024;

/**
 * Splits a byte stream into JSON records, incrementally.
 *
 * - JSON Lines / concatenated values: each top-level value is a record. A top-level value that
 *   is not an object or array runs to the end of its line, so a garbage line is one error.
 * - A top-level array: each element is a record (`depth: 1`).
 * - A top-level object whose first key is `"Records"` with an array value: each element of that
 *   array is a record (`depth: 1`), emitted as soon as it is complete; other keys are skipped.
 * - Any other top-level object is one record.
 *
 * Malformed bytes become `error` frames and framing goes on: after a record that fails
 * `JSON.parse`, with the next value; inside a broken JSON Lines record, at the next line that
 * starts with `{`. Bytes already framed are never retained.
 *
 * @example
 * ```ts
 * const framer = new RecordFramer();
 * for await (const chunk of stream) for (const frame of framer.push(chunk)) handle(frame);
 * for (const frame of framer.end()) handle(frame);
 * ```
 */
class RecordFramer {
  readonly #maxRecordBytes: number;
  /** Holds the unconsumed tail of earlier chunks (only as many bytes as an open record needs). */
  #store: Buffer = EMPTY;
  /** Bytes of {@link RecordFramer.#store} in use. */
  #held = 0;
  /** Stream offset of index 0 of the current working buffer. */
  #base = 0;
  #mode: Mode = TOP;
  /** Next index to look at in TOP / ELEMENTS mode. */
  #pos = 0;
  /** Line at {@link RecordFramer.#pos}. */
  #line = 1;
  /** Inside the `Records` array of a log file (rather than a plain top-level array). */
  #inRecords = false;
  /**
   * The container was entered past a damaged header: its end is not known to be there (no error
   * when the input stops between records, `]` may close it without `}`).
   */
  #salvaged = false;
  #containerOffset = 0;
  #containerLine = 1;
  /** The value being scanned: start index, stream offset, line, whether it is an element. */
  #valStart = 0;
  #valOffset = 0;
  #valLine = 1;
  #valInContainer = false;
  /** The value under scan outgrew the limit: it was reported; scan on to its end and drop it. */
  #discarding = false;
  /**
   * The quoted first key of the container's first element (`"eventVersion"` in a log file): where
   * a record starts, to resume at after damage. `null` until learnt, or when elements are not objects.
   */
  #headKey: Buffer | null = null;
  /** The head a log file's records have (`"eventVersion"`), for when the first is damaged. */
  #fallbackHead: Buffer | null = null;
  /** The element under scan is the container's first, whose head is still to be learnt. */
  #learnHeadHere = false;
  /** An element of the container just ended: the next byte must be `,` or `]`. */
  #needComma = false;
  /** The first record head found after the element being scanned, once searched; -1: none yet. */
  #nextHead = -1;
  /** Index from which to go on searching for {@link RecordFramer.#nextHead}. */
  #headSearchFrom = 0;
  /** The last top-level value fitted on one line: try the JSON Lines fast path. */
  #lines = false;
  /** How elements of arrays are joined, once learnt (see `element-batch.ts`). */
  #join: Buffer | null = null;
  /** Batches that failed to parse since the last one that did; batching stops after a few. */
  #joinFailures = 0;
  /** Index just past the last element, when it ended with `}`; else -1. */
  #prevEnd = -1;
  /** Stream offset before which elements are scanned one by one (after a failed batch). */
  #noBatchBefore = 0;
  /** Stream offset from which to search for joins: none starts between here and the last. */
  #joinSearchFrom = 0;
  readonly #scan: ScanState = {
    depth: 0,
    inString: false,
    escape: false,
    strictLines: true,
    line: 1,
    stop: 0,
  };
  #out: Frame[] = [];

  /** @param options - See {@link RecordFramerOptions}. */
  constructor(options: RecordFramerOptions = {}) {
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /** Input bytes currently held (the unfinished record, if any); for memory checks. */
  get bufferedBytes(): number {
    return this.#held;
  }

  /**
   * Feeds the next chunk.
   * @returns The frames completed by it, in order.
   */
  push(chunk: Uint8Array): Frame[] {
    if (this.#mode === DONE || chunk.length === 0) return [];
    const input = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const fromStore = this.#held !== 0;
    const buf = fromStore ? this.#append(input) : input;
    const keepFrom = this.#run(buf, false);
    this.#retain(buf, keepFrom, fromStore);
    return this.#take();
  }

  /**
   * Ends the stream.
   * @returns The last frames, including one error if the input stops inside a value.
   */
  end(): Frame[] {
    if (this.#mode === DONE) return this.#take();
    const buf = this.#store.subarray(0, this.#held);
    this.#run(buf, true);
    this.#mode = DONE;
    this.#store = EMPTY;
    this.#held = 0;
    return this.#take();
  }

  #take(): Frame[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }

  /** Appends a chunk after the held bytes and returns the working buffer. */
  #append(chunk: Buffer): Buffer {
    const need = this.#held + chunk.length;
    if (this.#store.length < need) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.#store.length * 2));
      this.#store.copy(grown, 0, 0, this.#held);
      this.#store = grown;
    }
    chunk.copy(this.#store, this.#held);
    this.#held = need;
    return this.#store.subarray(0, need);
  }

  /**
   * Keeps `buf[keepFrom…]` for the next chunk, copied into the store so that the caller's chunk
   * is released. `fromStore`: `buf` is a view of the store.
   */
  #retain(buf: Buffer, keepFrom: number, fromStore: boolean): void {
    const keep = buf.length - keepFrom;
    if (keep === 0) {
      this.#held = 0;
    } else if (fromStore) {
      this.#store.copyWithin(0, keepFrom, buf.length);
      this.#held = keep;
    } else {
      if (this.#store.length < keep)
        this.#store = Buffer.allocUnsafeSlow(Math.max(keep, MIN_STORE));
      buf.copy(this.#store, 0, keepFrom);
      this.#held = keep;
    }
    if (this.#store.length > SHRINK_ABOVE && keep * 4 < this.#store.length) {
      const shrunk = Buffer.allocUnsafeSlow(Math.max(keep * 2, MIN_STORE));
      this.#store.copy(shrunk, 0, 0, keep);
      this.#store = shrunk;
    }
    this.#base += keepFrom;
    this.#pos -= keepFrom;
    this.#valStart -= keepFrom;
    this.#prevEnd -= keepFrom;
    this.#scan.stop -= keepFrom;
    if (this.#nextHead >= 0) this.#nextHead -= keepFrom;
    this.#headSearchFrom -= keepFrom;
  }

  /** Frames what `buf` allows; returns the index from which bytes must be kept. */
  #run(buf: Buffer, eof: boolean): number {
    for (;;) {
      switch (this.#mode) {
        case TOP:
          if (!this.#top(buf, eof)) return this.#pos;
          break;
        case ELEMENTS:
          if (!this.#elements(buf, eof)) return this.#pos;
          break;
        case VALUE:
        case TOKEN:
        case LINE:
          if (!this.#value(buf, eof)) return this.#discarding ? this.#scan.stop : this.#valStart;
          break;
        case TAIL:
          if (!this.#tail(buf, eof)) return this.#scan.stop;
          break;
        case RESYNC:
          if (!this.#resync(buf, eof)) return this.#pos;
          break;
        default:
          return buf.length;
      }
    }
  }

  /** Between top-level values. Returns `false` when it needs more input. */
  #top(buf: Buffer, eof: boolean): boolean {
    const end = buf.length;
    let i = this.#pos;
    let c = 0;
    for (; i < end; i++) {
      c = buf[i] as number;
      if (c === LF) this.#line++;
      // A comma between top-level values (records whose container header was lost) is no record.
      else if (c !== SPACE && c !== CR && c !== TAB && c !== COMMA) break;
    }
    this.#pos = i;
    if (i >= end) {
      if (eof) this.#mode = DONE;
      return eof;
    }
    if (c === 0xef && this.#base + i === 0) {
      if (end - i < 3 && !eof) return false;
      if (buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) {
        // A UTF-8 byte order mark.
        this.#pos = i + 3;
        return true;
      }
    }
    this.#begin(i, false);
    const records = c === LBRACE ? matchRecordsPrefix(buf, i) : NO_MATCH;
    if (records === NEED_MORE && !eof && end - i <= this.#maxRecordBytes) return false;
    if (records >= 0) {
      this.#openContainer(buf, i, records, true);
      this.#fallbackHead = listHead(buf, i);
      return true;
    }
    if (c !== LBRACKET || !opensValue(buf[skipSpace(buf, i + 1)])) {
      const header = judgeHeader(buf, i, eof || end - i > this.#maxRecordBytes);
      if (header.kind === 'undecided') return false;
      if (header.kind === 'broken') {
        this.#mode = LINE;
        this.#scan.stop = i + 1;
        return true;
      }
      if (header.kind !== 'none') {
        if (header.kind === 'damaged') this.#damagedHeader(header.head);
        this.#openContainer(buf, i, header.head, true);
        this.#salvaged = header.kind === 'damaged';
        this.#headKey = header.key;
        this.#learnHeadHere = false;
        return true;
      }
    }
    if (c === LBRACKET) {
      this.#openContainer(buf, i, i + 1, false);
      // Arrays of records are mostly CloudTrail's (`jq -s`): resume at their head if need be.
      this.#fallbackHead = RECORDS_HEAD;
      return true;
    }
    if (c !== LBRACE) {
      this.#mode = LINE;
      this.#scan.stop = i + 1;
      return true;
    }
    if (this.#lines && records === NO_MATCH && this.#fastLine(buf, i)) return true;
    this.#mode = VALUE;
    return true;
  }

  /** JSON Lines fast path: the line from `i` parses whole. Returns `false` to scan it instead. */
  #fastLine(buf: Buffer, i: number): boolean {
    const nl = buf.indexOf(LF, i);
    if (nl < 0) return false;
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', i, nl));
    } catch {
      return false;
    }
    this.#out.push({ kind: 'value', value, depth: 0, offset: this.#base + i, line: this.#line });
    this.#pos = nl;
    return true;
  }

  /** The header of the container starting at the current value is damaged: say where. */
  #damagedHeader(head: number): void {
    this.#error(
      `invalid JSON at byte ${this.#valOffset} (line ${this.#valLine}): damaged header before the first record; resumed at the record at byte ${this.#base + head}`,
      this.#valOffset,
      this.#valLine
    );
  }

  /** Enters a top-level array (`records` false) or a log file's `Records` array at `next`. */
  #openContainer(buf: Buffer, start: number, next: number, records: boolean): void {
    this.#mode = ELEMENTS;
    this.#inRecords = records;
    this.#salvaged = false;
    this.#fallbackHead = null;
    this.#containerOffset = this.#base + start;
    this.#containerLine = this.#line;
    this.#prevEnd = -1;
    this.#headKey = null;
    this.#learnHeadHere = true;
    this.#needComma = false;
    this.#pos = next;
    for (let k = start; k < next; k++) if (buf[k] === LF) this.#line++;
  }

  /** Starts a value at `i`. */
  #begin(i: number, inContainer: boolean): void {
    this.#valStart = i;
    this.#valOffset = this.#base + i;
    this.#valLine = this.#line;
    this.#valInContainer = inContainer;
    this.#discarding = false;
    this.#nextHead = -1;
    this.#headSearchFrom = i + 1;
    const scan = this.#scan;
    scan.depth = 0;
    scan.inString = false;
    scan.escape = false;
    scan.strictLines = !inContainer;
    scan.line = this.#line;
    scan.stop = i;
  }

  /** Between elements of an array. Returns `false` when it needs more input. */
  #elements(buf: Buffer, eof: boolean): boolean {
    const end = buf.length;
    let i = this.#pos;
    let c = 0;
    for (; i < end; i++) {
      c = buf[i] as number;
      if (c === LF) this.#line++;
      else if (c === COMMA) this.#needComma = false;
      else if (c !== SPACE && c !== CR && c !== TAB) break;
    }
    this.#pos = i;
    if (i >= end) {
      if (!eof) return false;
      if (this.#salvaged) {
        this.#mode = DONE;
        return true;
      }
      const what = this.#inRecords ? 'Records array' : 'array';
      this.#error(
        `truncated JSON at byte ${this.#base + end} (unterminated ${what} starting at byte ${this.#containerOffset}, line ${this.#containerLine})`,
        this.#containerOffset,
        this.#containerLine
      );
      this.#mode = DONE;
      return true;
    }
    if (c === RBRACKET) {
      let after = TAIL;
      if (this.#inRecords) {
        const next = skipSpace(buf, i + 1);
        const head = this.#headKey ?? this.#fallbackHead;
        const key = buf[next] === LBRACE && head !== null ? learnHeadKey(buf, next) : null;
        if ((next >= end || key === undefined) && !eof) return false;
        if (key && head?.equals(key)) {
          // Records go on after the `]`: it is a damaged byte, not the end of the array.
          this.#error(
            `invalid JSON at byte ${this.#base + i} (line ${this.#line}): "]" between records of the ${this.#containerName()}`,
            this.#base + i,
            this.#line
          );
          this.#line += countLineFeeds(buf, i, next);
          this.#pos = next;
          this.#needComma = false;
          return true;
        }
        // A damaged header may have been an array's: `}` or `,` says it was a log file's.
        if (this.#salvaged && buf[next] !== RBRACE && buf[next] !== COMMA) after = TOP;
      }
      this.#pos = i + 1;
      if (this.#inRecords && after === TAIL) {
        this.#begin(i + 1, false);
        this.#scan.depth = 1;
        this.#mode = TAIL;
      } else {
        this.#mode = TOP;
      }
      return true;
    }
    // A missing comma before a record (`}\n{`) is tolerated; other bytes are damage.
    if (this.#needComma && this.#headKey !== null && c !== LBRACE) {
      // Bytes between two records that are no separator: damage. Skip to the next record.
      this.#needComma = false;
      this.#error(
        `invalid JSON at byte ${this.#base + i} (line ${this.#line}): unexpected bytes between records of the ${this.#containerName()}`,
        this.#base + i,
        this.#line
      );
      this.#startResync(i);
      return true;
    }
    // A first element that is no object teaches no head: resume at the head log files have.
    if (c !== LBRACE && this.#learnHeadHere) this.#headKey ??= this.#fallbackHead;
    this.#needComma = false;
    this.#begin(i, true);
    if (c !== LBRACE) this.#learnHeadHere = false;
    if (c === LBRACE && this.#batch(buf, i)) return true;
    if (c === LBRACE || c === LBRACKET || c === QUOTE) {
      this.#mode = VALUE;
    } else {
      this.#mode = TOKEN;
      this.#scan.stop = i + 1;
    }
    return true;
  }

  /**
   * Parses the elements from `i` up to the last join in `buf` at once, when a join is known.
   * Returns `false` to scan the element at `i` alone.
   */
  #batch(buf: Buffer, i: number): boolean {
    const join = this.#join;
    if (join === null) {
      if (this.#joinFailures < MAX_JOIN_FAILURES) this.#join = learnJoin(buf, this.#prevEnd, i);
      return false;
    }
    const base = this.#base;
    if (base + i < this.#noBatchBefore) return false;
    const batch = parseBatch(buf, i, Math.max(i, this.#joinSearchFrom - base), join);
    if (batch.kind === 'none') {
      this.#joinSearchFrom = base + batch.searchFrom;
      return false;
    }
    if (batch.kind === 'refused') {
      this.#noBatchBefore = base + batch.end;
      if (++this.#joinFailures >= MAX_JOIN_FAILURES) this.#join = null;
      return false;
    }
    if (!this.#emitBatch(buf, i, batch.values, batch.end, join)) {
      // Joins and elements do not match one to one (an element that is no object, or a join
      // inside one): scan these elements one by one, so each has its own offset.
      this.#noBatchBefore = base + batch.end;
      return false;
    }
    this.#joinFailures = 0;
    this.#prevEnd = batch.end;
    this.#pos = batch.end;
    this.#needComma = true;
    this.#mode = ELEMENTS;
    return true;
  }

  /**
   * Emits the elements of a parsed batch with their own offsets and lines: element `k + 1` starts
   * at the `{` of the `k`-th join. Returns `false`, emitting nothing, when the joins found do not
   * match the elements one to one.
   */
  #emitBatch(buf: Buffer, start: number, values: unknown[], end: number, join: Buffer): boolean {
    // A join inside an element could stand in for a missing boundary and shift every offset.
    if (!boundariesAreJoins(values, join)) return false;
    const brace = join.indexOf(LBRACE, 1);
    const starts: number[] = [start];
    for (let at = buf.indexOf(join, start); at >= 0 && at < end - 1; at = buf.indexOf(join, at + 1))
      starts.push(at + brace);
    if (starts.length !== values.length) return false;
    // Every element must be an object that starts with the join's key: then each boundary is a
    // join and no join can hide inside an element without one boundary going missing.
    const q = join.indexOf(QUOTE, brace);
    const key = join.toString('utf8', q + 1, join.indexOf(QUOTE, q + 1));
    for (const v of values) {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
      for (const first in v) {
        if (first !== key) return false;
        break;
      }
    }
    let line = this.#line;
    let from = start;
    for (let k = 0; k < values.length; k++) {
      const at = starts[k] as number;
      line += countLineFeeds(buf, from, at);
      from = at;
      this.#out.push({ kind: 'value', value: values[k], depth: 1, offset: this.#base + at, line });
    }
    this.#line = line + countLineFeeds(buf, from, end);
    return true;
  }

  /** Scans the value begun by {@link RecordFramer.#begin}. Returns `false` when it needs more. */
  #value(buf: Buffer, eof: boolean): boolean {
    const scan = this.#scan;
    let done: number;
    if (this.#mode === VALUE) {
      const limit = this.#scanLimit(buf);
      if (limit < buf.length) {
        done = scanValue(buf.subarray(0, limit), scan, false);
        if (done === NEED_MORE) {
          // The element runs on past the next record's start: it is damaged.
          this.#damagedElement(buf, `unterminated ${this.#what(buf)}`);
          return true;
        }
      } else {
        done = scanValue(buf, scan, eof);
      }
    } else if (this.#mode === TOKEN) {
      done = scanToken(buf, scan.stop, eof);
      if (done === NEED_MORE) scan.stop = buf.length;
    } else {
      done = buf.indexOf(LF, scan.stop);
      if (done < 0) {
        done = eof ? buf.length : NEED_MORE;
        scan.stop = buf.length;
      }
    }
    if (done >= 0) {
      this.#finish(buf, done);
      return true;
    }
    if (done === LINE_BREAK) {
      this.#breakLine(buf);
      return true;
    }
    if (eof) {
      if (!this.#discarding && this.#valInContainer && this.#findNextHead(buf) >= 0) {
        this.#damagedElement(buf, `unterminated ${this.#what(buf)}`);
        return true;
      }
      if (!this.#discarding) this.#truncated(buf);
      this.#mode = DONE;
      return true;
    }
    if (!this.#discarding && buf.length - this.#valStart > this.#maxRecordBytes) {
      this.#error(
        `record at byte ${this.#valOffset} (line ${this.#valLine}) is larger than ${this.#maxRecordBytes} bytes; skipped`,
        this.#valOffset,
        this.#valLine
      );
      this.#discarding = true;
    }
    return false;
  }

  /** The value ends just before `end`: parse it and go back to where it was found. */
  #finish(buf: Buffer, end: number): void {
    const inContainer = this.#valInContainer;
    const discarding = this.#discarding;
    this.#discarding = false;
    this.#learnHead(buf);
    this.#learnHeadHere = false;
    if (this.#mode === LINE && isSeparatorsOnly(buf, this.#valStart, end)) {
      // Commas between top-level values (a log file whose header was lost): not a record.
    } else if (
      !discarding &&
      !this.#emit(buf, this.#valStart, end, inContainer ? 1 : 0) &&
      inContainer
    ) {
      // A record of the container that does not parse: when its bytes hold the start of the
      // next record, the scan ran past its end (a lost quote or bracket); resume there.
      const head = this.#findHead(buf, this.#valStart + 1, end);
      if (head >= 0) {
        this.#line = this.#valLine + countLineFeeds(buf, this.#valStart, head);
        this.#pos = head;
        this.#mode = ELEMENTS;
        return;
      }
    }
    if (this.#mode === VALUE) this.#line = this.#scan.line;
    if (inContainer) {
      this.#prevEnd = buf[end - 1] === RBRACE ? end : -1;
      this.#needComma = true;
    } else this.#lines = this.#mode === VALUE && this.#line === this.#valLine;
    this.#mode = inContainer ? ELEMENTS : TOP;
    this.#pos = end;
  }

  /** A line starting with `{` interrupted the value: report it and resume at that line. */
  #breakLine(buf: Buffer): void {
    const scan = this.#scan;
    if (!this.#discarding) {
      const what = scan.inString ? 'string' : buf[this.#valStart] === LBRACKET ? 'array' : 'object';
      const where = this.#valInContainer ? ` in the ${this.#containerName()}` : '';
      this.#error(
        `invalid JSON at byte ${this.#valOffset} (line ${this.#valLine}): unterminated ${what}${where} before the record on line ${scan.line + 1}`,
        this.#valOffset,
        this.#valLine
      );
    }
    this.#discarding = false;
    this.#line = scan.line;
    this.#pos = scan.stop;
    this.#mode = TOP;
    this.#lines = false;
  }

  /** After the `Records` array: skip the rest of the log file object. */
  #tail(buf: Buffer, eof: boolean): boolean {
    const done = scanValue(buf, this.#scan, eof);
    if (done >= 0) {
      this.#line = this.#scan.line;
      this.#pos = done;
      this.#mode = TOP;
      this.#lines = false;
      return true;
    }
    if (done === LINE_BREAK) {
      this.#error(
        `invalid JSON at byte ${this.#containerOffset} (line ${this.#containerLine}): unterminated object of the log file before the record on line ${this.#scan.line + 1}`,
        this.#containerOffset,
        this.#containerLine
      );
      this.#line = this.#scan.line;
      this.#pos = this.#scan.stop;
      this.#mode = TOP;
      return true;
    }
    if (!eof) return false;
    this.#error(
      `truncated JSON at byte ${this.#base + buf.length} (unterminated object of the log file starting at byte ${this.#containerOffset}, line ${this.#containerLine})`,
      this.#containerOffset,
      this.#containerLine
    );
    this.#mode = DONE;
    return true;
  }

  /** What the value under scan is, in words. */
  #what(buf: Buffer): string {
    if (this.#mode !== VALUE) return 'value';
    if (this.#scan.inString) return 'string';
    return buf[this.#valStart] === LBRACKET ? 'array' : 'object';
  }

  /**
   * Where the scan of a container element must stop to be judged damaged: {@link RESYNC_LOOKAHEAD}
   * past the next record head, or `Infinity` while none is known.
   */
  #scanLimit(buf: Buffer): number {
    this.#learnHead(buf);
    if (!this.#valInContainer || this.#headKey === null) return Number.POSITIVE_INFINITY;
    const head = this.#findNextHead(buf);
    return head < 0 ? Number.POSITIVE_INFINITY : head + RESYNC_LOOKAHEAD;
  }

  /**
   * Learns the head key from the container's first element once its first key is in `buf`
   * (whatever the chunking, the same key is learnt before it is first needed).
   */
  #learnHead(buf: Buffer): void {
    if (!this.#learnHeadHere || !this.#valInContainer) return;
    if (this.#valStart < 0) {
      this.#learnHeadHere = false;
      return;
    }
    const key = learnHeadKey(buf, this.#valStart);
    if (key === undefined) return;
    // A first record with no plain first key (damaged) teaches none: log files' records have one.
    this.#headKey = key ?? this.#fallbackHead;
    this.#learnHeadHere = false;
  }

  /** The first record head after the element's first byte (searched once, resumably). */
  #findNextHead(buf: Buffer): number {
    this.#learnHead(buf);
    if (this.#nextHead >= 0 || this.#headKey === null) return this.#nextHead;
    const found = this.#findHead(buf, this.#headSearchFrom, buf.length);
    if (found >= 0) this.#nextHead = found;
    else this.#headSearchFrom = Math.max(this.#headSearchFrom, buf.length - this.#headSlack());
    return found;
  }

  /** The element under scan is damaged: report it and resume at the next record head. */
  #damagedElement(buf: Buffer, why: string): void {
    const head = this.#nextHead;
    this.#error(
      `invalid JSON at byte ${this.#valOffset} (line ${this.#valLine}): ${why} in the ${this.#containerName()}; resumed at the next record (byte ${this.#base + head})`,
      this.#valOffset,
      this.#valLine
    );
    this.#line = this.#valLine + countLineFeeds(buf, this.#valStart, head);
    this.#discarding = false;
    this.#pos = head;
    this.#mode = ELEMENTS;
    this.#needComma = false;
  }

  /** Skips damaged bytes from `i` to the next record head (or a line that starts a value). */
  #startResync(i: number): void {
    this.#pos = i;
    this.#headSearchFrom = i;
    this.#mode = RESYNC;
  }

  /** In damaged bytes: looks for where to resume. Returns `false` when it needs more input. */
  #resync(buf: Buffer, eof: boolean): boolean {
    const from = this.#pos;
    const head = this.#findHead(buf, from, buf.length);
    let lineStart = -1;
    for (let nl = buf.indexOf(LF, Math.max(from - 1, 0)); nl >= 0; nl = buf.indexOf(LF, nl + 1)) {
      const next = buf[nl + 1];
      if (next === undefined) {
        if (!eof) lineStart = -2;
        break;
      }
      if (next === LBRACE || next === LBRACKET) {
        lineStart = nl + 1;
        break;
      }
      if (head >= 0 && nl > head) break;
    }
    const resumeAt =
      head >= 0 && (lineStart < 0 || head < lineStart) ? head : lineStart >= 0 ? lineStart : -1;
    if (resumeAt >= 0) {
      this.#line += countLineFeeds(buf, from, resumeAt);
      this.#pos = resumeAt;
      if (resumeAt === head) {
        this.#mode = ELEMENTS;
      } else {
        this.#mode = TOP;
        this.#lines = false;
      }
      return true;
    }
    if (eof) {
      this.#line += countLineFeeds(buf, from, buf.length);
      this.#pos = buf.length;
      this.#mode = DONE;
      return true;
    }
    // Nothing yet: drop what cannot hold the start of a head or a line.
    const keep = this.#headSlack();
    const drop = Math.max(from, buf.length - keep);
    this.#line += countLineFeeds(buf, from, drop);
    this.#pos = drop;
    return false;
  }

  /** The first head of the container's records in `[from, to)`, see {@link findHead}. */
  #findHead(buf: Buffer, from: number, to: number): number {
    const key = this.#headKey;
    if (key === null) return -1;
    const found = findHead(buf, key, from, to);
    // A log file's first record may have taught a damaged key: look for the usual head too.
    const usual = this.#inRecords ? this.#fallbackHead : null;
    if (usual === null || usual.equals(key)) return found;
    const other = findHead(buf, usual, from, found < 0 ? to : found);
    return other < 0 ? found : other;
  }

  /** Bytes to keep after a head search found nothing (see {@link headSlack}). */
  #headSlack(): number {
    return Math.max(headSlack(this.#headKey), headSlack(this.#fallbackHead));
  }

  #truncated(buf: Buffer): void {
    const what = this.#what(buf);
    const where = this.#valInContainer ? ` in the ${this.#containerName()}` : '';
    this.#error(
      `truncated JSON at byte ${this.#base + buf.length} (unterminated ${what}${where} starting at byte ${this.#valOffset}, line ${this.#valLine})`,
      this.#valOffset,
      this.#valLine
    );
  }

  #containerName(): string {
    return this.#inRecords ? 'Records array' : 'array';
  }

  /** Parses and emits a value; `false` when it does not parse (an error is emitted instead). */
  #emit(buf: Buffer, start: number, end: number, depth: 0 | 1): boolean {
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', start, end));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#error(
        `invalid JSON at byte ${this.#valOffset} (line ${this.#valLine}): ${message}`,
        this.#valOffset,
        this.#valLine
      );
      return false;
    }
    this.#out.push({ kind: 'value', value, depth, offset: this.#valOffset, line: this.#valLine });
    return true;
  }

  #error(reason: string, offset: number, line: number): void {
    this.#out.push({ kind: 'error', reason, offset, line });
  }
}

/** Whether a byte starts an element that is itself an object or array, or ends an empty array. */
function opensValue(c: number | undefined): boolean {
  return c === LBRACE || c === LBRACKET || c === RBRACKET;
}

/** `true` when `buf[start…end)` holds only commas and whitespace. */
function isSeparatorsOnly(buf: Buffer, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = buf[k];
    if (c !== COMMA && !isSpaceByte(c)) return false;
  }
  return true;
}

export { type Frame, RecordFramer, type RecordFramerOptions };
