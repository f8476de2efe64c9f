/**
 * The CLI's view of the outside world, injected so commands are testable without a process.
 */
import type { Readable, Writable } from 'node:stream';

/** Streams and environment a command may use. */
export interface CliIo {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
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
  /** AWS (or GitHub: the token endpoint, the API) unreachable, no credentials, or not permitted. */
  AWS: 2,
  /** A gate was reached: `audit --fail-on`, `doctor --fail-on-deny`. */
  GATE: 3,
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report it. */
  INTERRUPTED: 130,
} as const;

/**
 * Waits while `stream` holds more than its high-water mark of unwritten output (a slow reader at
 * the other end of a pipe), so that a command's output never piles up in memory. `null` when
 * there is room: callers await only then, and the common case costs no promise. Resolves also
 * when the stream closes or fails (a reader that went away: see `endQuietlyOnBrokenPipe`).
 *
 * @example
 * ```ts
 * for (const d of batch) io.stdout.write(`${JSON.stringify(d)}\n`);
 * await whenWritable(io.stdout);
 * ```
 */
export function whenWritable(stream: Writable): Promise<void> | null {
  if (!stream.writableNeedDrain || stream.destroyed) return null;
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}

/**
 * Makes a closed reader end the process quietly with success, as `head` and `grep -q` expect:
 * writing to a pipe whose reader has gone fails with `EPIPE`, which would otherwise surface as an
 * unhandled error with a stack trace. Any other error of the stream is rethrown.
 */
export function endQuietlyOnBrokenPipe(stream: Writable, exit: (code: number) => void): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') exit(0);
    else throw e;
  });
}

/**
 * A usage error when a command would read records from stdin and stdin is a terminal: a person
 * typed the command without a file, and waiting silently for input helps nobody.
 *
 * @returns `true` (after printing the usage) when the command must stop
 */
export function refuseTerminalStdin(
  command: string,
  paths: readonly string[],
  io: Pick<CliIo, 'stdin' | 'stderr'>,
  usage: string
): boolean {
  const readsStdin = paths.length === 0 || paths.includes('-');
  if (!readsStdin || io.stdin.isTTY !== true) return false;
  io.stderr.write(
    `oidcwatch ${command}: no input: give a file or directory, or pipe records into stdin\n\n${usage}`
  );
  return true;
}
