/**
 * The start of the built CLI, `node dist/oidcwatch.js --version`, against the start of Node
 * itself, `node -e 0`; fresh processes, alternating, 15 of each; prints the medians as JSON.
 *
 *     npm run build && npx tsx bench/start-time.ts dist/oidcwatch.js
 */
import { execFileSync } from 'node:child_process';

const [bin] = process.argv.slice(2) as [string];
const RUNS = 15;

function once(args: string[]): number {
  const start = performance.now();
  execFileSync(process.execPath, args, { stdio: 'ignore' });
  return performance.now() - start;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const cli: number[] = [];
const node: number[] = [];
for (let i = 0; i < RUNS; i++) {
  cli.push(once([bin, '--version']));
  node.push(once(['-e', '0']));
}
process.stdout.write(
  `${JSON.stringify({ runs: RUNS, cliMs: median(cli), nodeMs: median(node) })}\n`
);
