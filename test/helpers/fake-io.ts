/**
 * A `CliIo` whose streams live in memory, for running CLI commands without a process.
 */
import { Readable, Writable } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';

/** A fake `CliIo` with what was written to stdout and stderr. */
export interface FakeIo extends CliIo {
  /** Everything written to stdout. */
  readonly out: () => string;
  /** Everything written to stderr. */
  readonly err: () => string;
}

function sink(isTTY: boolean): { stream: Writable & { isTTY?: boolean }; text: () => string } {
  const chunks: string[] = [];
  const stream: Writable & { isTTY?: boolean } = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  if (isTTY) stream.isTTY = true;
  return { stream, text: () => chunks.join('') };
}

/**
 * A fake `CliIo`.
 *
 * @param options.stdin - what stdin yields (text or bytes)
 * @param options.isTTY - whether stdout and stderr claim to be terminals
 * @param options.env - the environment
 */
export function fakeIo(
  options: {
    stdin?: string | Buffer;
    isTTY?: boolean;
    env?: Record<string, string | undefined>;
  } = {}
): FakeIo {
  const stdout = sink(options.isTTY === true);
  const stderr = sink(options.isTTY === true);
  return {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
    now: () => new Date('2026-11-27T15:00:00Z'),
    out: stdout.text,
    err: stderr.text,
  };
}
