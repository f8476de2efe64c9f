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

const USAGE = `usage: oidcwatch <command> [options]

commands:
${Object.keys(COMMANDS)
  .map((c) => `  ${c}`)
  .join('\n')}

Run "oidcwatch <command> --help" for a command's options.
`;

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code.
 *
 * @example
 * ```ts
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
