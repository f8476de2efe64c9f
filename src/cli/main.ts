/**
 * `oidcwatch` command-line entry point: dispatches to one command module per subcommand.
 */
import { pathToFileURL } from 'node:url';
import type { CliIo, Command } from './io.js';
import { EXIT } from './io.js';

const COMMANDS: Readonly<Record<string, () => Promise<{ run: Command }>>> = {
  classify: () => import('./commands/classify.js'),
  simulate: () => import('./commands/simulate.js'),
  report: () => import('./commands/report.js'),
  backfill: () => import('./commands/backfill.js'),
  audit: () => import('./commands/audit.js'),
  snapshot: () => import('./commands/snapshot.js'),
  doctor: () => import('./commands/doctor.js'),
};

/** One line per command, for the top-level help. */
const SUMMARIES: Readonly<Record<string, string>> = {
  classify: 'diagnose CloudTrail records: cause, explanation and fix for each',
  simulate: 'would STS admit these claims under this trust policy? (per-condition trace)',
  report: 'per-repository report of failures (text, --json, --csv, --html)',
  backfill: 'read failures from CloudTrail history (LookupEvents), optionally publish metrics',
  audit: 'find broken or dangerous OIDC trust before it fails',
  snapshot: 'write an IAM snapshot (roles, trust policies, OIDC providers) from live IAM',
  doctor: "inside a GitHub Actions job: decode the job's token and check it against a trust policy",
};

const USAGE = `usage: oidcwatch <command> [options]

commands:
${Object.keys(COMMANDS)
  .map((c) => `  ${c.padEnd(9)} ${SUMMARIES[c] ?? ''}`)
  .join('\n')}

Without --iam-snapshot, commands read live AWS with the default credential chain
(AWS_ENDPOINT_URL honoured). Exit codes: 0 done, 1 unusable input or arguments, 2 AWS unreachable
or not permitted. Run "oidcwatch <command> --help" for a command's options.
`;

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await main(['classify', 'events.json', '--iam-snapshot', 'iam.json'], io);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    io.stderr.write(`oidcwatch: unknown command "${name}"\n\n${USAGE}`);
    return EXIT.USAGE;
  }
  const { run } = await load();
  return run(rest, io);
}

/** The process's own I/O. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    now: () => new Date(),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2), processIo());
}
