/**
 * Child process of the benchmark: module init time of two bundles, each imported in a fresh `node`
 * process, alternating, 15 times each; prints the medians.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const [handler, baseline] = process.argv.slice(2) as [string, string];
const RUNS = 15;

function once(file: string): number {
  const code = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t0));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return Number(out);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const h: number[] = [];
const b: number[] = [];
for (let i = 0; i < RUNS; i++) {
  h.push(once(handler));
  b.push(once(baseline));
}
process.stdout.write(
  `${JSON.stringify({ runs: RUNS, handlerMs: median(h), baselineMs: median(b) })}\n`
);
