/**
 * Terminal styling. Colour is on when the stream is a terminal (and `TERM` is not `dumb`); the
 * environment decides before that, as most CLIs do: `NO_COLOR` (set and not empty) turns it off,
 * `FORCE_COLOR` (set, and not `0` or `false`) turns it on, also where stdout is not a terminal —
 * GitHub Actions logs, for instance, show colours. `--color=always|never|auto` (see `main.ts`)
 * sets these variables for the command it is given to.
 */
import type { Cause } from '../../domain/causes.js';

/** Colour functions (identity when colour is off). */
export interface Style {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly cause: (cause: Cause, text: string) => string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string) => s;

/** No colour at all (logs, files, job summaries). */
export const PLAIN_STYLE: Style = {
  red: plain,
  green: plain,
  yellow: plain,
  dim: plain,
  bold: plain,
  cause: (_c, t) => t,
};

/**
 * Whether output to `stream` is coloured.
 *
 * @example
 * ```ts
 * colorEnabled(process.stdout, { FORCE_COLOR: '1' }); // true, even into a pipe
 * ```
 */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The style for a stream. */
export function styleFor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>
): Style {
  if (!colorEnabled(stream, env)) return PLAIN_STYLE;
  const red = wrap(31, 39);
  const green = wrap(32, 39);
  const yellow = wrap(33, 39);
  const dim = wrap(2, 22);
  return {
    red,
    green,
    yellow,
    dim,
    bold: wrap(1, 22),
    cause: (c, t) =>
      c === 'SUCCESS'
        ? green(t)
        : c === 'IGNORED'
          ? dim(t)
          : c === 'MALFORMED_EVENT' || c === 'ENRICHMENT_FAILED'
            ? yellow(t)
            : red(t),
  };
}

/** `--color` values. */
export type ColorChoice = 'always' | 'never' | 'auto';

/**
 * The environment a command sees under `--color=WHEN`: `always` forces colour, `never` turns it
 * off, `auto` leaves the decision to the terminal (dropping `NO_COLOR`/`FORCE_COLOR`).
 */
export function envForColor(
  env: Readonly<Record<string, string | undefined>>,
  choice: ColorChoice
): Record<string, string | undefined> {
  const { NO_COLOR: _no, FORCE_COLOR: _force, ...rest } = env;
  if (choice === 'always') return { ...rest, FORCE_COLOR: '1' };
  if (choice === 'never') return { ...rest, NO_COLOR: '1' };
  return rest;
}
