/**
 * Child process of the benchmark: records/s of bare `JSON.parse` on the records of one generated
 * CloudTrail file (each record's own JSON text, as the framer hands it over).
 */
import { readFileSync } from 'node:fs';
import { readInputBatches } from '../src/adapters/input/read-inputs.js';

const doc = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as { Records: unknown[] };
const texts = doc.Records.map((r) => JSON.stringify(r));
let best = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  const start = performance.now();
  for (const t of texts) JSON.parse(t);
  best = Math.min(best, performance.now() - start);
}
// The same stream read the way the pipeline reads it (file → gzip check → framer → JSON.parse),
// without classifying: what any tool reading this input pays before it looks at a record.
let readBest = Number.POSITIVE_INFINITY;
for (let round = 0; round < 2; round++) {
  const start = performance.now();
  let n = 0;
  for await (const batch of readInputBatches([process.argv[2] as string])) n += batch.length;
  if (n !== texts.length) throw new Error(`read ${n} records, expected ${texts.length}`);
  readBest = Math.min(readBest, performance.now() - start);
}
process.stdout.write(
  `${JSON.stringify({
    records: texts.length,
    recordsPerSecond: texts.length / (best / 1000),
    readOnlyRecordsPerSecond: texts.length / (readBest / 1000),
  })}\n`
);
