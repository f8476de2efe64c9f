/**
 * Reads the inputs of `oidcwatch classify` and friends (README, "classify"): files, directories,
 * gzip, stdin. Streams everything: a multi-GB CloudTrail export is never held whole.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { expandRecords } from '../../domain/input/expand-records.js';
import { gunzipIfNeeded } from './gunzip-if-needed.js';
import { listInputFiles } from './list-input-files.js';
import { type Frame, RecordFramer } from './record-framer.js';

/** What reading the inputs gives, one item per record or per problem. */
type InputItem =
  | {
      readonly kind: 'record';
      /** The file path (as given, or under a given directory), or {@link STDIN_SOURCE}. */
      readonly source: string;
      /** 0-based ordinal of the record within its source, after {@link expandRecords}. */
      readonly index: number;
      /** Byte offset (in the decompressed stream) of the JSON value the record came from. */
      readonly offset: number;
      /** 1-based line of that byte. */
      readonly line: number;
      readonly value: unknown;
    }
  | {
      /** A record that could not be parsed; it takes an ordinal like a record. */
      readonly kind: 'malformed';
      readonly source: string;
      readonly index: number;
      /** Names the source, the ordinal and the byte offset / line. */
      readonly reason: string;
    }
  | {
      /**
       * A path that could not be read (missing, permission denied), or could be read only in part
       * (damaged gzip, a read error midway: the records before the damage were given).
       */
      readonly kind: 'unreadable';
      readonly source: string;
      /** Names the file and says why. */
      readonly reason: string;
    };

/** Options of {@link readInputs}. */
interface ReadInputsOptions {
  /**
   * Read for `-` (or when no path is given).
   * @default process.stdin
   */
  readonly stdin?: NodeJS.ReadableStream;
  /**
   * Largest single record accepted; a larger one is reported as malformed and skipped.
   * @default 33554432 (32 MiB)
   */
  readonly maxRecordBytes?: number;
}

/** The `source` of records read from stdin. */
const STDIN_SOURCE = '<stdin>';
/** Read size for files: large reads keep per-chunk costs negligible. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads every input, in order, as a stream of records.
 *
 * `-`, or no path at all, is stdin. A directory gives its `*.json`, `*.jsonl`, `*.ndjson` and
 * `*.gz` files, recursively, sorted by name. Gzip is recognised by its magic bytes, on files and
 * stdin alike. Each source may hold JSON Lines, concatenated JSON, a JSON array, a CloudTrail log
 * file `{"Records":[…]}`, an EventBridge envelope or a bare record; every parsed value goes
 * through {@link expandRecords} and each record it gives is one `record` item.
 *
 * Nothing is dropped silently: a record that does not parse is a `malformed` item, a path that
 * cannot be read is an `unreadable` item, and reading goes on with the next record or source.
 *
 * @param paths - Files, directories or `-`.
 * @param options - See {@link ReadInputsOptions}.
 *
 * @example
 * ```ts
 * for await (const item of readInputs(['trail/', '-'])) {
 *   if (item.kind === 'record') handle(readRecord(item.value));
 *   else if (item.kind === 'unreadable') { console.error(item.reason); process.exitCode = 1; }
 * }
 * ```
 */
async function* readInputs(
  paths: readonly string[],
  options: ReadInputsOptions = {}
): AsyncGenerator<InputItem> {
  for await (const batch of readInputBatches(paths, options)) for (const item of batch) yield item;
}

/**
 * {@link readInputs}, a batch at a time: the items of each chunk read (up to about 1 MiB of input)
 * as one array. The hot path of `classify` iterates these synchronously, which saves an async
 * generator round trip per record.
 */
async function* readInputBatches(
  paths: readonly string[],
  options: ReadInputsOptions = {}
): AsyncGenerator<InputItem[]> {
  for await (const source of listSources(paths)) {
    if (source.kind === 'unreadable') {
      yield [source];
      continue;
    }
    const name = source.kind === 'stdin' ? STDIN_SOURCE : source.path;
    const stream =
      source.kind === 'stdin'
        ? (options.stdin ?? process.stdin)
        : createReadStream(source.path, { highWaterMark: READ_CHUNK_BYTES });
    const framer = new RecordFramer(
      options.maxRecordBytes === undefined ? {} : { maxRecordBytes: options.maxRecordBytes }
    );
    const counter = { next: 0 };
    let problem: Extract<InputItem, { kind: 'unreadable' }> | null = null;
    try {
      for await (const item of gunzipIfNeeded(stream)) {
        if (item.kind === 'damage') {
          problem = partlyRead(name, item.reason, counter.next);
          break;
        }
        const items = toItems(name, framer.push(item.bytes), counter);
        if (items.length > 0) yield items;
      }
    } catch (error) {
      problem =
        counter.next === 0 && framer.bufferedBytes === 0
          ? unreadable(name, error)
          : partlyRead(name, describeError(error), counter.next);
    }
    // What was read before any damage is kept: the record it cut is reported, not lost.
    const rest = toItems(name, framer.end(), counter);
    if (problem !== null) rest.push(problem);
    if (rest.length > 0) yield rest;
  }
}

/** A source to read, or an `unreadable` item for a path that cannot be. */
type Source =
  | { readonly kind: 'stdin' }
  | { readonly kind: 'file'; readonly path: string }
  | Extract<InputItem, { kind: 'unreadable' }>;

/** The sources named by `paths`, directories expanded. */
async function* listSources(paths: readonly string[]): AsyncGenerator<Source> {
  const targets = paths.length === 0 ? ['-'] : paths;
  for (const path of targets) {
    if (path === '-') {
      yield { kind: 'stdin' };
      continue;
    }
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      yield unreadable(path, error);
      continue;
    }
    if (!isDirectory) {
      yield { kind: 'file', path };
      continue;
    }
    for await (const listed of listInputFiles(path)) {
      yield listed.kind === 'error' ? unreadable(listed.path, listed.error) : listed;
    }
  }
}

/** The items of some frames, numbered on from `counter`. */
function toItems(source: string, frames: readonly Frame[], counter: { next: number }): InputItem[] {
  const items: InputItem[] = [];
  for (const frame of frames) {
    if (frame.kind === 'error') {
      const index = counter.next++;
      const reason = `${source}, record ${index}: ${frame.reason}`;
      items.push({ kind: 'malformed', source, index, reason });
      continue;
    }
    const { offset, line } = frame;
    for (const value of expandRecords(frame.value, frame.depth)) {
      items.push({ kind: 'record', source, index: counter.next++, offset, line, value });
    }
  }
  return items;
}

/** A source read up to some damage. */
function partlyRead(
  source: string,
  why: string,
  records: number
): Extract<InputItem, { kind: 'unreadable' }> {
  const kept =
    records === 0 ? '' : `; the ${records} record${records === 1 ? '' : 's'} before it were read`;
  return { kind: 'unreadable', source, reason: `cannot read ${source}: ${why}${kept}` };
}

function unreadable(source: string, error: unknown): Extract<InputItem, { kind: 'unreadable' }> {
  return { kind: 'unreadable', source, reason: `cannot read ${source}: ${describeError(error)}` };
}

/** Says why a source could not be read, in words (not an errno). */
function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'Z_BUF_ERROR':
      return `truncated gzip data (${message})`;
    default:
      return typeof code === 'string' && code.startsWith('Z_')
        ? `not valid gzip data (${message})`
        : message;
  }
}

export { type InputItem, type ReadInputsOptions, readInputBatches, readInputs, STDIN_SOURCE };
