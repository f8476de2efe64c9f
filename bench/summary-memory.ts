/**
 * Child process of the benchmark: classifies one file and builds the per-repository summary the
 * way `oidcwatch classify` does (text results to a discarding sink, then the summary), and prints
 * the record count, the summary's size, the peak RSS and the heap it retains after a collection
 * (with `--expose-gc`). Run alone, possibly under `--max-old-space-size`, so its memory is its own.
 */
import { Writable } from 'node:stream';
import { loadSnapshot, SnapshotIamReader } from '../src/adapters/snapshot/iam-snapshot.js';
import { classifyInputs } from '../src/cli/commands/classify.js';
import { ResultsPrinter } from '../src/cli/common/results-printer.js';

const file = process.argv[2] as string;
const reader = new SnapshotIamReader(await loadSnapshot('examples/iam-snapshot.json'));
const sink = new Writable({
  write(_chunk, _encoding, done) {
    done();
  },
});
const printer = new ResultsPrinter(
  { stdout: sink, env: {} },
  { json: false, trace: false, summary: true }
);
let records = 0;
const start = performance.now();
await classifyInputs(
  [file],
  reader,
  (d) => {
    records++;
    printer.add(d);
  },
  { stdin: process.stdin, stderr: process.stderr }
);
const report = printer.finish();
// What the run keeps (summary, per-job state, caches) once garbage is collected: the bound the
// configuration sets. Peak RSS also counts garbage V8 has not collected yet (without a heap limit
// it grows its heap lazily), so it is printed beside, not used as the bound.
(globalThis as { gc?: () => void }).gc?.();
const retainedHeapMiB = process.memoryUsage().heapUsed / 2 ** 20;
process.stdout.write(
  `${JSON.stringify({
    records,
    seconds: (performance.now() - start) / 1000,
    failingJobs: report.totals.failingJobs,
    repositories: report.totals.repositories,
    listedRepositories: report.repositories.length,
    exact: report.bounds?.exact ?? true,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    retainedHeapMiB,
    gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
  })}\n`
);
