/**
 * Transparent gzip: a byte stream that starts with the gzip magic bytes is decompressed, any
 * other passes through. Detection is by content, not by name, because CloudTrail writes
 * `.json.gz` to S3 and users rename files.
 */
import { Buffer } from 'node:buffer';
import { type GzipItem, gunzipMembers, isGzip } from './gzip-members.js';

/**
 * The bytes of `source`, decompressed when they start with the gzip magic bytes (`1f 8b`).
 * Concatenated gzip members are all decompressed. A damaged member (corrupt, checksum mismatch) or
 * bytes between members that are not gzip give one `skipped` item, and decoding goes on at the
 * next member; gzip cut short, or with no member that decodes, ends with one `damage` item after
 * every byte decoded before it.
 * Errors of the source itself (a read error) are thrown from the iteration.
 *
 * @param source - Raw chunks, e.g. a file stream or stdin. Strings are read as UTF-8.
 * @returns Plain chunks, with backpressure: nothing is read ahead of the consumer.
 *
 * @example
 * ```ts
 * for await (const item of gunzipIfNeeded(createReadStream(path)))
 *   if (item.kind === 'data') framer.push(item.bytes); else warn(item.reason);
 * ```
 */
async function* gunzipIfNeeded(
  source: AsyncIterable<Buffer | Uint8Array | string>
): AsyncGenerator<GzipItem> {
  const iterator = source[Symbol.asyncIterator]();
  let head: Buffer = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done === true) {
      if (head.length > 0) yield { kind: 'data', bytes: head };
      return;
    }
    head = head.length === 0 ? toBuffer(next.value) : Buffer.concat([head, toBuffer(next.value)]);
  }
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (!isGzip(head)) {
    yield { kind: 'data', bytes: head };
    for await (const chunk of rest) yield { kind: 'data', bytes: toBuffer(chunk) };
    return;
  }
  yield* gunzipMembers(prepend(head, rest));
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
