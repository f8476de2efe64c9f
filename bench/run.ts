/**
 * `npm run bench`: the speed and memory targets, as ratios measured in one run (these machines are
 * shared and noisy; absolute numbers are printed for context only).
 *
 * 1. Classify throughput: records/s of bare `JSON.parse` vs the whole classify pipeline (framing,
 *    parsing, reading, diagnosis against a warm snapshot) on one generated CloudTrail stream of
 *    100,000 records. Target: pipeline ≥ 50% of `JSON.parse`.
 * 2. Memory: peak RSS of the pipeline at 1× and 10× the input. Target: flat.
 *    Remedies: the share of classification time spent building and verifying remedies (patch,
 *    re-evaluation, audit, blast-radius probes), on the stream and on first-of-their-kind failures.
 *    Printed for the record (a verified remedy is what users paste); no target.
 * 3. Processor burst: 3,000 events over 10 roles in 2 accounts fired concurrently at the handler
 *    against a counting fake IAM. IAM calls ÷ distinct (account, role) keys, target 1.0; warm
 *    per-event p50/p99.
 * 5. Summary memory: `classify` with its per-repository summary on diverse records (every failing
 *    job its own repository, 5,000 roles, 20 accounts, 90 days) at 1× and 10× input and on 2 GB
 *    under a 512 MB heap; peak RSS of each. Target: bounded (issue 15). Inputs go to a temporary
 *    directory, deleted after.
 * 4. Handler bundle: size and module init time in a fresh `node` beside a bundle that only imports
 *    `@aws-sdk/client-iam`. Target init ≤ 1.5× baseline; no CDK, CLI-only or CloudTrail/CloudWatch
 *    code in the bundle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundle } from '../scripts/bundle-handler.js';
import { writeDiverseLines, writeLogFile } from './generate-stream.js';

const DIR = resolve('.bench');
const RECORDS = 100_000;
mkdirSync(DIR, { recursive: true });

function child(script: string, ...args: string[]): Record<string, number> {
  return childWith([], script, ...args);
}

/** Runs a bench script in a fresh `node` with extra flags (e.g. a heap limit). */
function childWith(flags: string[], script: string, ...args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string);
}

async function ensureFile(name: string, count: number): Promise<string> {
  const path = join(DIR, name);
  if (!existsSync(path) || statSync(path).size < count * 1000) {
    process.stdout.write(`generating ${count.toLocaleString('en')} records in ${path} …\n`);
    await writeLogFile(path, count);
  }
  return path;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });

// 1–2: throughput and memory ------------------------------------------------------------------
const one = await ensureFile('records-1x.json', RECORDS);
const ten = await ensureFile('records-10x.json', RECORDS * 10);
const parse = child('bench/json-parse-throughput.ts', one);
const pipe1 = child('bench/classify-throughput.ts', one);
const pipe10 = child('bench/classify-throughput.ts', ten);
const ratio = (pipe1.recordsPerSecond as number) / (parse.recordsPerSecond as number);
console.log('\n== classify pipeline vs JSON.parse (one run, same stream) ==');
console.log(
  `records                    ${fmt(pipe1.records as number)} (${fmt(pipe1.distinctSignatures as number)} distinct call signatures: jobs retry ~12×)`
);
console.log(`JSON.parse alone           ${fmt(parse.recordsPerSecond as number)} records/s`);
console.log(
  `classify pipeline          ${fmt(pipe1.recordsPerSecond as number)} records/s (first, cold pass: ${fmt(pipe1.firstPassRecordsPerSecond as number)})`
);
console.log(
  `ratio pipeline/JSON.parse  ${fmt(ratio * 100, 1)} %   (target ≥ 50 %)  ${ratio >= 0.5 ? 'OK' : 'BELOW TARGET'}`
);
console.log(
  `  with --json serialisation ${fmt(pipe1.recordsPerSecondWithOutput as number)} records/s`
);
const readRatio = (pipe1.recordsPerSecond as number) / (parse.readOnlyRecordsPerSecond as number);
console.log(
  `reading alone             ${fmt(parse.readOnlyRecordsPerSecond as number)} records/s (file → framer → JSON.parse, no classification)`
);
console.log(
  `ratio pipeline/reading    ${fmt(readRatio * 100, 1)} %   (what classifying costs on top of reading the stream)`
);
console.log('\n== peak memory of the pipeline ==');
console.log(
  `1× (${fmt(pipe1.records as number)} records, ${fmt(statSync(one).size / 2 ** 20)} MiB)   max RSS ${fmt(pipe1.maxRssMiB as number)} MiB`
);
console.log(
  `10× (${fmt(pipe10.records as number)} records, ${fmt(statSync(ten).size / 2 ** 20)} MiB) max RSS ${fmt(pipe10.maxRssMiB as number)} MiB`
);
const memRatio = (pipe10.maxRssMiB as number) / (pipe1.maxRssMiB as number);
console.log(
  `ratio 10×/1×               ${fmt(memRatio, 2)}   (target: flat, ≈ 1)  ${memRatio < 1.5 ? 'OK' : 'GROWS'}`
);

// 2b: what remedies cost -------------------------------------------------------------------------
const remedy = child('bench/remedy-cost.ts', one);
console.log('\n== remedies: share of classification time (V8 sampling profiler, one run) ==');
console.log(
  `stream above (${fmt(remedy.streamRecords as number)} records, retries share a diagnosis)  ${fmt((remedy.streamRemedyShare as number) * 100, 1)} % of ${fmt(remedy.streamSamples as number)} samples in building and verifying remedies`
);
console.log(
  `first-of-their-kind failures (examples/, ${fmt(remedy.freshRecords as number)} records, fresh snapshot per round)  ${fmt((remedy.freshRemedyShare as number) * 100, 1)} % of ${fmt(remedy.freshSamples as number)} samples`
);

// 3: burst ------------------------------------------------------------------------------------
const burst = child('bench/processor-burst.ts');
console.log('\n== processor burst: 3,000 events, 10 roles, 2 accounts, fired concurrently ==');
console.log(`distinct (account, role) keys  ${burst.keys}`);
console.log(
  `GetRole calls                  ${burst.getRole}   → GetRole ÷ keys = ${fmt((burst.getRole as number) / (burst.keys as number), 2)} (target 1.0)`
);
console.log(
  `all IAM calls                  ${burst.iamCalls} (GetRole ${burst.getRole}, ListOpenIDConnectProviders ${burst.listProviders}, GetOpenIDConnectProvider ${burst.getProvider}, ListRoles ${burst.listRoles})`
);
console.log(
  `all IAM calls ÷ keys           ${fmt((burst.iamCalls as number) / (burst.keys as number), 2)} (the extra calls are per account: providers and the role index)`
);
console.log(
  `burst wall time                ${fmt(burst.burstMs as number)} ms at ${burst.latencyMs} ms simulated IAM latency`
);
console.log(
  `warm per-event latency         p50 ${fmt(burst.p50 as number, 3)} ms, p99 ${fmt(burst.p99 as number, 3)} ms`
);

// 4: bundle and init --------------------------------------------------------------------------
const bundleDir = join(DIR, 'bundle');
mkdirSync(bundleDir, { recursive: true });
writeFileSync(
  join(bundleDir, 'baseline.ts'),
  "import { IAMClient } from '@aws-sdk/client-iam';\nexport const client = new IAMClient({ region: 'us-east-1' });\n"
);
const handler = await bundle('src/handler/index.ts', join(bundleDir, 'handler.mjs'));
const baseline = await bundle(join(bundleDir, 'baseline.ts'), join(bundleDir, 'baseline.mjs'));
const init = child(
  'bench/init-time.ts',
  join(bundleDir, 'handler.mjs'),
  join(bundleDir, 'baseline.mjs')
);
console.log('\n== processor bundle (esbuild, minified, SDK included) ==');
console.log(
  `handler bundle   ${fmt(handler.bytes / 1024)} KiB  (${handler.inputs.length} modules)`
);
console.log(`baseline bundle  ${fmt(baseline.bytes / 1024)} KiB  (only @aws-sdk/client-iam)`);
console.log(
  `forbidden modules in the handler bundle: ${handler.forbidden.length === 0 ? 'none' : handler.forbidden.join(', ')}`
);
console.log(
  `module init (median of ${init.runs} fresh node processes): handler ${fmt(init.handlerMs as number, 1)} ms, baseline ${fmt(init.baselineMs as number, 1)} ms`
);
const initRatio = (init.handlerMs as number) / (init.baselineMs as number);
console.log(
  `ratio handler/baseline ${fmt(initRatio, 2)}   (target ≤ 1.5)  ${initRatio <= 1.5 ? 'OK' : 'ABOVE TARGET'}`
);

// 5: summary memory with diverse records -------------------------------------------------------
// Every failing job its own repository, 5,000 roles, 20 accounts, 90 days: the summary meets as
// many repositories, roles and jobs as the input holds. Inputs are generated into a temporary
// directory and deleted after.
const tmp = mkdtempSync(join(tmpdir(), 'oidcwatch-bench-'));
try {
  const d1 = join(tmp, 'diverse-1x.jsonl');
  const d10 = join(tmp, 'diverse-10x.jsonl');
  const big = join(tmp, 'diverse-2gb.jsonl');
  process.stdout.write('\ngenerating diverse inputs (1×, 10×, 2 GB) …\n');
  await writeDiverseLines(d1, RECORDS);
  await writeDiverseLines(d10, RECORDS * 10);
  const perRecord = statSync(d1).size / RECORDS;
  await writeDiverseLines(big, Math.ceil((2 * 1024 ** 3) / perRecord));
  const s1 = childWith(['--expose-gc'], 'bench/summary-memory.ts', d1);
  const s10 = childWith(['--expose-gc'], 'bench/summary-memory.ts', d10);
  const s2g = childWith(
    ['--expose-gc', '--max-old-space-size=512'],
    'bench/summary-memory.ts',
    big
  );
  console.log('\n== classify with its summary, diverse records (text results to a sink) ==');
  for (const [name, s, file] of [
    ['1×', s1, d1],
    ['10×', s10, d10],
    ['2 GB, --max-old-space-size=512', s2g, big],
  ] as const)
    console.log(
      `${name.padEnd(32)} ${fmt(s.records as number)} records, ${fmt(statSync(file).size / 2 ** 20)} MiB, ` +
        `${fmt(s.failingJobs as number)} failing jobs, ~${fmt(s.repositories as number)} repositories ` +
        `(${fmt(s.listedRepositories as number)} listed${s.exact ? '' : ', bounded'}): retained heap ${fmt(s.retainedHeapMiB as number)} MiB, max RSS ${fmt(s.maxRssMiB as number)} MiB in ${fmt(s.seconds as number)} s`
    );
  const kept = (s10.retainedHeapMiB as number) / (s1.retainedHeapMiB as number);
  console.log(
    `retained heap 10×/1×             ${fmt(kept, 2)}   (target: bounded, ≈ 1)  ${kept < 1.5 ? 'OK' : 'GROWS'}`
  );
  const grow = (s10.maxRssMiB as number) / (s1.maxRssMiB as number);
  console.log(
    `max RSS 10×/1×                   ${fmt(grow, 2)}   (with no heap limit V8 collects lazily: garbage, not state; the bound is the line above and the 512 MB run below)`
  );
  console.log(
    `2 GB under a 512 MB heap         ${(s2g.records as number) > 0 ? 'completed' : 'FAILED'} (max RSS ${fmt(s2g.maxRssMiB as number)} MiB)`
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// 6: CLI start, and classify against the barest streaming read ----------------------------------
execFileSync('npm', ['run', '-s', 'build'], { stdio: 'ignore' });
const start = child('bench/start-time.ts', 'dist/oidcwatch.js');
console.log(
  `\n== CLI start: built \`oidcwatch --version\` vs \`node -e 0\` (medians of ${start.runs} fresh processes each) ==`
);
const startRatio = (start.cliMs as number) / (start.nodeMs as number);
console.log(
  `oidcwatch --version ${fmt(start.cliMs as number)} ms, node -e 0 ${fmt(start.nodeMs as number)} ms: ratio ${fmt(startRatio, 2)}   (target ≈ 1: nothing compiled at start)`
);
console.log('\n== classify vs the barest streaming JSON.parse (readline), same JSON Lines file ==');
process.stdout.write(
  execFileSync(
    process.execPath,
    ['--import', 'tsx', 'bench/streaming-parse-throughput.ts', join(DIR, 'records-1x.jsonl')],
    {
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    }
  )
);
