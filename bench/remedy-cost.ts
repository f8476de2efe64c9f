/**
 * Child process of the benchmark: what computing remedies costs, as a share of classification
 * time measured in one run with the V8 sampling profiler (`node:inspector`). A sample counts as
 * remedy time when any frame of its stack is in `src/domain/remedy/` (building, patching,
 * verifying and probing a remedy, including the evaluations and audits it runs).
 *
 * 1. The generated stream (argv[2]) through the classify pipeline, as `bench/classify-throughput.ts`
 *    runs it: retries of a job share one diagnosis, so this is the cost as users see it.
 * 2. Every record of `examples/` diagnosed against a freshly loaded snapshot, round after round:
 *    every failure is first of its kind, the worst case for remedies (a new failure in the
 *    processor).
 */
import { Session } from 'node:inspector/promises';
import { readInputs } from '../src/adapters/input/read-inputs.js';
import { loadSnapshot, SnapshotIamReader } from '../src/adapters/snapshot/iam-snapshot.js';
import { classifyInputs } from '../src/cli/commands/classify.js';
import { diagnoseRecord } from '../src/usecases/diagnose-record.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

const REMEDY = '/src/domain/remedy/';

/** The share of samples with a remedy frame on the stack, and the sample count. */
function remedyShare(profile: Profile): { share: number; samples: number } {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inRemedy = new Map<number, boolean>();
  const under = (id: number): boolean => {
    const known = inRemedy.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const hit = (node?.callFrame.url.includes(REMEDY) ?? false) || (up !== undefined && under(up));
    inRemedy.set(id, hit);
    return hit;
  };
  const counted = profile.samples.filter((id) => byId.get(id)?.callFrame.url !== '');
  const remedy = counted.filter(under).length;
  return { share: counted.length === 0 ? 0 : remedy / counted.length, samples: counted.length };
}

async function profiled(
  work: () => Promise<number>
): Promise<{ share: number; samples: number; records: number }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  const records = await work();
  const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
  session.disconnect();
  return { ...remedyShare(profile), records };
}

const stream = await profiled(async () => {
  const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
  let records = 0;
  await classifyInputs(
    [process.argv[2] as string],
    reader,
    () => {
      records++;
    },
    { stdin: process.stdin, stderr: process.stderr }
  );
  return records;
});

const records: unknown[] = [];
for await (const item of readInputs(['examples/events']))
  if (item.kind === 'record') records.push(item.value);
const ROUNDS = 60;
const fresh = await profiled(async () => {
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    // A fresh snapshot each round: no policy, probe outcome or finding is remembered.
    const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
    for (const r of records) {
      await diagnoseRecord(r, reader);
      n++;
    }
  }
  return n;
});

process.stdout.write(
  `${JSON.stringify({
    streamRecords: stream.records,
    streamSamples: stream.samples,
    streamRemedyShare: stream.share,
    freshRecords: fresh.records,
    freshSamples: fresh.samples,
    freshRemedyShare: fresh.share,
  })}\n`
);
