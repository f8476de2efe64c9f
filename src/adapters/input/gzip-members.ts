/**
 * Gzip decoding that keeps what it can: every member of a multi-member file is decoded; a damaged
 * member (a corrupt block, a checksum that does not match) or bytes that are not gzip between
 * members are skipped to the next member header, and reported with where they start and end; a
 * cut file ends the output where it happens, after everything decoded before it.
 *
 * Node's `Gunzip` stream loses output in these cases: trailing garbage in the same chunk as the end
 * of a member discards that member's output, and an error destroys the stream with its buffered
 * output. Here the gzip framing (header, trailer, member boundaries) is read by hand and only the
 * deflate body goes through the native raw inflater, so every decoded byte reaches the caller.
 * RFC 1952: https://www.rfc-editor.org/rfc/rfc1952
 */
import { Buffer } from 'node:buffer';
import { constants, crc32, createInflateRaw, type InflateRaw } from 'node:zlib';

/**
 * What decoding gives: decoded bytes; a `skipped` item for each damaged stretch of compressed
 * bytes passed over (decoding goes on after it); at most one `damage`, the last item, when the
 * data is cut short or none of it is gzip.
 */
type GzipItem =
  | { readonly kind: 'data'; readonly bytes: Buffer }
  | {
      readonly kind: 'damage';
      /** What is wrong and where (compressed byte offset), in words. */
      readonly reason: string;
    }
  | {
      readonly kind: 'skipped';
      /** What is wrong, where the damaged bytes start and how far they run, in words. */
      readonly reason: string;
    };

/** Input fed to the inflater at once: bounds the output of one write (a bomb inflates ~1000×). */
const PIECE_BYTES = 16 * 1024;
/**
 * Input fed at once when a piece is decoded again after damage in it: zlib gives nothing of a
 * write that fails, so the piece is decoded again in steps this small to keep what came before.
 */
const SALVAGE_STEP_BYTES = 64;
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

/**
 * The index in `buf` from `from` of the first bytes that can start a gzip member (`1f 8b 08` and a
 * flags byte without reserved bits), or `-1`. A start cut by the end of `buf` is found when its
 * first byte is there and nothing contradicts it.
 */
function findMemberStart(buf: Buffer, from: number): number {
  for (let i = buf.indexOf(0x1f, from); i >= 0; i = buf.indexOf(0x1f, i + 1)) {
    const rest = [0x8b, 0x08];
    let ok = true;
    for (let k = 0; k < rest.length && i + 1 + k < buf.length; k++)
      if (buf[i + 1 + k] !== rest[k]) ok = false;
    if (ok && i + 3 < buf.length && ((buf[i + 3] as number) & 0xe0) !== 0) ok = false;
    if (ok) return i;
  }
  return -1;
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
 * The decoded bytes a failed piece held before its damage: `before` (the member's deflate data
 * up to the piece) is decoded again by a fresh inflater, then `piece` in steps of `step` bytes;
 * what comes past the `skip` bytes already given is yielded, up to the damage. The step that
 * failed is then decoded again a byte at a time.
 */
async function* salvage(
  before: Buffer,
  piece: Buffer,
  skip: number,
  step = SALVAGE_STEP_BYTES
): AsyncGenerator<Buffer> {
  const z = new Inflater();
  let given = skip;
  let failedAt = -1;
  try {
    for (let i = 0; i < before.length; i += PIECE_BYTES) {
      const r = await z.write(before.subarray(i, i + PIECE_BYTES));
      if (r.error !== null) return;
    }
    let at = z.size;
    for (let i = 0; i < piece.length; i += step) {
      const part = piece.subarray(i, i + step);
      const r = await z.write(part);
      for (const bytes of r.out) {
        const from = Math.max(0, given - at);
        at += bytes.length;
        if (from < bytes.length) {
          yield bytes.subarray(from);
          given = at;
        }
      }
      if (r.error !== null) {
        failedAt = i;
        break;
      }
      if (r.consumed < part.length) return;
    }
  } finally {
    z.close();
  }
  if (failedAt >= 0 && step > 1)
    yield* salvage(
      Buffer.concat([before, piece.subarray(0, failedAt)]),
      piece.subarray(failedAt, failedAt + step),
      given,
      1
    );
}

/**
 * Decodes gzip data, member after member, from `source`.
 *
 * Yields the decoded bytes as they come, with backpressure (the next input is read only when the
 * caller asks for more). A corrupt member, one whose checksum does not match its data, or bytes
 * between members that are not gzip (NUL padding is accepted) are passed over to the next member
 * header, as one `skipped` item naming the damaged compressed bytes, given before the next decoded
 * bytes. The output ends with one `damage` item when the data is cut short, or when no member of
 * it could be decoded; everything decoded before has been yielded.
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
  // Cast, not narrowed: `passOver` changes them too.
  let state = 'header' as 'header' | 'body' | 'trailer' | 'between' | 'resync';
  let inflater: Inflater | null = null;
  let members = 0;
  /** A member header was read: the data is gzip, damaged or not. */
  let started = false;
  /** Where the member being decoded starts, and the input from there (a view, not a copy). */
  let memberStart = 0;
  let memberBytes: Buffer = pending;
  /** Where its deflate data starts. */
  let bodyStart = 0;
  /** Damaged compressed bytes being passed over: where they start and what is wrong there. */
  let damaged = null as {
    readonly from: number;
    readonly why: string;
    readonly members: number;
  } | null;
  const where = (at: number, n: number): string =>
    `compressed byte ${at}${n > 0 ? ` (after ${n} complete gzip member${n === 1 ? '' : 's'})` : ''}`;
  const damage = (reason: string): GzipItem => ({
    kind: 'damage',
    reason: `${reason} at ${where(offset, members)}`,
  });
  /** The damaged stretch ends at `to` (the next member), or runs to the end of the data. */
  const skipped = (to: number | null): GzipItem => {
    const d = damaged as NonNullable<typeof damaged>;
    damaged = null;
    const end =
      to === null
        ? '; nothing after it could be read (no further gzip member)'
        : `; reading resumed at the next gzip member, at compressed byte ${to}`;
    return {
      kind: 'skipped',
      reason: `damaged gzip data at ${where(d.from, d.members)}: ${d.why}${end}`,
    };
  };
  /**
   * A member that decoded nothing before its damage may be a false start (bytes that looked like
   * a header) that swallowed a real one: the search goes back to just after its start, when that
   * input is still at hand. (A member that decoded something is not rewound: what it gave was
   * read.)
   */
  const rewindFalseStart = (): void => {
    const back = offset - memberStart;
    if (inflater === null || inflater.size !== 0 || back <= 0 || back > memberBytes.length) return;
    pending = Buffer.concat([memberBytes.subarray(0, back), pending]);
    offset = memberStart;
  };
  /** Damage at `from`: passed over from the byte after `offset` to the next member header. */
  const passOver = (why: string, from = offset): void => {
    damaged ??= { from, why, members };
    inflater?.close();
    inflater = null;
    offset += 1;
    pending = pending.subarray(1);
    state = 'resync';
  };
  try {
    for await (const chunk of source) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (state === 'resync') {
          const at = findMemberStart(pending, 0);
          // Keep a possible start cut by the end of the chunk; drop what cannot start a member.
          const drop = at < 0 ? Math.max(0, pending.length - 3) : at;
          offset += drop;
          pending = pending.subarray(drop);
          if (at < 0 || pending.length < 4) break;
          state = 'header';
        }
        if (state === 'between') {
          let k = 0;
          while (k < pending.length && pending[k] === 0) k++;
          offset += k;
          pending = pending.subarray(k);
          if (pending.length === 0) break;
          if (pending[0] !== 0x1f || (pending.length > 1 && pending[1] !== 0x8b)) {
            passOver('trailing data that is not gzip');
            continue;
          }
          state = 'header';
        }
        if (state === 'header') {
          const n = headerLength(pending);
          if (typeof n === 'string') {
            passOver(`not valid gzip data (${n})`);
            continue;
          }
          if (n === 0) break;
          memberStart = offset;
          memberBytes = pending;
          started = true;
          bodyStart = offset + n;
          offset += n;
          pending = pending.subarray(n);
          inflater = new Inflater();
          state = 'body';
        }
        if (state === 'body' && inflater !== null) {
          if (pending.length === 0) break;
          const piece = pending.subarray(0, PIECE_BYTES);
          const r = await inflater.write(piece);
          if (r.out.length > 0 && damaged !== null) yield skipped(memberStart);
          for (const bytes of r.out) yield { kind: 'data', bytes };
          if (r.error !== null) {
            // What the piece held before the damage, when the member's data is still at hand.
            if (offset - memberStart <= memberBytes.length)
              for await (const bytes of salvage(
                memberBytes.subarray(bodyStart - memberStart, offset - memberStart),
                piece,
                inflater.size
              )) {
                if (damaged !== null) yield skipped(memberStart);
                yield { kind: 'data', bytes };
              }
            const why = `corrupt gzip data (${r.error.message}) in the ${piece.length} bytes from compressed byte ${offset}`;
            // Looked for from the piece's second byte: a cut member's successor may be in it.
            rewindFalseStart();
            passOver(why, memberStart);
            continue;
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
            rewindFalseStart();
            passOver(
              'its checksum does not match its data (the records read from it may be altered)',
              memberStart
            );
            continue;
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
        passOver('not valid gzip data (gzip header too long)');
      }
    }
    if (damaged !== null) {
      // No member since the damage: it runs to the end. With no member header at all, the data
      // is not gzip: the source is unreadable, not a record.
      if (!started) {
        const d = damaged;
        damaged = null;
        yield { kind: 'damage', reason: `${d.why} at ${where(d.from, 0)}` };
      } else yield skipped(null);
      return;
    }
    if (state === 'body' || state === 'trailer' || (state === 'header' && pending.length > 0))
      yield damage('truncated gzip data');
  } finally {
    inflater?.close();
  }
}

export { type GzipItem, gunzipMembers, isGzip };
