/**
 * Child process of the benchmark: records/s of bare `JSON.parse` on the records of one generated
 * CloudTrail file (each record's own JSON text, as the framer hands it over).
 */
import { readFileSync } from 'node:fs';

const doc = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as { Records: unknown[] };
const texts = doc.Records.map((r) => JSON.stringify(r));
let best = Number.POSITIVE_INFINITY;
for (let round = 0; round < 3; round++) {
  const start = performance.now();
  for (const t of texts) JSON.parse(t);
  best = Math.min(best, performance.now() - start);
}
process.stdout.write(
  `${JSON.stringify({ records: texts.length, recordsPerSecond: texts.length / (best / 1000) })}\n`
);
