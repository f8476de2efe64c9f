/**
 * Child process of the benchmark: records/s of the barest streaming read of a JSON Lines file
 * (`readline` over a file stream, `JSON.parse` per line, nothing else), best of two passes: what
 * any tool pays to look at every record of the file.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const file = process.argv[2] as string;
let best = Number.POSITIVE_INFINITY;
let records = 0;
for (let pass = 0; pass < 2; pass++) {
  records = 0;
  const start = performance.now();
  for await (const line of createInterface({
    input: createReadStream(file, { highWaterMark: 1 << 20 }),
    crlfDelay: Number.POSITIVE_INFINITY,
  }))
    if (line !== '' && JSON.parse(line) !== null) records++;
  best = Math.min(best, performance.now() - start);
}
process.stdout.write(`${JSON.stringify({ records, recordsPerSecond: records / (best / 1000) })}\n`);
