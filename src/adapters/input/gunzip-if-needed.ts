/**
 * Transparent gzip: a byte stream that starts with the gzip magic bytes is decompressed, any
 * other passes through. Detection is by content, not by name, because CloudTrail writes
 * `.json.gz` to S3 and users rename files.
 */
import { Buffer } from 'node:buffer';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The first two bytes of every gzip member. */
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
/** Output chunk size of the decompressor: large chunks keep the framer's per-chunk cost low. */
const GUNZIP_CHUNK_BYTES = 256 * 1024;

/**
 * The bytes of `source`, decompressed when they start with the gzip magic bytes (`1f 8b`).
 * Concatenated gzip members are all decompressed. Errors of the source or of the gzip data
 * (bad or truncated gzip) are thrown from the iteration.
 *
 * @param source - Raw chunks, e.g. a file stream or stdin. Strings are read as UTF-8.
 * @returns Plain chunks, with backpressure: nothing is read ahead of the consumer.
 *
 * @example
 * ```ts
 * for await (const chunk of gunzipIfNeeded(createReadStream(path))) framer.push(chunk);
 * ```
 */
async function* gunzipIfNeeded(
  source: AsyncIterable<Buffer | Uint8Array | string>
): AsyncGenerator<Buffer> {
  const iterator = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done === true) {
      if (head.length > 0) yield head;
      return;
    }
    head = head.length === 0 ? toBuffer(next.value) : Buffer.concat([head, toBuffer(next.value)]);
  }
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (head[0] !== GZIP_MAGIC_0 || head[1] !== GZIP_MAGIC_1) {
    yield head;
    for await (const chunk of rest) yield toBuffer(chunk);
    return;
  }
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  const compressed = Readable.from(prepend(head, rest), { objectMode: false });
  // Errors reach the consumer through `gunzip`, which pipeline destroys with the first error.
  pipeline(compressed, gunzip, () => {});
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** `first`, then every chunk of `rest`. */
async function* prepend(
  first: Buffer,
  rest: AsyncIterable<Buffer | Uint8Array | string>
): AsyncGenerator<Buffer> {
  yield first;
  for await (const chunk of rest) yield toBuffer(chunk);
}

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk)
    ? chunk
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

export { gunzipIfNeeded };
