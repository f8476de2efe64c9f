/**
 * The classify-throughput target, alone: records/s of the barest streaming read of a JSON Lines
 * file (`readline` over a file stream, `JSON.parse` per line, nothing else), best of two passes,
 * beside the classify pipeline on the same file. Target: classify takes ≤ 2× the bare read.
 *
 *     npx tsx bench/streaming-parse-throughput.ts [.bench/records-1x.jsonl]
 *
 * Writes the file (100,000 generated records) when it does not exist. `npm run bench` runs it last.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { benchRecord } from './generate-stream.js';

const file = process.argv[2] ?? '.bench/records-1x.jsonl';
const RECORDS = 100_000;

if (!existsSync(file)) {
  mkdirSync(dirname(file), { recursive: true });
  const out = createWriteStream(file);
  for (let i = 0; i < RECORDS; i++)
    if (!out.write(`${JSON.stringify(benchRecord(i))}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

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
const bare = records / (best / 1000);
const pipeline = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', 'bench/classify-throughput.ts', file], {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  })
    .trim()
    .split('\n')
    .at(-1) as string
) as { recordsPerSecond: number };
console.log(`streaming JSON.parse  ${Math.round(bare)} records/s (${records} JSON Lines)`);
console.log(`classify pipeline     ${Math.round(pipeline.recordsPerSecond)} records/s`);
console.log(
  `classify ÷ bare read  ${(bare / pipeline.recordsPerSecond).toFixed(2)}×  (target ≤ 2×)`
);
