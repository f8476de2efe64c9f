/**
 * Argument parsing shared by the commands: `node:util` `parseArgs` with errors turned into
 * `ERR_USAGE` messages that name the option.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { OidcwatchError } from '../../domain/errors.js';

/** Parses `argv` strictly; an unknown or malformed option is a usage error naming it. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: readonly string[],
  options: T
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new OidcwatchError('ERR_USAGE', `${command}: ${(e as Error).message}`, { cause: e });
  }
}

/** A required option's value, or a usage error naming it. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new OidcwatchError('ERR_USAGE', `${command}: --${name} is required`);
  return value;
}
