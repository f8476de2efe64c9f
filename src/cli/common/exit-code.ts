/**
 * Maps errors to the exit codes (README "Conventions") and prints them in the one error format,
 * `oidcwatch <command>: <message>`, without a stack trace.
 */
import { OidcwatchError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';

/** `message` without a leading `<command>: ` (messages of shared code may name the command). */
function withoutCommand(message: string, command: string): string {
  return message.startsWith(`${command}: `) ? message.slice(command.length + 2) : message;
}

/**
 * A message line in the one format, `oidcwatch <command>: <message>\n`.
 *
 * @example
 * ```ts
 * io.stderr.write(errorLine('classify', 'cannot read events.json: no such file or directory'));
 * ```
 */
export function errorLine(command: string, message: string): string {
  return `oidcwatch ${command}: ${withoutCommand(message, command)}\n`;
}

/** The exit code of an error: 2 for AWS and other services, 1 for input and usage. */
export function exitCodeOf(e: unknown): number {
  if (!(e instanceof OidcwatchError)) return EXIT.USAGE;
  return e.code === 'ERR_AWS_UNREACHABLE' ||
    e.code === 'ERR_AWS_DENIED' ||
    e.code === 'ERR_AWS_NO_CREDENTIALS' ||
    e.code === 'ERR_SERVICE_UNREACHABLE'
    ? EXIT.AWS
    : EXIT.USAGE;
}

/**
 * Prints `e` on stderr as `oidcwatch <command>: …` and returns its exit code. Every command passes
 * its name; without one the line reads `oidcwatch: …`.
 */
export function reportError(e: unknown, io: Pick<CliIo, 'stderr'>, command?: string): number {
  if (command === undefined) {
    io.stderr.write(
      `oidcwatch: ${e instanceof OidcwatchError ? e.message : `unexpected error: ${(e as Error)?.stack ?? String(e)}`}\n`
    );
    return exitCodeOf(e);
  }
  if (e instanceof OidcwatchError) io.stderr.write(errorLine(command, e.message));
  else io.stderr.write(errorLine(command, `unexpected error: ${(e as Error)?.stack ?? String(e)}`));
  return exitCodeOf(e);
}
