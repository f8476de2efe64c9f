/**
 * Maps errors to the exit codes of DESIGN.md §6 and prints them without a stack trace.
 */
import { OidcwatchError } from '../../domain/errors.js';
import type { CliIo } from '../io.js';
import { EXIT } from '../io.js';

/** Prints `e` on stderr and returns its exit code: 2 for AWS, 1 for input and usage. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof OidcwatchError) {
    io.stderr.write(`oidcwatch: ${e.message}\n`);
    return e.code === 'ERR_AWS_UNREACHABLE' || e.code === 'ERR_AWS_DENIED' ? EXIT.AWS : EXIT.USAGE;
  }
  io.stderr.write(`oidcwatch: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
  return EXIT.USAGE;
}
