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

/** A CLI command: parses its own arguments, returns the exit code (README "Conventions"). */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** The exit codes (README "Conventions", `oidcwatch --help`). */
export const EXIT = {
  /** Done, whatever the causes found. */
  OK: 0,
  /** Unusable input or arguments. */
  USAGE: 1,
  /** AWS (or the GitHub token endpoint) unreachable, no credentials, or not permitted. */
  AWS: 2,
  /** A gate was reached: `audit --fail-on`, `doctor --fail-on-deny`. */
  GATE: 3,
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report it. */
  INTERRUPTED: 130,
} as const;
