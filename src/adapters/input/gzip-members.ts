/**
 * Gzip decoding that keeps what it can: every member of a multi-member file is decoded, and damage
 * (a cut file, trailing bytes that are not another member, a corrupt block) ends the output where
 * it happens, after everything decoded before it, with a description of the damage.
 *
 * Node's `Gunzip` stream loses output in these cases: trailing garbage in the same chunk as the end
 * of a member discards that member's output, and an error destroys the stream with its buffered
 * output. Here the gzip framing (header, trailer, member boundaries) is read by hand and only the
 * deflate body goes through the native raw inflater, so every decoded byte reaches the caller.
 * RFC 1952: https://www.rfc-editor.org/rfc/rfc1952
 */
import { Buffer } from 'node:buffer';
import { constants, crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/** What decoding gives: decoded bytes, then at most one `damage` as the last item. */
type GzipItem =
  | { readonly kind: 'data'; readonly bytes: Buffer }
  | {
      readonly kind: 'damage';
      /** What is wrong and where (compressed byte offset), in words. */
      readonly reason: string;
    };

/** Input fed to the inflater at once: bounds the output of one write (a bomb inflates ~1000×). */
const PIECE_BYTES = 16 * 1024;
/** Output chunk size of the inflater. */
const OUT_CHUNK_BYTES = 256 * 1024;
/** Longest gzip header accepted (a file name or comment can be long, not unbounded). */
const MAX_HEADER_BYTES = 64 * 1024;

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** `true` when `bytes` starts with the gzip magic bytes `1f 8b`. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The length of the gzip header at the start of `buf`, `0` when more bytes are needed, or a
 * string saying why it is not a gzip header.
 */
function headerLength(buf: Buffer): number | string {
  if (buf.length >= 2 && !isGzip(buf)) return 'no gzip magic bytes';
  if (buf.length >= 3 && buf[2] !== 8) return `unknown compression method ${buf[2]}`;
  if (buf.length < 10) return 0;
  const flags = buf[3] as number;
  let i = 10;
  if (flags & FEXTRA) {
    if (buf.length < i + 2) return 0;
    i += 2 + buf.readUInt16LE(i);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const nul = buf.indexOf(0, i);
    if (nul < 0) return buf.length > MAX_HEADER_BYTES ? 'gzip header too long' : 0;
    i = nul + 1;
  }
  if (flags & FHCRC) i += 2;
  return buf.length < i ? 0 : i;
}

/** A raw inflater whose output is collected as it comes (it is never paused, so none is lost). */
class Inflater {
  readonly #z: InflateRaw;
  #out: Buffer[] = [];
  #error: Error | null = null;
  /** Bytes decoded in this member (for the trailer's ISIZE). */
  size = 0;
  crc = 0;

  constructor() {
    this.#z = createInflateRaw({
      chunkSize: OUT_CHUNK_BYTES,
      // A cut stream ends without an error; the caller knows it was cut.
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    this.#z.on('data', (chunk: Buffer) => {
      this.#out.push(chunk);
      this.size = (this.size + chunk.length) >>> 0;
      this.crc = crc32(chunk, this.crc);
    });
    this.#z.on('error', (e: Error) => {
      this.#error = e;
    });
  }

  /**
   * Feeds `piece`; resolves with the bytes of it the deflate stream consumed (fewer than given
   * when the stream ended inside it) and the output produced.
   */
  write(piece: Buffer): Promise<{ consumed: number; out: Buffer[]; error: Error | null }> {
    const before = this.#z.bytesWritten;
    return new Promise((resolve) => {
      let settled = false;
      const done = (): void => {
        if (settled) return;
        settled = true;
        this.#z.off('error', done);
        const out = this.#out;
        this.#out = [];
        resolve({ consumed: this.#z.bytesWritten - before, out, error: this.#error });
      };
      if (this.#error !== null) {
        done();
        return;
      }
      // An error reports itself through 'error'; the write callback may then never run.
      this.#z.on('error', done);
      this.#z.write(piece, () => done());
    });
  }

  close(): void {
    this.#z.removeAllListeners('data');
    this.#z.on('error', () => {});
    this.#z.destroy();
  }
}

/**
 * Decodes gzip data, member after member, from `source` (whose first chunk is `head`).
 *
 * Yields the decoded bytes as they come, with backpressure (the next input is read only when the
 * caller asks for more). Ends with one `damage` item when the data is cut, corrupt, or followed
 * by bytes that are not another member (NUL padding is accepted); everything decoded before the
 * damage has been yielded.
 *
 * @example
 * ```ts
 * for await (const item of gunzipMembers(chunks)) {
 *   if (item.kind === 'data') framer.push(item.bytes); else warn(item.reason);
 * }
 * ```
 */
async function* gunzipMembers(source: AsyncIterable<Buffer>): AsyncGenerator<GzipItem> {
  /** Compressed bytes consumed before `pending`. */
  let offset = 0;
  let pending: Buffer = Buffer.alloc(0);
  let state: 'header' | 'body' | 'trailer' | 'between' = 'header';
  let inflater: Inflater | null = null;
  let members = 0;
  const damage = (reason: string): GzipItem => ({
    kind: 'damage',
    reason: `${reason} at compressed byte ${offset}${members > 0 ? ` (after ${members} complete gzip member${members === 1 ? '' : 's'})` : ''}`,
  });
  try {
    for await (const chunk of source) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (state === 'between') {
          let k = 0;
          while (k < pending.length && pending[k] === 0) k++;
          offset += k;
          pending = pending.subarray(k);
          if (pending.length === 0) break;
          if (pending[0] !== 0x1f || (pending.length > 1 && pending[1] !== 0x8b)) {
            yield damage('trailing data that is not gzip');
            return;
          }
          state = 'header';
        }
        if (state === 'header') {
          const n = headerLength(pending);
          if (typeof n === 'string') {
            yield damage(`not valid gzip data (${n})`);
            return;
          }
          if (n === 0) break;
          offset += n;
          pending = pending.subarray(n);
          inflater = new Inflater();
          state = 'body';
        }
        if (state === 'body' && inflater !== null) {
          if (pending.length === 0) break;
          const piece = pending.subarray(0, PIECE_BYTES);
          const r = await inflater.write(piece);
          for (const bytes of r.out) yield { kind: 'data', bytes };
          if (r.error !== null) {
            yield damage(`corrupt gzip data (${r.error.message})`);
            return;
          }
          offset += r.consumed;
          pending = pending.subarray(r.consumed);
          if (r.consumed === piece.length) continue;
          state = 'trailer';
        }
        if (state === 'trailer' && inflater !== null) {
          if (pending.length < 8) break;
          const crc = pending.readUInt32LE(0);
          const size = pending.readUInt32LE(4);
          if (crc !== inflater.crc >>> 0 || size !== inflater.size) {
            yield damage('gzip member checksum does not match its data');
            return;
          }
          inflater.close();
          inflater = null;
          members++;
          offset += 8;
          pending = pending.subarray(8);
          state = 'between';
        }
      }
      // Keep `pending` small between chunks: only an unfinished header or trailer is held.
      if (pending.length > 0 && state === 'body') continue;
      if (state === 'header' && pending.length > MAX_HEADER_BYTES) {
        yield damage('not valid gzip data (gzip header too long)');
        return;
      }
    }
    if (state === 'body' || state === 'trailer' || (state === 'header' && pending.length > 0))
      yield damage('truncated gzip data');
  } finally {
    inflater?.close();
  }
}

export { type GzipItem, gunzipMembers, isGzip };
