/**
 * Argument parsing shared by the commands: `node:util` `parseArgs`, with its errors turned into
 * `ERR_USAGE` messages that name the option, suggest the nearest known one ("did you mean") and
 * point at the command's help.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { OidcwatchError } from '../../domain/errors.js';
import { didYouMean } from './did-you-mean.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Every spelling of the command's options: `--name` and `-x`. */
function spellings(options: Options): string[] {
  return Object.entries(options).flatMap(([name, o]) =>
    o.short === undefined ? [`--${name}`] : [`--${name}`, `-${o.short}`]
  );
}

function usageMessage(command: string, e: Error & { code?: string }, options: Options): string {
  const help = `; run "oidcwatch ${command} --help" for its options`;
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /option '([^']+)'/i.exec(e.message)?.[1] ?? '';
    return `unknown option ${typed}${didYouMean(typed.split('=')[0] ?? typed, spellings(options))}${help}`;
  }
  const missing = /^Option '(-[^ ']+)(?:, (--[^ ']+))? <value>' argument missing/.exec(e.message);
  if (missing !== null) return `${missing[2] ?? missing[1]} needs a value${help}`;
  return `${e.message.replace(/\.$/, '')}${help}`;
}

/** Parses `argv` strictly; an unknown or malformed option is a usage error naming it. */
export function parseCommandArgs<T extends Options>(
  command: string,
  argv: readonly string[],
  options: T
) {
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new OidcwatchError(
      'ERR_USAGE',
      `${command}: ${usageMessage(command, e as Error & { code?: string }, options)}`,
      { cause: e }
    );
  }
}

/** A required option's value, or a usage error naming it. */
export function required(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '')
    throw new OidcwatchError('ERR_USAGE', `${command}: --${name} is required`);
  return value;
}
