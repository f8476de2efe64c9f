/**
 * The CLI's view of the outside world, injected so commands are testable without a process.
 */
import type { Readable, Writable } from 'node:stream';

/** Streams and environment a command may use. */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Current time (injected for tests). */
  readonly now: () => Date;
}

/** A CLI command: parses its own arguments, returns the exit code (DESIGN.md §6). */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Exit codes of DESIGN.md §6. */
export const EXIT = {
  /** Done, whatever the causes found. */
  OK: 0,
  /** Unusable input or arguments. */
  USAGE: 1,
  /** AWS unreachable or not permitted. */
  AWS: 2,
} as const;
