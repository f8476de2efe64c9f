/**
 * Terminal styling: colour only when the stream is a TTY and `NO_COLOR` is unset.
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

/** The style for a stream. */
export function styleFor(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>
): Style {
  const on = stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  if (!on)
    return {
      red: plain,
      green: plain,
      yellow: plain,
      dim: plain,
      bold: plain,
      cause: (_c, t) => t,
    };
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
