/**
 * `oidcwatch` command-line entry point: dispatches to one command module per subcommand.
 */

import { didYouMean } from './common/did-you-mean.js';
import { type ColorChoice, envForColor } from './common/style.js';
import type { CliIo, Command } from './io.js';
import { EXIT } from './io.js';
import { packageVersion } from './version.js';

const COMMANDS: Readonly<Record<string, () => Promise<{ run: Command }>>> = {
  classify: () => import('./commands/classify.js'),
  simulate: () => import('./commands/simulate.js'),
  report: () => import('./commands/report.js'),
  backfill: () => import('./commands/backfill.js'),
  audit: () => import('./commands/audit.js'),
  snapshot: () => import('./commands/snapshot.js'),
  doctor: () => import('./commands/doctor.js'),
  annotate: () => import('./commands/annotate.js'),
  policy: () => import('./commands/policy.js'),
  dashboard: () => import('./commands/dashboard.js'),
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
  annotate: "post each failing job's diagnosis on its GitHub Actions run (or --dry-run)",
  policy: 'write a focused trust policy (JSON, Terraform, CloudFormation), checked before printing',
  dashboard: 'print the CloudWatch dashboard body for aws cloudwatch put-dashboard',
};

const USAGE = `usage: oidcwatch <command> [options]
       oidcwatch --version

commands:
${Object.keys(COMMANDS)
  .map((c) => `  ${c.padEnd(9)} ${SUMMARIES[c] ?? ''}`)
  .join('\n')}

Without --iam-snapshot, commands read live AWS with the default credential chain
(AWS_ENDPOINT_URL honoured). Run "oidcwatch <command> --help" for a command's options.

global options:
  --color[=WHEN]  colour: always, never or auto (default auto: on a terminal; NO_COLOR turns it
                  off, FORCE_COLOR on); --no-color is --color=never
  --version       print the version

exit codes:
  0    done, whatever the causes found
  1    unusable input or arguments (the message names the file, record or option)
  2    AWS (or GitHub: the token endpoint, the API) unreachable, no credentials, or not permitted
  3    a gate was reached: audit --fail-on found findings at or above the threshold,
       doctor --fail-on-deny found the role would not be assumed
  130  interrupted (Ctrl-C): what was found so far is printed
`;

const COLOR_CHOICES: readonly ColorChoice[] = ['always', 'never', 'auto'];

/**
 * Takes the global colour options out of `argv`: `--color[=always|never|auto]` (bare: always) and
 * `--no-color`, anywhere before `--`. The last one given wins.
 */
function takeColor(
  argv: readonly string[]
): { choice: ColorChoice | null; rest: string[] } | { error: string } {
  let choice: ColorChoice | null = null;
  const rest: string[] = [];
  let options = true;
  for (const arg of argv) {
    if (options && arg === '--') options = false;
    const m = options ? /^--color(?:=(.*))?$/.exec(arg) : null;
    if (m !== null) {
      const value = (m[1] ?? 'always') as ColorChoice;
      if (!COLOR_CHOICES.includes(value))
        return { error: `--color must be always, never or auto, got "${m[1]}"` };
      choice = value;
    } else if (options && arg === '--no-color') choice = 'never';
    else rest.push(arg);
  }
  return { choice, rest };
}

/**
 * Runs the CLI with `argv` (without the node and script paths) and returns the exit code.
 *
 * @example
 * ```ts
 * const code = await main(['classify', 'events.json', '--iam-snapshot', 'iam.json'], io);
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const color = takeColor(argv);
  if ('error' in color) {
    io.stderr.write(`oidcwatch: ${color.error}\n`);
    return EXIT.USAGE;
  }
  if (color.choice !== null)
    return main(color.rest, { ...io, env: envForColor(io.env, color.choice) });
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(USAGE);
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`oidcwatch ${packageVersion()}\n`);
    return EXIT.OK;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    const what = name.startsWith('-') ? 'option' : 'command';
    const known = name.startsWith('-')
      ? ['--help', '--version']
      : [...Object.keys(COMMANDS), 'help', 'version'];
    io.stderr.write(
      `oidcwatch: unknown ${what} ${JSON.stringify(name)}${didYouMean(name, known)}\n\n${USAGE}`
    );
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
